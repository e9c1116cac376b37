using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RiskConsole.Core.Contracts;
using RiskConsole.Ingest;
using RiskConsole.Ingest.Mock;
using static RiskConsole.Tests.Ingest.IngestTestClock;

namespace RiskConsole.Tests.Ingest;

/// <summary>
/// The ingest meter through <see cref="SignalSource"/>, the class every feed and listener shares: each change of mode
/// (stopping included) counts once, a repeated mode does not, and a listener's reconnects count per source.
/// </summary>
public sealed class IngestMetricsTests
{
    private TestMeters _meters = null!;
    private FakeTimeProvider _time = null!;

    [SetUp]
    public void SetUp()
    {
        _meters = new TestMeters();
        _time = new FakeTimeProvider(Start);
    }

    [TearDown]
    public void TearDown() => _meters.Dispose();

    [Test]
    public async Task AListenerCountsEachModeChangeOnceAndEachReconnect()
    {
        using var changes = _meters.Collect<long>(IngestMetrics.MeterName, "riskconsole.source.status_changes");
        using var reconnects = _meters.Collect<long>(IngestMetrics.MeterName, "riskconsole.source.reconnects");
        using var listener = new ScriptedListener(DataSources.Polymarket, new SignalChannel(), new SourceStatusBoard(), _time, new IngestMetrics(_meters.Factory));

        await listener.StartAsync(CancellationToken.None);
        await listener.Done.WaitAsync(WaitLimit);
        await listener.StopAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(
                changes.GetMeasurementSnapshot().Select(m => (Source: m.Tags["source"], Mode: m.Tags["mode"], m.Value)),
                Is.EqualTo(new[]
                {
                    ((object?)DataSources.Polymarket, (object?)SourceModes.Starting, 1L),
                    (DataSources.Polymarket, SourceModes.Live, 1L),
                    (DataSources.Polymarket, SourceModes.Mock, 1L),
                    (DataSources.Polymarket, SourceModes.Live, 1L),
                    (DataSources.Polymarket, SourceModes.Stopped, 1L),
                }),
                "mock reported twice in a row counts once");
            Assert.That(reconnects.GetMeasurementSnapshot().Select(m => (m.Tags["source"], m.Value)), Is.EqualTo(new[] { ((object?)DataSources.Polymarket, 1L), (DataSources.Polymarket, 1L) }));
        });
    }

    [Test]
    public async Task AMockFeedCountsMockAtStartAndStoppedAtStop()
    {
        using var changes = _meters.Collect<long>(IngestMetrics.MeterName, "riskconsole.source.status_changes");
        using var feed = new MockFeed(
            DataSources.Reddit, _ => [], seed: 1, "mock data", new SignalChannel(), new SourceStatusBoard(), _time, new IngestMetrics(_meters.Factory), NullLogger<MockFeed>.Instance);

        await feed.StartAsync(CancellationToken.None);
        await feed.StopAsync(CancellationToken.None);

        Assert.That(changes.GetMeasurementSnapshot().Select(m => m.Tags["mode"]), Is.EqualTo(new[] { SourceModes.Mock, SourceModes.Stopped }));
    }

    /// <summary>What a live listener does when its upstream drops twice: live, reconnect, fall back to mock, reconnect, live.</summary>
    private sealed class ScriptedListener(string source, SignalChannel channel, SourceStatusBoard board, TimeProvider time, IngestMetrics metrics)
        : SignalSource(source, channel, board, time, metrics, NullLogger.Instance)
    {
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Done => _done.Task;

        protected override string StartMode => SourceModes.Starting;

        protected override async Task RunAsync(CancellationToken stoppingToken)
        {
            ReportStatus(SourceModes.Live, healthy: true, "connected");
            ReportReconnected();
            ReportStatus(SourceModes.Mock, healthy: false, "upstream down");
            ReportStatus(SourceModes.Mock, healthy: false, "upstream still down");
            ReportReconnected();
            ReportStatus(SourceModes.Live, healthy: true, "connected again");
            _done.TrySetResult();
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
    }
}
