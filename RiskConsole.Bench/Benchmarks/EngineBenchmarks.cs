using BenchmarkDotNet.Attributes;
using RiskConsole.Core.Interrupts;
using RiskConsole.Core.Risk;
using RiskConsole.Core.Signals;
using RiskConsole.Engine.Scoring;

namespace RiskConsole.Bench.Benchmarks;

/// <summary>
/// One engine update per signal kind: <see cref="RiskMonitor.Ingest"/>, what the router's read loop calls for every
/// signal (the monitor's lock, the engine clock, validation, per-key ordering, the scorer's update, the unsent-data
/// map and the roast context). The per-kind benchmarks ingest a ring of <see cref="RingSize"/> prepared signals on three
/// keys, stamped in the open bar (the clock stands <see cref="RiskModelOptions.LatenessSeconds"/> after them, so each is
/// applied at once rather than queued for a later bar) with values that differ from the key's last one, so every signal
/// is accepted (same millisecond, new value: as an exchange stamps many trades) and the engine stays in steady state
/// for as long as BenchmarkDotNet runs. The clock does not move, so no bar closes there: a bar closes once a second
/// whatever the rate, and <see cref="MixedWithBarCloses"/> measures it amortized over a stream with the clock following
/// the signals, where each signal waits in the engine's queue until its bar opens, as live.
/// </summary>
[MemoryDiagnoser]
public class EngineBenchmarks
{
    public const int RingSize = 1024;

    /// <summary>Signals in the stream of <see cref="MixedWithBarCloses"/>: 300 seconds of event time at 1,000 a second.</summary>
    public const int StreamSize = 300_000;

    /// <summary>The stream's first 5 seconds, ingested before measuring: the waiting queue has reached its high-water mark.</summary>
    public const int StreamPrefix = 5_000;

    private static readonly DateTimeOffset Start = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly FixedTime _time = new(Start);
    private RiskEngine _engine = null!;
    private RiskMonitor _monitor = null!;
    private MarketSignal[] _prices = [];
    private MarketSignal[] _probabilities = [];
    private MarketSignal[] _posts = [];
    private MarketSignal[] _stream = [];
    private AdaptiveNormalizer _normalizer = null!;
    private double[] _raws = [];

    [GlobalSetup(Targets = [nameof(CryptoPrice), nameof(PolymarketProbability), nameof(RedditPost)])]
    public void SetupRings()
    {
        string[] symbols = ["BTCUSDT", "ETHUSDT", "SOLUSDT"];
        string[] markets = ["0x924e4a9f", "0x1c2b3d4e", "0x7f6e5d4c"];
        string[] feeds = ["r/Bitcoin", "r/CryptoCurrency", "r/wallstreetbets"];
        const string question = "Will Bitcoin reach $100,000 by December 31, 2026?";
        const string post = "BTC just lost 85k, this is getting ugly";

        // Key i % 3, value i % 7: the next signal of a key (3 later, or across the ring's end) always has a new value.
        _prices = Ring(i => new PriceTick(symbols[i % 3], 84_000 + (i % 7), Start));
        _probabilities = Ring(i => new MarketProbability(markets[i % 3], question, 0.60 + ((i % 7) * 0.01), Start));
        _posts = Ring(i => new SentimentSample(feeds[i % 3], -0.5 + ((i % 7) * 0.1), Start, post));
        _time.Now = Start.AddSeconds(new RiskModelOptions().LatenessSeconds);
        _monitor = NewMonitor(_time);

        // Every key seen, every window filled: what follows is steady state. Each signal must be accepted and applied at
        // once, or the figures would time a refusal or a queue that grows.
        foreach (var ring in new[] { _prices, _probabilities, _posts })
        {
            for (var pass = 0; pass < 4; pass++)
            {
                if (IngestAll(ring) != RingSize || _engine.WaitingSignals != 0)
                {
                    throw new InvalidOperationException($"ring not accepted as prepared: {_engine.AcceptedSignals} accepted, {_engine.WaitingSignals} waiting");
                }
            }
        }
    }

