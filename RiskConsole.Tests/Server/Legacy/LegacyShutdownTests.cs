using System.Diagnostics;
using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RiskConsole.Tests.Server.Infrastructure;

namespace RiskConsole.Tests.Server.Legacy;

/// <summary>Stopping the server closes /ws sockets with 1001 at once, instead of holding shutdown for the host's timeout.</summary>
[Category(TestCategories.EndToEnd)]
public sealed class LegacyShutdownTests
{
    [Test]
    public async Task StoppingTheServerClosesLegacySocketsWith1001WithinTwoSeconds()
    {
        var server = RiskConsoleServer.Start();
        try
        {
            await using var client = await LegacySocketClient.ConnectAsync(server.WebSocketUri("/ws"));
            await client.NextAsync("RISK_SCORE");

            var watch = Stopwatch.StartNew();
            server.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
            var status = await client.Closed.WaitAsync(TimeSpan.FromSeconds(10));
            watch.Stop();

            Assert.Multiple(() =>
            {
                Assert.That(status, Is.EqualTo(WebSocketCloseStatus.EndpointUnavailable));
                Assert.That(client.CloseDescription, Is.EqualTo("server shutting down"));
                Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(2)), "closed at once, not after the host's shutdown timeout");
            });
        }
        finally
        {
            await server.DisposeAsync();
        }
    }
}
