using Microsoft.Extensions.Logging;
using RiskConsole.Core.Contracts;
using RiskConsole.Core.Signals;

namespace RiskConsole.Ingest.Mock;

/// <summary>
/// A mock generator run as a source: the board shows <see cref="SourceModes.Mock"/> with the reason, and every
/// <see cref="SignalSource.PollInterval"/> the signals the generator has due are written into the channel.
/// One class for all three sources; <see cref="MockFeedRegistration.AddMockFeeds"/> registers one per generator.
/// </summary>
public sealed partial class MockFeed : SignalSource
{
    private readonly Func<DateTimeOffset, IReadOnlyList<MarketSignal>> _dueBy;
    private readonly int _seed;
    private readonly string _statusDetail;

    /// <param name="source">The source the generator stands in for (one of <see cref="DataSources"/>).</param>
    /// <param name="dueBy">The generator's <c>Advance</c>: its signals due by a time, in time order.</param>
    /// <param name="seed">The generator's seed, logged so a run can be replayed.</param>
    /// <param name="statusDetail">Why the source is on mock data, for the board.</param>
    public MockFeed(
        string source,
        Func<DateTimeOffset, IReadOnlyList<MarketSignal>> dueBy,
        int seed,
        string statusDetail,
        SignalChannel channel,
        SourceStatusBoard board,
        TimeProvider time,
        IngestMetrics metrics,
        ILogger<MockFeed> logger)
        : base(source, channel, board, time, metrics, logger)
    {
        _dueBy = dueBy ?? throw new ArgumentNullException(nameof(dueBy));
        _seed = seed;
        _statusDetail = statusDetail;
    }

    protected override string StartMode => SourceModes.Mock;

    protected override string? StartDetail => _statusDetail;

    protected override Task RunAsync(CancellationToken stoppingToken)
    {
        LogSeed(Logger, Source, _seed);
        return PumpAsync(_dueBy, stoppingToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Mock {Source} feed started with seed {Seed} (set Ingest:Mock:Seed to replay this run)")]
    private static partial void LogSeed(ILogger logger, string source, int seed);
}
