using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using RiskConsole.Core.Contracts;
using RiskConsole.Server.Hubs;
using RiskConsole.Tests.Server.Infrastructure;

namespace RiskConsole.Tests.Server.Hubs;

/// <summary>
/// A short network drop, made real by a TCP proxy between client and Kestrel that resets every connection
/// and holds the reconnect until the test has sent messages: with stateful reconnect the client keeps its
/// connection id and receives what was sent while it was away.
/// </summary>
[Category(TestCategories.EndToEnd)]
public sealed class StatefulReconnectTests
{
    private static readonly Dictionary<string, string?> StatefulAllowed = new() { ["Server:AllowStatefulReconnects"] = "true" };

    [Test]
    public async Task MessagesSentDuringAShortDropAreDelivered()
    {
        await using var server = RiskConsoleServer.Start(settings: StatefulAllowed);
        await using var proxy = new TcpProxy(server.BaseAddress);
        await using var connection = server.CreateHub(b => b.WithStatefulReconnect(), baseAddress: proxy.Address);
        var recorder = new HubRecorder(connection);
        var closed = false;
        connection.Closed += _ => { closed = true; return Task.CompletedTask; };
        await connection.StartAsync();
        await recorder.Score();
        var idBefore = connection.ConnectionId;
        var acceptedBefore = proxy.Accepted;

        proxy.DropAndHold();

        // Sent while the client has no transport: the server buffers them for the reconnect.
        var hub = server.Services.GetRequiredService<IHubContext<RiskHub, IRiskClient>>();
        for (var i = 1; i <= 3; i++)
        {
            await hub.Clients.Client(idBefore!).Alert(new AlertNotice(AlertTypes.Info, $"while away {i}", DateTimeOffset.UnixEpoch));
        }

        proxy.Resume();
        var received = new List<string>();
        for (var i = 1; i <= 3; i++)
        {
            received.Add((await recorder.Alert(a => a.Message.StartsWith("while away", StringComparison.Ordinal), TimeSpan.FromSeconds(30))).Message);
        }

        Assert.Multiple(() =>
        {
            Assert.That(received, Is.EqualTo(new[] { "while away 1", "while away 2", "while away 3" }), "all of them, in order");
            Assert.That(connection.ConnectionId, Is.EqualTo(idBefore), "same connection, not a new one");
            Assert.That(proxy.Accepted, Is.GreaterThan(acceptedBefore), "the client really reconnected through the proxy");
            Assert.That(closed, Is.False);
            Assert.That(connection.State, Is.EqualTo(HubConnectionState.Connected));
        });
    }
}