    [GlobalSetup(Target = nameof(MixedWithBarCloses))]
    public void SetupStream()
    {
        // A stream as the live feeds make it, 10 times denser: prices every millisecond on three symbols, and every
        // tenth signal a market or a post. Bars are 1 s, so one closes (and is evaluated) every 1,000 signals.
        string[] symbols = ["BTCUSDT", "ETHUSDT", "SOLUSDT"];
        var random = new Random(12);
        _stream = new MarketSignal[StreamSize];
        for (var i = 0; i < StreamSize; i++)
        {
            var at = Start.AddMilliseconds(i);
            _stream[i] = (i % 10) switch
            {
                4 => new MarketProbability($"m{i % 4}", "Will it rain?", random.NextDouble(), at),
                9 => new SentimentSample($"r/{i % 3}", (random.NextDouble() * 2) - 1, at, "post"),
                _ => new PriceTick(symbols[i % 3], 84_000 * (1 + (random.NextDouble() * 0.001)), at),
            };
        }
    }

    /// <summary>A fresh monitor per iteration (the stream's timestamps cannot be replayed into one), fed the stream's first seconds.</summary>
    [IterationSetup(Target = nameof(MixedWithBarCloses))]
    public void NewStreamMonitor()
    {
        _monitor = NewMonitor(_time);
        if (IngestStream(0, StreamPrefix) != StreamPrefix)
        {
            throw new InvalidOperationException("the stream's prefix was not accepted");
        }
    }

    [GlobalSetup(Target = nameof(Normalizer))]
    public void SetupNormalizer()
    {
        var options = new RiskModelOptions();
        _normalizer = new AdaptiveNormalizer(options.NormalizerWindow, options.MinimumSpan, options.WarmupValues);
        var random = new Random(5);
        _raws = [.. Enumerable.Range(0, RingSize).Select(_ => random.NextDouble())];
        foreach (var raw in _raws)
        {
            _normalizer.Normalize(raw);
        }
    }

    [Benchmark(OperationsPerInvoke = RingSize)]
    public int CryptoPrice() => IngestAll(_prices);

    [Benchmark(OperationsPerInvoke = RingSize)]
    public int PolymarketProbability() => IngestAll(_probabilities);

    [Benchmark(OperationsPerInvoke = RingSize)]
    public int RedditPost() => IngestAll(_posts);

    /// <summary>
    /// 295,000 signals of all kinds with the clock following them (<see cref="RiskMonitor.Ingest"/> advances the engine to
    /// "now" first, as live), so each waits about two seconds in the engine's queue for its bar, and 295 bars close and
    /// are scored on the way: the sustained cost per signal.
    /// </summary>
    [Benchmark(OperationsPerInvoke = StreamSize - StreamPrefix)]
    public int MixedWithBarCloses() => IngestStream(StreamPrefix, StreamSize);

    /// <summary>
    /// One value into the adaptive normalizer (a full window of 100, as in steady state). Runs once per bar, not per
    /// signal, but it is the per-bar scan of the window.
    /// </summary>
    [Benchmark(OperationsPerInvoke = RingSize)]
    public double Normalizer()
    {
        double sum = 0;
        foreach (var raw in _raws)
        {
            sum += _normalizer.Normalize(raw);
        }

        return sum;
    }

    private int IngestAll(MarketSignal[] signals)
    {
        var accepted = 0;
        foreach (var signal in signals)
        {
            accepted += _monitor.Ingest(signal) == SignalVerdict.Accepted ? 1 : 0;
        }

        return accepted;
    }

    private int IngestStream(int from, int to)
    {
        var accepted = 0;
        foreach (var signal in _stream.AsSpan(from, to - from))
        {
            _time.Now = signal.Timestamp;
            accepted += _monitor.Ingest(signal) == SignalVerdict.Accepted ? 1 : 0;
        }

        return accepted;
    }

    private RiskMonitor NewMonitor(TimeProvider time)
    {
        _engine = new RiskEngine(new RiskModelOptions());
        return new RiskMonitor(_engine, new InterruptPolicy(new InterruptPolicyOptions(), time), time);
    }

    private static MarketSignal[] Ring(Func<int, MarketSignal> create) => [.. Enumerable.Range(0, RingSize).Select(create)];

    /// <summary>A clock the benchmark sets: the engine's "now" without a timer or a lock of its own.</summary>
    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
