using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RiskConsole.Core.Contracts;
using RiskConsole.Core.Signals;
using RiskConsole.Ingest;
using RiskConsole.Ingest.Mock;
using static RiskConsole.Tests.Ingest.IngestTestClock;

namespace RiskConsole.Tests.Ingest.Mock;

public sealed class MockFeedTests
{
    [Test]
    public async Task PriceFeedReportsMockAtStartAndWritesTicksOnlyAsFakeTimeAdvances()
    {
        var time = new FakeTimeProvider(Start);
        var options = new MockFeedOptions();
        var mood = new MockMarketMood(options, seed: 7, time.GetUtcNow());
        var channel = new SignalChannel();
        var board = new SourceStatusBoard();
        using var meters = new TestMeters();
        using var feed = new MockFeed(
            DataSources.Crypto, new MockPriceGenerator(options, mood).Advance, mood.Seed, options.StatusDetail,
            channel, board, time, new IngestMetrics(meters.Factory), NullLogger<MockFeed>.Instance);

        await feed.StartAsync(CancellationToken.None);
        var atStart = board.Get(DataSources.Crypto);
        var readBeforeTimeMoved = channel.Reader.TryRead(out _);

        time.Advance(TimeSpan.FromSeconds(1));
        var ticks = new List<MarketSignal>();
        for (var i = 0; i < 3; i++)
        {
            ticks.Add(await channel.Reader.ReadAsync().AsTask().WaitAsync(WaitLimit));
        }

        await feed.StopAsync(CancellationToken.None);
        var afterStop = board.Get(DataSources.Crypto);

        Assert.Multiple(() =>
        {
            Assert.That(feed.Source, Is.EqualTo(DataSources.Crypto));
            Assert.That(atStart, Is.Not.Null);
            Assert.That(atStart!.Mode, Is.EqualTo(SourceModes.Mock));
            Assert.That(atStart.Healthy, Is.True);
            Assert.That(atStart.Detail, Is.EqualTo("mock data (Ingest:Mode=mock)"));
            Assert.That(readBeforeTimeMoved, Is.False, "nothing is due before fake time moves");
            Assert.That(ticks, Is.All.InstanceOf<PriceTick>());
            Assert.That(ticks.Select(t => t.IsMock), Is.All.True);
            Assert.That(ticks.Select(t => t.Timestamp), Is.All.InRange(Start, Start.AddSeconds(1)));
            Assert.That(afterStop!.LastSignalAt, Is.GreaterThanOrEqualTo(ticks[^1].Timestamp), "every written signal touched the board");
        });
    }
}
