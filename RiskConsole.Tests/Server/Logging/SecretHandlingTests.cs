using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.SignalR.Client;
using RiskConsole.Core.Contracts;
using RiskConsole.Server.Hubs;
using RiskConsole.Tests.Server.Infrastructure;

namespace RiskConsole.Tests.Server.Logging;

/// <summary>
/// Configured keys and secrets never appear in any answer or any log line, whichever way they were presented:
/// the server is exercised through every endpoint, the hub and /ws, with the admin key in headers and query strings.
/// </summary>
[Category(TestCategories.EndToEnd)]
public sealed class SecretHandlingTests
{
    private static readonly string[] Secrets =
    [
        "sk-openai-SECRET-7d41e0",
        "elevenlabs-SECRET-93bb2a",
        "admin-SECRET-55c0f1",
        "reddit-SECRET-0b8e42",
    ];

    [Test]
    public async Task NoSecretReachesAResponseOrTheLog()
    {
        await using var server = RiskConsoleServer.Start("Production", new Dictionary<string, string?>
        {
            ["Ai:OpenAI:ApiKey"] = Secrets[0],
            ["Ai:ElevenLabs:ApiKey"] = Secrets[1],
            ["Server:AdminKey"] = Secrets[2],
            ["Ingest:Reddit:ClientId"] = "reddit-app-id",
            ["Ingest:Reddit:ClientSecret"] = Secrets[3],
            ["Ai:OpenAI:Endpoint"] = $"https://user:{Secrets[3]}@api.example.test/v1",
            ["Serilog:MinimumLevel:Default"] = "Verbose",
            ["Serilog:MinimumLevel:Override:Microsoft.AspNetCore"] = "Verbose",
        });
        var bodies = new List<string>();

        foreach (var path in new[] { "/", "/config", "/health", "/health/ready", "/health/live", "/stats", $"/stats?adminKey={Secrets[2]}" })
        {
            bodies.Add(await server.Http.GetStringAsync(path));
        }

        using (var request = new HttpRequestMessage(HttpMethod.Post, $"/test-interrupt?adminKey={Secrets[2]}"))
        {
            request.Headers.Add("X-Admin-Key", Secrets[2]);
            using var response = await server.Http.SendAsync(request);
            bodies.Add(await response.Content.ReadAsStringAsync());
        }

        await using (var hub = server.CreateHub(adminKey: Secrets[2], baseAddress: new Uri(server.BaseAddress, $"?adminKey={Secrets[2]}")))
        {
            var recorder = new HubRecorder(hub);
            await hub.StartAsync();
            bodies.Add(System.Text.Json.JsonSerializer.Serialize(await hub.InvokeAsync<RiskStatus>(nameof(RiskHub.GetStatus))));
            bodies.Add(System.Text.Json.JsonSerializer.Serialize(await hub.InvokeAsync<RiskStatistics>(nameof(RiskHub.GetStatistics))));
            await recorder.Score();
        }

        using (var socket = new ClientWebSocket())
        {
            await socket.ConnectAsync(new Uri(server.WebSocketUri() + $"?adminKey={Secrets[2]}"), CancellationToken.None);
            await socket.SendAsync(Encoding.UTF8.GetBytes("{\"type\":\"GET_STATUS\",\"payload\":{}}"), WebSocketMessageType.Text, true, CancellationToken.None);
            var buffer = new byte[64 * 1024];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            string frame;
            do
            {
                var result = await socket.ReceiveAsync(buffer, timeout.Token);
                frame = Encoding.UTF8.GetString(buffer, 0, result.Count);
                bodies.Add(frame);
            }
            while (!frame.Contains("\"STATUS\"", StringComparison.Ordinal));
        }

        var logs = server.Logs.Lines;
        Assert.Multiple(() =>
        {
            Assert.That(logs.Any(l => l.Contains("/config", StringComparison.Ordinal)), Is.True, "requests are logged at all");
            Assert.That(bodies.Any(b => b.Contains("openAIKeyConfigured\":true", StringComparison.Ordinal)), Is.True, "config says a key is configured");
            foreach (var secret in Secrets)
            {
                Assert.That(bodies.Where(b => b.Contains(secret, StringComparison.Ordinal)), Is.Empty, $"a response contains {secret}");
                Assert.That(logs.Where(l => l.Contains(secret, StringComparison.Ordinal)), Is.Empty, $"a log line contains {secret}");
            }
        });
    }
}
