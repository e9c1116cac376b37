using System.Diagnostics;
using RiskConsole.Tests.Server.Infrastructure;

namespace RiskConsole.Tests.Server.Legacy;

/// <summary>
/// A /ws client gets the same per-connection allowance as a hub connection's calls (Server:ClientCallsPerSecond,
/// burst twice that): beyond it the server reads its next request only when a token is earned, so a flood is slowed
/// by TCP itself; every request is still answered, nothing is refused or lost.
/// </summary>
[Category(TestCategories.EndToEnd)]
[Category(TestCategories.Attack)]
public sealed class LegacyRequestLimitTests
{
    [Test]
    public async Task RequestsBeyondTheConnectionsRateAreReadOnlyAsFastAsTheAllowanceRefills()
    {
        await using var server = RiskConsoleServer.Start(settings: new Dictionary<string, string?> { ["Server:ClientCallsPerSecond"] = "20" });
        await using var client = await LegacySocketClient.ConnectAsync(server.WebSocketUri());
        await client.NextAsync("CONNECTED");

        var watch = Stopwatch.StartNew();
        var sending = Task.Run(async () =>
        {
            for (var i = 0; i < 100; i++)
            {
                await client.SendTypeAsync("GET_STATUS");
            }
        });
        var answered = 0;
        await client.ReadThroughAsync(frame => frame.Type == "STATUS" && ++answered == 100, TimeSpan.FromSeconds(30));
        var elapsed = watch.Elapsed;
        await sending;

        Assert.Multiple(() =>
        {
            // A burst of 40 at once, then 20 a second: the other 60 take at least 3 s (before the limit: a few ms).
            Assert.That(elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(2.8)));
            Assert.That(answered, Is.EqualTo(100), "every request answered, none refused or lost");
            Assert.That(client.State, Is.EqualTo(System.Net.WebSockets.WebSocketState.Open));
        });
    }
}
