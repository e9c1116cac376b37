using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RiskConsole.Core.Contracts;
using RiskConsole.Core.Signals;
using RiskConsole.Ingest;
using RiskConsole.Ingest.Mock;
using static RiskConsole.Tests.Ingest.IngestTestClock;

namespace RiskConsole.Tests.Ingest;

/// <summary>
/// The loop every source shares, driven through <see cref="MockFeed"/> with a scripted generator: what the board says
/// at start, on each signal and when the source ends, and that a full channel makes it wait instead of dropping.
/// </summary>
public sealed class SignalSourceTests
{
    private const string Detail = "scripted";

    private FakeTimeProvider _time = null!;
    private SourceStatusBoard _board = null!;
    private TestMeters _meters = null!;

    [SetUp]
    public void CreateClockAndBoard()
    {
        _time = new FakeTimeProvider(Start);
        _board = new SourceStatusBoard(_time);
        _meters = new TestMeters();
    }

    [TearDown]
    public void DisposeMeters() => _meters.Dispose();

    [Test]
    public async Task ReportsItsModeAtStartTouchesTheBoardForEachSignalAndReportsStoppedAfterStop()
    {
        var ticks = Ticks(3);
        var channel = new SignalChannel();
        using var source = CreateSource(channel, new Script(ticks).DueBy);

        await source.StartAsync(CancellationToken.None);
        var atStart = _board.Get(DataSources.Crypto);
        _time.Advance(SignalSource.PollInterval);
        var received = await ReadAsync(channel, ticks.Length);
        await source.StopAsync(CancellationToken.None);
        var afterStop = _board.Get(DataSources.Crypto);

        Assert.Multiple(() =>
        {
            Assert.That(atStart, Is.EqualTo(new SourceStatus(DataSources.Crypto, SourceModes.Mock, true, Detail, null) { Since = Start }));
            Assert.That(received, Is.EqualTo(ticks));
            Assert.That(afterStop!.Mode, Is.EqualTo(SourceModes.Stopped));
            Assert.That(afterStop.Healthy, Is.False);
            Assert.That(afterStop.Detail, Is.EqualTo("the host stopped it"));
            Assert.That(afterStop.LastSignalAt, Is.EqualTo(ticks[^1].Timestamp), "the last written signal touched the board");
        });
    }

    [Test]
    public async Task AStopRightAfterStartStillReportsStopped()
    {
        using var source = CreateSource(new SignalChannel(), new Script([]).DueBy);

        await source.StartAsync(CancellationToken.None);
        await source.StopAsync(CancellationToken.None);

        Assert.That(_board.Get(DataSources.Crypto)!.Mode, Is.EqualTo(SourceModes.Stopped));
    }

