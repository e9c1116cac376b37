using RiskConsole.Core.Contracts;
using RiskConsole.Core.Signals;

namespace RiskConsole.Core.Risk;

/// <summary>
/// Turns signals into one explainable 0–100 score. Time comes only from the signals' timestamps and from
/// <see cref="AdvanceTo"/>, never from the wall clock.
/// <para>
/// Bars close by event time: bar k closes once the engine clock (the latest of <see cref="AdvanceTo"/> and the
/// accepted signals' timestamps) has passed its end by <see cref="RiskModelOptions.LatenessSeconds"/> (the watermark).
/// A signal stamped inside a closed bar is rejected as late; one stamped in a later bar than the open one waits
/// until its bar opens. So the evaluation of bar k sees exactly the accepted signals stamped before its end, in the
/// order they arrived, and feeding the accepted signals of a live run into a new engine in the same order (then
/// advancing it to the live run's last clock) reproduces every evaluation exactly, however late each signal was.
/// </para>
/// A bar in which no component has fresh data and no fresh price has fallen is not evaluated (no normalizer value, no
/// warm-up progress, no score change); one with only a fall is scored by the fall floor alone (see
/// <see cref="CryptoVolatilityScorer.FallRisk"/>: the score is never below 100 × the fall term). <see cref="Submit"/> is O(1) and allocation-free in steady state (a new key allocates once; the queue of
/// waiting signals grows to its high-water mark once). Not thread-safe: one caller at a time.
/// </summary>
public sealed class RiskEngine
{
    /// <summary>Signals that may wait for their bar at most; far above any real rate over the few seconds a signal waits.</summary>
    public const int MaxWaitingSignals = 1_000_000;

    private const long None = long.MinValue;

    // A score equal to the fall floor is carried by it; a billionth of a point is far below anything a person or the
    // threshold can tell apart, and keeps the last bit of a sum from deciding it.
    private const double FloorTolerance = 1e-9;

    private readonly RiskModelOptions _options;
    private readonly long _barTicks;
    private readonly long _latenessTicks;
    private readonly long _futureTicks;
    private readonly CryptoVolatilityScorer _crypto;
    private readonly PolymarketScorer _polymarket;
    private readonly RedditSentimentScorer _reddit;
    private readonly AdaptiveNormalizer _normalizer;
    private readonly Queue<WaitingSignal> _waiting = new();
    private readonly long[] _verdictCounts = new long[Enum.GetValues<SignalVerdict>().Length];
    private long _advancedTicks = None;
    private long _eventTicks = None;
    private long _openBar = None;
    private RiskReading _current;

