using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RiskConsole.Core.Contracts;
using RiskConsole.Core.Signals;

namespace RiskConsole.Ingest.Mock;

/// <summary>
/// The loop every mock feed runs: wait (on the injected clock) until the generator's next signal is due,
/// take every signal due by now, and write each into the channel, awaiting room so nothing is dropped.
/// Signals are written when their timestamp comes due, as a live feed would deliver them.
/// </summary>
public abstract class MockFeed : BackgroundService
{
    /// <summary>The detail shown on the status board while a source runs on generated data.</summary>
    public const string StatusDetail = "mock data (Ingest:Mode=mock)";

    private readonly SignalChannel _channel;
    private readonly SourceStatusBoard _board;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    protected MockFeed(SignalChannel channel, SourceStatusBoard board, TimeProvider time, ILogger logger)
    {
        _channel = channel;
        _board = board;
        _time = time;
        _logger = logger;
    }

    /// <summary>The source this feed stands in for (one of <see cref="DataSources"/>).</summary>
    public abstract string Source { get; }

    /// <summary>The seed of the generator, logged so a run can be replayed.</summary>
    protected abstract int Seed { get; }

    /// <summary>When the generator's next signal is due.</summary>
    protected abstract DateTimeOffset NextSignalAt { get; }

    /// <summary>The generator's signals due by <paramref name="now"/>, in time order.</summary>
    protected abstract IReadOnlyList<MarketSignal> Advance(DateTimeOffset now);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Reported before the first await, so the board shows the mode as soon as the host has started us.
        _board.Report(Source, SourceModes.Mock, healthy: true, StatusDetail);
        _logger.LogInformation("Mock {Source} feed started with seed {Seed} (set Ingest:Mock:Seed to replay this run)", Source, Seed);

        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = NextSignalAt - _time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _time, stoppingToken).ConfigureAwait(false);
            }

            foreach (var signal in Advance(_time.GetUtcNow()))
            {
                await _channel.Writer.WriteAsync(signal, stoppingToken).ConfigureAwait(false);
                _board.Touch(Source, signal.Timestamp);
            }
        }
    }
}

/// <summary>Runs <see cref="MockPriceGenerator"/>: trades for every configured symbol into the signal channel.</summary>
public sealed class MockPriceFeed(
    MockPriceGenerator generator,
    MockMarketMood mood,
    SignalChannel channel,
    SourceStatusBoard board,
    TimeProvider time,
    ILogger<MockPriceFeed> logger)
    : MockFeed(channel, board, time, logger)
{
    public override string Source => DataSources.Crypto;

    protected override int Seed => mood.Seed;

    protected override DateTimeOffset NextSignalAt => generator.NextTickAt;

    protected override IReadOnlyList<MarketSignal> Advance(DateTimeOffset now) => generator.Advance(now);
}

/// <summary>Runs <see cref="MockMarketGenerator"/>: prediction-market probabilities into the signal channel.</summary>
public sealed class MockMarketFeed(
    MockMarketGenerator generator,
    MockMarketMood mood,
    SignalChannel channel,
    SourceStatusBoard board,
    TimeProvider time,
    ILogger<MockMarketFeed> logger)
    : MockFeed(channel, board, time, logger)
{
    public override string Source => DataSources.Polymarket;

    protected override int Seed => mood.Seed;

    protected override DateTimeOffset NextSignalAt => generator.NextUpdateAt;

    protected override IReadOnlyList<MarketSignal> Advance(DateTimeOffset now) => generator.Advance(now);
}

/// <summary>Runs <see cref="MockRedditGenerator"/>: scored posts into the signal channel.</summary>
public sealed class MockRedditFeed(
    MockRedditGenerator generator,
    MockMarketMood mood,
    SignalChannel channel,
    SourceStatusBoard board,
    TimeProvider time,
    ILogger<MockRedditFeed> logger)
    : MockFeed(channel, board, time, logger)
{
    public override string Source => DataSources.Reddit;

    protected override int Seed => mood.Seed;

    protected override DateTimeOffset NextSignalAt => generator.NextPostAt;

    protected override IReadOnlyList<MarketSignal> Advance(DateTimeOffset now) => generator.Advance(now);
}