    [Test]
    public async Task AFullChannelMakesTheSourceWaitAndNothingIsDropped()
    {
        // The channel is full before the source writes at all, so every write it makes has to wait for room.
        var channel = new SignalChannel(capacity: 2);
        var earlier = Ticks(2, "ETHUSDT");
        foreach (var tick in earlier)
        {
            Assert.That(channel.Writer.TryWrite(tick), Is.True);
        }

        var ticks = Ticks(10);
        var script = new Script(ticks);
        using var source = CreateSource(channel, script.DueBy);

        await source.StartAsync(CancellationToken.None);
        _time.Advance(SignalSource.PollInterval);
        await script.HandedOut.WaitAsync(WaitLimit);
        var backlogWhileWaiting = channel.Backlog;
        var received = await ReadAsync(channel, earlier.Length + ticks.Length);
        await source.StopAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(backlogWhileWaiting, Is.EqualTo(2), "the channel stays at its capacity");
            Assert.That(received, Is.EqualTo(earlier.Concat(ticks)), "every signal arrives, in order");
            Assert.That(channel.Backlog, Is.Zero);
            Assert.That(_board.Get(DataSources.Crypto)!.LastSignalAt, Is.EqualTo(ticks[^1].Timestamp));
        });
    }

    [Test]
    public async Task StoppingWhileWaitingForRoomEndsTheSourceAndReportsStopped()
    {
        var channel = new SignalChannel(capacity: 1);
        Assert.That(channel.Writer.TryWrite(Ticks(1, "ETHUSDT")[0]), Is.True);
        var script = new Script(Ticks(5));
        using var source = CreateSource(channel, script.DueBy);

        await source.StartAsync(CancellationToken.None);
        _time.Advance(SignalSource.PollInterval);
        await script.HandedOut.WaitAsync(WaitLimit);
        await source.StopAsync(CancellationToken.None).WaitAsync(WaitLimit);

        Assert.Multiple(() =>
        {
            Assert.That(source.ExecuteTask!.IsCompleted, Is.True, "StopAsync returned because the loop ended, not because it gave up waiting");
            Assert.That(_board.Get(DataSources.Crypto)!.Mode, Is.EqualTo(SourceModes.Stopped));
            Assert.That(channel.Backlog, Is.EqualTo(1), "nothing was written past the capacity");
        });
    }

    [Test]
    public async Task AFailingSourceReportsStoppedWithTheReasonAndTheHostStoppingItLaterDoesNotHideIt()
    {
        using var source = CreateSource(new SignalChannel(), _ => throw new InvalidOperationException("generator broke"));

        await source.StartAsync(CancellationToken.None);
        _time.Advance(SignalSource.PollInterval);
        var error = Assert.ThrowsAsync<InvalidOperationException>(() => source.ExecuteTask!.WaitAsync(WaitLimit));
        var afterFailure = _board.Get(DataSources.Crypto);
        await source.StopAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Is.EqualTo("generator broke"), "the failure still reaches the host");
            Assert.That(afterFailure, Is.EqualTo(new SourceStatus(DataSources.Crypto, SourceModes.Stopped, false, "failed: generator broke", null) { Since = Start + SignalSource.PollInterval }));
            Assert.That(_board.Get(DataSources.Crypto), Is.EqualTo(afterFailure));
        });
    }

    [Test]
    public async Task ASignalOfAnotherSourceIsRefusedRatherThanCreditedToThisOne()
    {
        var channel = new SignalChannel();
        var post = new SentimentSample("r/Bitcoin", 0.5, Start, "gm", IsMock: true);
        using var source = CreateSource(channel, _ => [post]);

        await source.StartAsync(CancellationToken.None);
        _time.Advance(SignalSource.PollInterval);
        Assert.ThrowsAsync<ArgumentException>(() => source.ExecuteTask!.WaitAsync(WaitLimit));
        await source.StopAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(channel.Backlog, Is.Zero);
            Assert.That(_board.Get(DataSources.Crypto)!.Detail, Does.StartWith("failed: The crypto source cannot publish a reddit signal."));
            Assert.That(_board.Get(DataSources.Reddit), Is.Null);
        });
    }

    private MockFeed CreateSource(SignalChannel channel, Func<DateTimeOffset, IReadOnlyList<MarketSignal>> dueBy) =>
        new(DataSources.Crypto, dueBy, seed: 1, Detail, channel, _board, _time, new IngestMetrics(_meters.Factory), NullLogger<MockFeed>.Instance);

    private static PriceTick[] Ticks(int count, string symbol = "BTCUSDT") =>
        [.. Enumerable.Range(0, count).Select(i => new PriceTick(symbol, 100 + i, Start.AddMilliseconds(i), IsMock: true))];

    private static async Task<List<MarketSignal>> ReadAsync(SignalChannel channel, int count)
    {
        var received = new List<MarketSignal>();
        for (var i = 0; i < count; i++)
        {
            received.Add(await channel.Reader.ReadAsync().AsTask().WaitAsync(WaitLimit));
        }

        return received;
    }
}