    public RiskEngine(RiskModelOptions options)
    {
        var errors = options.Validate().ToList();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(options));
        }

        _options = options;
        _barTicks = Math.Max(1, (long)Math.Round(options.BarSeconds * TimeSpan.TicksPerSecond));
        _latenessTicks = (long)(options.LatenessSeconds * TimeSpan.TicksPerSecond);
        _futureTicks = (long)(options.FutureToleranceSeconds * TimeSpan.TicksPerSecond);
        _crypto = new CryptoVolatilityScorer(options);
        _polymarket = new PolymarketScorer(options);
        _reddit = new RedditSentimentScorer(options);
        _normalizer = new AdaptiveNormalizer(options.NormalizerWindow, options.MinimumSpan, options.WarmupValues);
        Current = RiskReading.Empty;
    }

    public RiskModelOptions Options => _options;

    public RiskReading Current
    {
        get => _current;
        private set
        {
            _current = value;
            ReadingChanged?.Invoke(value);
        }
    }

    /// <summary>
    /// Every new reading, in order (each evaluated bar, and each "components went stale" change): what a journal
    /// records and what a replay must reproduce. Raised on the caller's thread, inside Submit or AdvanceTo.
    /// </summary>
    public event Action<RiskReading>? ReadingChanged;

    public CryptoVolatilityScorer Crypto => _crypto;

    public PolymarketScorer Polymarket => _polymarket;

    public RedditSentimentScorer Reddit => _reddit;

    public AdaptiveNormalizer Normalizer => _normalizer;

    public long AcceptedSignals => _verdictCounts[(int)SignalVerdict.Accepted];

    public long RejectedSignals => _verdictCounts.Sum() - AcceptedSignals;

    /// <summary>Accepted signals stamped in a later bar than the open one, waiting for it to open.</summary>
    public int WaitingSignals => _waiting.Count;

    /// <summary>The engine clock: the latest of <see cref="AdvanceTo"/> and the accepted signals' timestamps; null before any.</summary>
    public DateTimeOffset? Clock
    {
        get
        {
            var ticks = Math.Max(_advancedTicks, _eventTicks);
            return ticks == None ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    /// <summary>Every bar ending at or before this moment is closed; a signal stamped before it is late. Null before any time.</summary>
    public DateTimeOffset? ClosedThrough => _openBar == None ? null : new DateTimeOffset(Math.Max(0, _openBar * _barTicks), TimeSpan.Zero);

    public long Count(SignalVerdict verdict) => _verdictCounts[(int)verdict];

    /// <summary>Validates and applies one signal. A rejected signal changes nothing but its counter.</summary>
    public SignalVerdict Submit(MarketSignal signal)
    {
        var verdict = Admit(signal, out var bar, out var rebase);
        _verdictCounts[(int)verdict]++;
        if (verdict != SignalVerdict.Accepted)
        {
            return verdict;
        }

        _eventTicks = Math.Max(_eventTicks, signal.Timestamp.UtcTicks);
        CloseBars();
        if (bar == _openBar)
        {
            Apply(signal, rebase);
        }
        else
        {
            _waiting.Enqueue(new WaitingSignal(signal, bar, rebase));
        }

        return verdict;
    }

    /// <summary>
    /// Moves the engine clock forward (the server's publish tick, a replay's virtual clock), so bars close without
    /// signals and signals stamped too far ahead of it are refused. An earlier time than before is ignored.
    /// </summary>
    public void AdvanceTo(DateTimeOffset now)
    {
        _advancedTicks = Math.Max(_advancedTicks, now.UtcTicks);
        CloseBars();
    }

    public RiskStatistics GetStatistics(long interruptCount, long forcedInterruptCount)
    {
        var rejected = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var verdict in Enum.GetValues<SignalVerdict>())
        {
            if (verdict != SignalVerdict.Accepted && _verdictCounts[(int)verdict] > 0)
            {
                rejected[verdict.Name()] = _verdictCounts[(int)verdict];
            }
        }

        return new RiskStatistics(
            Current.Score,
            Current.Evaluations,
            interruptCount,
            _crypto.DataPoints,
            _polymarket.DataPoints,
            _reddit.DataPoints,
            _crypto.ReturnVolatility,
            _polymarket.ProbabilityVolatility,
            new NormalizerStats(_normalizer.Count, _normalizer.Min, _normalizer.Max, _normalizer.Mean),
            forcedInterruptCount,
            rejected);
    }

    private SignalVerdict Admit(MarketSignal? signal, out long bar, out bool rebase)
    {
        bar = 0;
        rebase = false;
        var fields = CheckFields(signal);
        if (fields != SignalVerdict.Accepted)
        {
            return fields;
        }

        var ticks = signal!.Timestamp.UtcTicks;
        if (_advancedTicks != None && ticks - _advancedTicks > _futureTicks)
        {
            return SignalVerdict.TooFarAhead;
        }

        bar = ticks / _barTicks;
        if (_openBar != None && bar < _openBar)
        {
            return SignalVerdict.Late;
        }

        if (_waiting.Count >= MaxWaitingSignals && bar != _openBar)
        {
            return SignalVerdict.Backlog;
        }

        // Per-key rules last: they record the signal as the key's latest, so nothing may refuse it after them.
        return signal switch
        {
            PriceTick tick => _crypto.Admit(tick, out rebase),
            MarketProbability probability => _polymarket.Admit(probability),
            SentimentSample sample => _reddit.Admit(sample),
            _ => SignalVerdict.UnknownSignal,
        };
    }

    /// <summary>Every field of every signal, so no value that reaches a scorer or a display can be absurd.</summary>
    private SignalVerdict CheckFields(MarketSignal? signal)
    {
        switch (signal)
        {
            case PriceTick tick:
                if (string.IsNullOrWhiteSpace(tick.Symbol))
                {
                    return SignalVerdict.EmptyKey;
                }

                if (tick.Symbol.Length > _options.MaxKeyLength)
                {
                    return SignalVerdict.FieldTooLong;
                }

                if (!double.IsFinite(tick.Price))
                {
                    return SignalVerdict.NotFinite;
                }

                if (tick.Price <= 0)
                {
                    return SignalVerdict.NonPositivePrice;
                }

                return tick.Price < _options.MinimumPrice || tick.Price > _options.MaximumPrice
                    ? SignalVerdict.ImplausiblePrice
                    : SignalVerdict.Accepted;

            case MarketProbability probability:
                if (string.IsNullOrWhiteSpace(probability.MarketId))
                {
                    return SignalVerdict.EmptyKey;
                }

                if (string.IsNullOrWhiteSpace(probability.Question))
                {
                    return SignalVerdict.EmptyText;
                }

                if (probability.MarketId.Length > _options.MaxKeyLength || probability.Question.Length > _options.MaxTextLength)
                {
                    return SignalVerdict.FieldTooLong;
                }

                if (!double.IsFinite(probability.Probability))
                {
                    return SignalVerdict.NotFinite;
                }

                return probability.Probability is < 0 or > 1 ? SignalVerdict.ProbabilityOutOfRange : SignalVerdict.Accepted;

            case SentimentSample sample:
                if (string.IsNullOrWhiteSpace(sample.SourceId))
                {
                    return SignalVerdict.EmptyKey;
                }

                if (string.IsNullOrWhiteSpace(sample.Text))
                {
                    return SignalVerdict.EmptyText;
                }

                if (sample.SourceId.Length > _options.MaxKeyLength || sample.Text.Length > _options.MaxTextLength)
                {
                    return SignalVerdict.FieldTooLong;
                }

                if (!double.IsFinite(sample.Compound))
                {
                    return SignalVerdict.NotFinite;
                }

                return sample.Compound is < -1 or > 1 ? SignalVerdict.CompoundOutOfRange : SignalVerdict.Accepted;

            default:
                return SignalVerdict.UnknownSignal;
        }
    }

    private void Apply(MarketSignal signal, bool rebase)
    {
        switch (signal)
        {
            case PriceTick tick:
                _crypto.Apply(tick, rebase);
                break;
            case MarketProbability probability:
                _polymarket.Apply(probability);
                break;
            case SentimentSample sample:
                _reddit.Apply(sample);
                break;
        }
    }

    /// <summary>Closes every bar the watermark has passed, evaluating each and letting waiting signals into the next.</summary>
    private void CloseBars()
    {
        var clock = Math.Max(_advancedTicks, _eventTicks);
        if (clock == None)
        {
            return;
        }

        var target = FloorDiv(clock - _latenessTicks, _barTicks);
        if (_openBar == None)
        {
            _openBar = target;
            return;
        }

        while (_openBar < target)
        {
            var evaluated = CloseOpenBar();
            _openBar++;
            if (!evaluated && _crypto.IsSettled)
            {
                // Nothing is fresh and no price can still move: until a waiting signal's bar, every bar would close
                // exactly like this one did, so they are skipped (a silence of a year costs nothing).
                _openBar = Math.Min(target, NextWaitingBar());
            }

            LetWaitingSignalsIn();
        }
    }

    /// <summary>Closes the open bar; returns whether it was evaluated (some component had fresh data, or a fresh price had fallen).</summary>
    private bool CloseOpenBar()
    {
        var barEnd = (_openBar + 1) * _barTicks;
        _crypto.CloseBar();
        _crypto.Evaluate(barEnd);
        _polymarket.Evaluate(barEnd);
        _reddit.Evaluate(barEnd);

        var (raw, amplification, elevated) = Combine(_crypto.Risk, _polymarket.Risk, _reddit.Risk, _options);
        var fall = _options.CryptoWeight > 0 ? _crypto.FallRisk : 0;
        var at = new DateTimeOffset(barEnd, TimeSpan.Zero);
        var previous = Current;
        if (double.IsNaN(raw) && fall <= 0)
        {
            // No fresh data: nothing is evaluated and the score stays; only say (once) that the components went away.
            if (!double.IsNaN(previous.Crypto) || !double.IsNaN(previous.Polymarket) || !double.IsNaN(previous.Reddit)
                || previous.FallRisk != 0 || !double.IsNaN(previous.CryptoDrawdown)
                || previous.CryptoStale != _crypto.IsStale || previous.PolymarketStale != _polymarket.IsStale || previous.RedditStale != _reddit.IsStale)
            {
                Current = previous with
                {
                    Crypto = double.NaN, Polymarket = double.NaN, Reddit = double.NaN, Amplification = 1, ElevatedCount = 0,
                    RiskiestSymbol = null, CryptoVolatilityAnnualized = double.NaN, CryptoDrawdown = double.NaN, DrawdownSymbol = null,
                    FallRisk = 0, PolymarketRepricing = double.NaN,
                    PolymarketShock = double.NaN, RedditSentiment = double.NaN, CryptoStale = _crypto.IsStale,
                    PolymarketStale = _polymarket.IsStale, RedditStale = _reddit.IsStale, Revision = previous.Revision + 1, At = at,
                };
            }

            return false;
        }

        // The normalizer makes the score relative to its recent range, which is right for volatility and mood (a calm
        // market's noise must not read as a storm) but wrong for a fall: a grind that has taken 8 % off the day's high is
        // as bad in its tenth hour as in its fifth, while its value would long have become the window's "normal", and
        // the minimum span would stretch a calm week's 3 % dip into a storm. So the fall term stays out of the weighted
        // mean and the normalizer, and is a floor under the score. It needs no history: a fall measured on the prices
        // seen is a fact, and a cold start can only under-measure it (its high is at most the true one), so a score
        // carried by the floor is not "warming up" and may interrupt; one still resting on the normalizer's first
        // values is. A fall before any component has data (a cold start in a crash) is scored by the floor alone.
        var floor = 100 * fall;
        double relative = 0;
        var warmingUp = false;
        if (double.IsNaN(raw))
        {
            raw = 0;
        }
        else
        {
            relative = _normalizer.Normalize(raw);
            warmingUp = _normalizer.IsWarmingUp && (floor <= 0 || relative > floor + FloorTolerance);
        }

        var score = Math.Max(relative, floor);

        Current = new RiskReading
        {
            Score = score,
            Raw = raw,
            Crypto = _crypto.Risk,
            Polymarket = _polymarket.Risk,
            Reddit = _reddit.Risk,
            Amplification = amplification,
            ElevatedCount = elevated,
            RiskiestSymbol = _crypto.RiskiestSymbol,
            CryptoVolatilityAnnualized = _crypto.AnnualizedVolatility,
            CryptoDrawdown = _crypto.Drawdown,
            DrawdownSymbol = _crypto.DrawdownSymbol,
            FallRisk = fall,
            PolymarketRepricing = _polymarket.MeanRepricing,
            PolymarketShock = _polymarket.MaxShock,
            RedditSentiment = _reddit.MeanSentiment,
            WarmingUp = warmingUp,
            CryptoStale = _crypto.IsStale,
            PolymarketStale = _polymarket.IsStale,
            RedditStale = _reddit.IsStale,
            Evaluations = previous.Evaluations + 1,
            Revision = previous.Revision + 1,
            At = at,
        };
        return true;
    }

    /// <summary>
    /// The combination rule: the weighted mean of the components with data (NaN = no data, its weight is shared among
    /// the others), times the amplification 1 + AmplificationPerElevated × (sum of elevations − the largest), capped
    /// at 1. Raw is NaN when no weighted component has data. Continuous and monotone in every component.
    /// </summary>
    public static (double Raw, double Amplification, int ElevatedCount) Combine(double crypto, double polymarket, double reddit, RiskModelOptions options)
    {
        double weighted = 0, weights = 0, elevationSum = 0, elevationMax = 0;
        var elevated = 0;
        Accumulate(crypto, options.CryptoWeight);
        Accumulate(polymarket, options.PolymarketWeight);
        Accumulate(reddit, options.RedditWeight);
        if (weights <= 0)
        {
            return (double.NaN, 1, 0);
        }

        var amplification = 1 + (options.AmplificationPerElevated * (elevationSum - elevationMax));
        return (Math.Clamp(weighted / weights * amplification, 0, 1), amplification, elevated);

        void Accumulate(double risk, double weight)
        {
            if (double.IsNaN(risk) || weight <= 0)
            {
                return;
            }

            weighted += weight * risk;
            weights += weight;
            var elevation = Elevation(risk, options.ElevatedLevel, options.ElevationWidth);
            elevationSum += elevation;
            elevationMax = Math.Max(elevationMax, elevation);
            if (risk >= options.ElevatedLevel)
            {
                elevated++;
            }
        }
    }

    /// <summary>
    /// How elevated a component is, in [0, 1]: 0 up to level − width, 1 from level + width, linear between. Summing
    /// these instead of counting components over a line keeps the amplification continuous and monotone.
    /// </summary>
    public static double Elevation(double risk, double level, double width) =>
        Math.Clamp((risk - (level - width)) / (2 * width), 0, 1);

    private long NextWaitingBar()
    {
        var next = long.MaxValue;
        foreach (var waiting in _waiting)
        {
            next = Math.Min(next, waiting.Bar);
        }

        return next;
    }

    private void LetWaitingSignalsIn()
    {
        // Waiting signals span a few bars at most; one pass keeps their arrival order, which is the order they apply in.
        for (var i = _waiting.Count; i > 0; i--)
        {
            var waiting = _waiting.Dequeue();
            if (waiting.Bar <= _openBar)
            {
                Apply(waiting.Signal, waiting.Rebase);
            }
            else
            {
                _waiting.Enqueue(waiting);
            }
        }
    }

    private static long FloorDiv(long value, long divisor)
    {
        var quotient = value / divisor;
        return value % divisor < 0 ? quotient - 1 : quotient;
    }

    private readonly record struct WaitingSignal(MarketSignal Signal, long Bar, bool Rebase);
}
