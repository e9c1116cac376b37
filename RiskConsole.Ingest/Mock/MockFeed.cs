using Microsoft.Extensions.Options;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RiskConsole.Core.Contracts;
using RiskConsole.Core.Signals;

namespace RiskConsole.Ingest.Mock;

/// <summary>
/// The loop every mock feed runs: on each tick of a short timer on the injected clock, take every signal the
/// generator has due by now and write each into the channel, awaiting room so nothing is dropped.
/// </summary>
public abstract partial class MockFeed : BackgroundService
{
    /// <summary>
    /// How often the generator is asked for due signals. A signal is delivered at most this late, far inside the
    /// engine's one-second bar and the 100 ms publish tick; the signal keeps its own timestamp either way.
    /// </summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    private readonly SignalChannel _channel;
    private readonly SourceStatusBoard _board;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _statusDetail;
    private PeriodicTimer? _timer;

    protected MockFeed(SignalChannel channel, SourceStatusBoard board, TimeProvider time, ILogger logger, MockFeedOptions options)
    {
        _statusDetail = options.StatusDetail;
        _channel = channel;
        _board = board;
        _time = time;
        _logger = logger;
    }

    /// <summary>The source this feed stands in for (one of <see cref="DataSources"/>).</summary>
    public abstract string Source { get; }

    /// <summary>The seed of the generator, logged so a run can be replayed.</summary>
    protected abstract int Seed { get; }

    /// <summary>The generator's signals due by <paramref name="now"/>, in time order.</summary>
    protected abstract IReadOnlyList<MarketSignal> Advance(DateTimeOffset now);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Both happen here rather than in ExecuteAsync, which .NET 10 runs on a background thread: the board shows
        // the mode as soon as the host has started us, and a timer that exists from the start remembers a tick
        // even if the clock moves before the loop first waits (so a test's fake clock cannot race it).
        _board.Report(Source, SourceModes.Mock, healthy: true, _statusDetail);
        _timer = new PeriodicTimer(PollInterval, _time);
        return base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _timer?.Dispose();
        base.Dispose();
        GC.SuppressFinalize(this);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var timer = _timer ?? throw new InvalidOperationException($"{GetType().Name} runs only through StartAsync, which creates its timer.");
        LogStarted(_logger, Source, Seed);

        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            foreach (var signal in Advance(_time.GetUtcNow()))
            {
                await _channel.Writer.WriteAsync(signal, stoppingToken).ConfigureAwait(false);
                _board.Touch(Source, signal.Timestamp);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Mock {Source} feed started with seed {Seed} (set Ingest:Mock:Seed to replay this run)")]
    private static partial void LogStarted(ILogger logger, string source, int seed);
}

/// <summary>Runs <see cref="MockPriceGenerator"/>: trades for every configured symbol into the signal channel.</summary>
public sealed class MockPriceFeed(
    MockPriceGenerator generator,
    MockMarketMood mood,
    SignalChannel channel,
    SourceStatusBoard board,
    TimeProvider time,
    ILogger<MockPriceFeed> logger,
    IOptions<MockFeedOptions> options)
    : MockFeed(channel, board, time, logger, options.Value)
{
    public override string Source => DataSources.Crypto;

    protected override int Seed => mood.Seed;


    protected override IReadOnlyList<MarketSignal> Advance(DateTimeOffset now) => generator.Advance(now);
}

/// <summary>Runs <see cref="MockMarketGenerator"/>: prediction-market probabilities into the signal channel.</summary>
public sealed class MockMarketFeed(
    MockMarketGenerator generator,
    MockMarketMood mood,
    SignalChannel channel,
    SourceStatusBoard board,
    TimeProvider time,
    ILogger<MockMarketFeed> logger,
    IOptions<MockFeedOptions> options)
    : MockFeed(channel, board, time, logger, options.Value)
{
    public override string Source => DataSources.Polymarket;

    protected override int Seed => mood.Seed;


    protected override IReadOnlyList<MarketSignal> Advance(DateTimeOffset now) => generator.Advance(now);
}

/// <summary>Runs <see cref="MockRedditGenerator"/>: scored posts into the signal channel.</summary>
public sealed class MockRedditFeed(
    MockRedditGenerator generator,
    MockMarketMood mood,
    SignalChannel channel,
    SourceStatusBoard board,
    TimeProvider time,
    ILogger<MockRedditFeed> logger,
    IOptions<MockFeedOptions> options)
    : MockFeed(channel, board, time, logger, options.Value)
{
    public override string Source => DataSources.Reddit;

    protected override int Seed => mood.Seed;


    protected override IReadOnlyList<MarketSignal> Advance(DateTimeOffset now) => generator.Advance(now);
}
