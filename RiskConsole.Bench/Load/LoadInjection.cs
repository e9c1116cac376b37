using System.Diagnostics;
using Microsoft.Extensions.Logging;
using RiskConsole.Core.Contracts;
using RiskConsole.Core.Signals;
using RiskConsole.Ingest;

namespace RiskConsole.Bench.Load;

/// <summary>
/// What the harness tells the injected sources: when to start, at what rate, when to stop; and what they tell it back:
/// how many signals went in, and the timestamp of the last one per key (the value a client must end with, or it lost it).
/// </summary>
public sealed class LoadInjection : IDisposable
{
    /// <summary>Share of the rate per source: trades outnumber market updates, which outnumber posts.</summary>
    public static readonly IReadOnlyDictionary<string, double> Shares = new Dictionary<string, double>(StringComparer.Ordinal)
    {
        [DataSources.Crypto] = 0.70,
        [DataSources.Polymarket] = 0.25,
        [DataSources.Reddit] = 0.05,
    };

    private readonly TaskCompletionSource<double> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopped = new();
    private readonly long[] _lastTicks = new long[LoadKeys.Count];
    private long _injected;

    /// <summary>Completes with the rate (signals per second over all sources) when the harness starts the injection.</summary>
    public Task<double> Started => _started.Task;

    /// <summary>Cancelled when the harness stops the injection.</summary>
    public CancellationToken Stopping => _stopped.Token;

    public long Injected => Interlocked.Read(ref _injected);

    public void Start(double signalsPerSecond) => _started.TrySetResult(signalsPerSecond);

    /// <summary>Stops the sources; returns once they are no longer writing (at most a second).</summary>
    public async Task<long[]> StopAsync(IReadOnlyCollection<LoadSignalSource> sources)
    {
        await _stopped.CancelAsync();
        await Task.WhenAll(sources.Select(s => s.Idle)).WaitAsync(TimeSpan.FromSeconds(5));
        return (long[])_lastTicks.Clone();
    }

    public void Dispose() => _stopped.Dispose();

    internal void Record(int keyIndex, long ticks)
    {
        Volatile.Write(ref _lastTicks[keyIndex], ticks);
        Interlocked.Increment(ref _injected);
    }
}

/// <summary>
/// A test ingest source for one data source, registered into the in-process server in place of its feeds: from
/// <see cref="LoadInjection.Started"/> until it stops, it writes its share of the rate into the signal channel through
/// the same <see cref="SignalSource.PublishAsync"/> as every feed (waiting while the channel is full, so a router that
/// cannot keep up slows the injection rather than losing signals), round-robin over its keys. Each signal is stamped
/// with the moment it is written, which the engine keeps as DataUpdate.At: so a client's receipt time minus At is the
/// injection→receipt latency. Values take small random steps, so the engine accepts every one (no price jump, no
/// duplicate, time order per key).
/// </summary>
public sealed class LoadSignalSource(
    string source,
    LoadInjection injection,
    SignalChannel channel,
    SourceStatusBoard board,
    TimeProvider time,
    IngestMetrics metrics,
    ILogger<LoadSignalSource> logger)
    : SignalSource(source, channel, board, time, metrics, logger)
{
    private readonly TaskCompletionSource _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TimeProvider _time = time;

    /// <summary>Completes when this source has stopped writing (or never started).</summary>
    public Task Idle => _idle.Task;

    protected override string StartMode => SourceModes.Live;

    protected override string? StartDetail => "load harness injection";

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        try
        {
            var total = await injection.Started.WaitAsync(stoppingToken);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, injection.Stopping);
            await InjectAsync(total * LoadInjection.Shares[Source], linked.Token);
        }
        catch (OperationCanceledException) when (injection.Stopping.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
        {
            // The harness stopped the injection; the source idles until the host stops it.
            _idle.TrySetResult();
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        finally
        {
            _idle.TrySetResult();
        }
    }

    private async Task InjectAsync(double rate, CancellationToken cancellationToken)
    {
        var keys = LoadKeys.RangeOf(Source);
        var (first, count) = keys.GetOffsetAndLength(LoadKeys.Count);
        var random = new Random(first + 1);
        var values = new double[count];
        var lastTicks = new long[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = Source switch
            {
                DataSources.Crypto => 10 + (1000 * random.NextDouble()),
                DataSources.Polymarket => 0.2 + (0.6 * random.NextDouble()),
                _ => 0,
            };
        }

        var watch = Stopwatch.StartNew();
        long sent = 0;
        var next = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var due = (long)(watch.Elapsed.TotalSeconds * rate) - sent;
            for (var n = 0; n < due; n++)
            {
                var key = next;
                next = (next + 1) % count;
                var ticks = Math.Max(_time.GetUtcNow().UtcTicks, lastTicks[key] + 1);
                lastTicks[key] = ticks;
                var at = new DateTimeOffset(ticks, TimeSpan.Zero);
                MarketSignal signal = Source switch
                {
                    DataSources.Crypto => new PriceTick(LoadKeys.Symbols[key], values[key] *= 1 + ((random.NextDouble() - 0.5) * 0.002), at),
                    DataSources.Polymarket => new MarketProbability(LoadKeys.Markets[key], LoadKeys.Questions[key], values[key] = Math.Clamp(values[key] + ((random.NextDouble() - 0.5) * 0.02), 0.02, 0.98), at),
                    _ => new SentimentSample(LoadKeys.Subreddits[key], Math.Round((random.NextDouble() * 2) - 1, 3), at, "load harness post"),
                };
                await PublishAsync(signal, cancellationToken);
                injection.Record(first + key, ticks);
                sent++;
            }

            await Task.Delay(1, cancellationToken);
        }
    }
}
