using System.Net;
using System.Text.Json;
using RiskConsole.Tests.Server.Infrastructure;

namespace RiskConsole.Tests.Server.Endpoints;

/// <summary>Readiness checks that need a server of their own, because they break something on purpose.</summary>
[Category(TestCategories.EndToEnd)]
public sealed class HealthEndpointsTests
{
    [Test]
    public async Task AnAudioCacheFolderThatBecomesUnwritableFailsReadinessWithTheReason()
    {
        await using var server = RiskConsoleServer.Start();

        // A file where the folder was: not even root can write into it (the tests may run as root).
        Directory.Delete(server.AudioDirectory, recursive: true);
        await File.WriteAllTextAsync(server.AudioDirectory, "in the way");
        JsonElement ready, health;
        HttpStatusCode readyStatus, healthStatus;
        try
        {
            using var readyResponse = await server.Http.GetAsync("/health/ready");
            using var healthResponse = await server.Http.GetAsync("/health");
            (readyStatus, ready) = (readyResponse.StatusCode, JsonDocument.Parse(await readyResponse.Content.ReadAsStringAsync()).RootElement);
            (healthStatus, health) = (healthResponse.StatusCode, JsonDocument.Parse(await healthResponse.Content.ReadAsStringAsync()).RootElement);
        }
        finally
        {
            File.Delete(server.AudioDirectory);
        }

        using var repaired = await server.Http.GetAsync("/health/ready");
        var repairedAudio = JsonDocument.Parse(await repaired.Content.ReadAsStringAsync()).RootElement.GetProperty("checks").GetProperty("audioCache");
        var audio = ready.GetProperty("checks").GetProperty("audioCache");
        Assert.Multiple(() =>
        {
            Assert.That(readyStatus, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(audio.GetProperty("status").GetString(), Is.EqualTo("Unhealthy"));
            Assert.That(audio.GetProperty("description").GetString(), Does.Contain("Ai:AudioCache:Directory").And.Contain(server.AudioDirectory));
            Assert.That(healthStatus, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(health.GetProperty("checks").GetProperty("audioCache").GetProperty("status").GetString(), Is.EqualTo("Unhealthy"), "/health shows it too");
            Assert.That(repaired.StatusCode, Is.EqualTo(HttpStatusCode.OK), "a failed probe is not remembered: the next one makes the folder again");
            Assert.That(repairedAudio.GetProperty("status").GetString(), Is.EqualTo("Healthy"));
        });
    }
}
