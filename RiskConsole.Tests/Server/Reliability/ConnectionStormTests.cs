using Microsoft.Extensions.DependencyInjection;
using RiskConsole.Server.Delivery;
using RiskConsole.Server.Legacy;
using RiskConsole.Tests.Server.Infrastructure;

namespace RiskConsole.Tests.Server.Reliability;

/// <summary>
/// Thousands of connects and disconnects, hub and /ws, many at once: afterwards every count is back to 0 and the
/// server's managed memory is back near where it started, so connections leave nothing behind.
/// </summary>
[Category(TestCategories.EndToEnd)]
[Category(TestCategories.Attack)]
public sealed class ConnectionStormTests
{
    private const int HubConnections = 600;
    private const int LegacyConnections = 1_400;
    private const int AtOnce = 50;

    [Test]
    public async Task AfterAStormOfConnectsAndDisconnectsCountsAreZeroAndMemoryIsBackNearBaseline()
    {
        await using var server = RiskConsoleServer.Start();
        var status = server.Services.GetRequiredService<ConsoleStatus>();
        var audience = server.Services.GetRequiredService<HubAudience>();
        var legacy = server.Services.GetRequiredService<LegacySocketRegistry>();

        // A first small round, so what is allocated once (pools, caches, JIT) is in the baseline, not in the growth.
        await StormAsync(server, hubs: AtOnce, sockets: AtOnce);
        await AllClosedAsync(status, audience, legacy);
        var baseline = ManagedBytesAfterFullCollection();

        await StormAsync(server, HubConnections, LegacyConnections);
        await AllClosedAsync(status, audience, legacy);
        var after = ManagedBytesAfterFullCollection();

        var growth = after - baseline;
        TestContext.Out.WriteLine($"managed memory: baseline {baseline / 1e6:F1} MB, after {HubConnections + LegacyConnections} connections {after / 1e6:F1} MB");
        Assert.Multiple(() =>
        {
            Assert.That(status.HubConnections + status.LegacyConnections, Is.Zero);
            Assert.That(audience.Count, Is.Zero);
            Assert.That(legacy.Count, Is.Zero);

            // A leak of the connections' buffers would be 2,000 × ~100 KB = 200 MB; noise is a few MB.
            Assert.That(growth, Is.LessThan(30_000_000), "memory back near baseline");
        });
    }

    private static async Task StormAsync(RiskConsoleServer server, int hubs, int sockets)
    {
        var work = Enumerable.Range(0, hubs).Select(_ => true).Concat(Enumerable.Range(0, sockets).Select(_ => false)).ToArray();
        foreach (var batch in work.Chunk(AtOnce))
        {
            await Task.WhenAll(batch.Select(isHub => isHub ? ConnectHubAsync(server) : ConnectLegacyAsync(server)));
        }
    }

    private static async Task ConnectHubAsync(RiskConsoleServer server)
    {
        await using var hub = server.CreateHub();
        var recorder = new HubRecorder(hub);
        await hub.StartAsync();
        await recorder.Score();
    }

    private static async Task ConnectLegacyAsync(RiskConsoleServer server)
    {
        await using var client = await LegacySocketClient.ConnectAsync(server.WebSocketUri());
        await client.NextAsync("RISK_SCORE");
    }

    /// <summary>
    /// Disconnects are processed after the clients have gone: each count's own change signal is taken before the
    /// counts are read, so no change between the read and the wait is missed.
    /// </summary>
    private static async Task AllClosedAsync(ConsoleStatus status, HubAudience audience, LegacySocketRegistry legacy)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var changed = Task.WhenAny(status.NextChange, audience.NextChange);
            if (status.HubConnections + status.LegacyConnections + audience.Count + legacy.Count == 0)
            {
                return;
            }

            // The /ws registry settles before the status count, which then signals.
            await changed.WaitAsync(deadline.Token);
        }
    }

    private static long ManagedBytesAfterFullCollection()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
