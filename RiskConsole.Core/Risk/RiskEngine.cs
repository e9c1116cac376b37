using RiskConsole.Core.Contracts;
using RiskConsole.Core.Signals;

namespace RiskConsole.Core.Risk;

/// <summary>
/// Turns signals into one explainable 0–100 score. Time comes only from the signals' timestamps and from
/// <see cref="AdvanceTo"/>, never from the wall clock, so a replay reproduces a live run exactly.
/// The score is evaluated once per bar (RiskModelOptions.BarSeconds) from the state at the end of the
/// previous bar; <see cref="Submit"/> is O(1) and allocation-free in steady state (a new key allocates once).
/// Not thread-safe: one caller at a time (the event router's single reader).
/// </summary>
public sealed class RiskEngine
{
    private readonly RiskModelOptions _options;
    private readonly long _barTicks;
    private readonly long _maxJumpTicks;
    private readonly CryptoVolatilityScorer _crypto;
    private readonly PolymarketScorer _polymarket;
    private readonly RedditSentimentScorer _reddit;
    private readonly AdaptiveNormalizer _normalizer;
    private readonly long[] _verdictCounts = new long[Enum.GetValues<SignalVerdict>().Length];
    private long _bar = long.MinValue;
    private long _clockTicks = long.MinValue;

    public RiskEngine(RiskModelOptions options)
    {
        var errors = options.Validate().ToList();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(options));
        }

        _options = options;
        _barTicks = (long)(options.BarSeconds * TimeSpan.TicksPerSecond);
        _maxJumpTicks = (long)(options.MaxClockJumpSeconds * TimeSpan.TicksPerSecond);
        _crypto = new CryptoVolatilityScorer(options);
        _polymarket = new PolymarketScorer(options);
        _reddit = new RedditSentimentScorer(options);
        _normalizer = new AdaptiveNormalizer(options.NormalizerWindow, options.MinimumSpan, options.WarmupValues);
        Current = new RiskReading(0, 0, double.NaN, double.NaN, double.NaN, 1, 0, null, 0, 0, 0, 0, true, 0, default);
    }

    public RiskModelOptions Options => _options;

    public RiskReading Current { get; private set; }

    public CryptoVolatilityScorer Crypto => _crypto;

    public PolymarketScorer Polymarket => _polymarket;

    public RedditSentimentScorer Reddit => _reddit;

    public AdaptiveNormalizer Normalizer => _normalizer;

    public long AcceptedSignals => _verdictCounts[(int)SignalVerdict.Accepted];

    public long RejectedSignals => _verdictCounts.Sum() - AcceptedSignals;

    /// <summary>The latest moment the engine has seen (from a signal or <see cref="AdvanceTo"/>); null before any.</summary>
    public DateTimeOffset? Clock => _clockTicks == long.MinValue ? null : new DateTimeOffset(_clockTicks, TimeSpan.Zero);

    public long Count(SignalVerdict verdict) => _verdictCounts[(int)verdict];

    /// <summary>Validates and applies one signal. A rejected signal changes nothing but its counter.</summary>
    public SignalVerdict Submit(MarketSignal signal)
    {
        var verdict = Check(signal);
        _verdictCounts[(int)verdict]++;
        if (verdict != SignalVerdict.Accepted)
        {
            return verdict;
        }

        // Close the bars before this signal's bar first, so the evaluation of a bar never sees a later signal.
        var bar = AdvanceClock(signal.Timestamp.UtcTicks);
        switch (signal)
        {
            case PriceTick tick:
                _crypto.Apply(tick, bar);
                break;
            case MarketProbability probability:
                _polymarket.Apply(probability);
                break;
            case SentimentSample sample:
                _reddit.Apply(sample);
                break;
        }

        return verdict;
    }

    /// <summary>Moves the engine clock forward (e.g. on the publish tick) so bars close even when no signal arrives.</summary>
    public void AdvanceTo(DateTimeOffset now)
    {
        if (_clockTicks == long.MinValue || now.UtcTicks > _clockTicks)
        {
            AdvanceClock(now.UtcTicks);
        }
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
            _crypto.BarVolatility,
            _polymarket.ProbabilityVolatility,
            new NormalizerStats(_normalizer.Count, _normalizer.Min, _normalizer.Max, _normalizer.Mean),
            forcedInterruptCount,
            rejected);
    }

    private SignalVerdict Check(MarketSignal signal)
    {
        var ticks = signal.Timestamp.UtcTicks;
        if (_clockTicks != long.MinValue && ticks - _clockTicks > _maxJumpTicks)
        {
            return SignalVerdict.TooFarAhead;
        }

        switch (signal)
        {
            case PriceTick tick:
                if (string.IsNullOrWhiteSpace(tick.Symbol))
                {
                    return SignalVerdict.EmptyKey;
                }

                if (!double.IsFinite(tick.Price))
                {
                    return SignalVerdict.NotFinite;
                }

                return tick.Price <= 0 ? SignalVerdict.NonPositivePrice : _crypto.Check(tick);

            case MarketProbability probability:
                if (string.IsNullOrWhiteSpace(probability.MarketId))
                {
                    return SignalVerdict.EmptyKey;
                }

                if (!double.IsFinite(probability.Probability))
                {
                    return SignalVerdict.NotFinite;
                }

                return probability.Probability is < 0 or > 1 ? SignalVerdict.ProbabilityOutOfRange : _polymarket.Check(probability);

            case SentimentSample sample:
                if (string.IsNullOrWhiteSpace(sample.SourceId))
                {
                    return SignalVerdict.EmptyKey;
                }

                if (string.IsNullOrWhiteSpace(sample.Text))
                {
                    return SignalVerdict.EmptyText;
                }

                if (!double.IsFinite(sample.Compound))
                {
                    return SignalVerdict.NotFinite;
                }

                return sample.Compound is < -1 or > 1 ? SignalVerdict.CompoundOutOfRange : _reddit.Check(sample);

            default:
                return SignalVerdict.UnknownSignal;
        }
    }

    private long AdvanceClock(long ticks)
    {
        _clockTicks = Math.Max(_clockTicks, ticks);
        var bar = ticks / _barTicks;

        if (_bar == long.MinValue)
        {
            _bar = bar;
            return bar;
        }

        if (bar <= _bar)
        {
            return bar;
        }

        // Evaluate every bar that closed. After a silence longer than the normalizer window the older
        // evaluations would be pushed out of its history anyway, so skip straight to the last window.
        var first = Math.Max(_bar + 1, bar - _options.NormalizerWindow + 1);
        for (var next = first; next <= bar; next++)
        {
            _crypto.RollTo(next);
            EvaluateBar(next);
        }

        _bar = bar;
        return bar;
    }

    private void EvaluateBar(long bar)
    {
        _crypto.Evaluate();
        _polymarket.Evaluate();
        _reddit.Evaluate();

        double weighted = 0, weights = 0;
        var elevated = 0;
        Accumulate(_crypto.Risk, _options.CryptoWeight);
        Accumulate(_polymarket.Risk, _options.PolymarketWeight);
        Accumulate(_reddit.Risk, _options.RedditWeight);

        var baseRaw = weights > 0 ? weighted / weights : 0;
        var amplification = elevated >= 2 ? 1 + (_options.AmplificationPerElevated * (elevated - 1)) : 1;
        var raw = Math.Clamp(baseRaw * amplification, 0, 1);
        var score = _normalizer.Normalize(raw);

        Current = new RiskReading(
            score,
            raw,
            _crypto.Risk,
            _polymarket.Risk,
            _reddit.Risk,
            amplification,
            elevated,
            _crypto.RiskiestSymbol,
            _crypto.AnnualizedVolatility,
            _polymarket.MeanExtremity,
            _polymarket.MaxShock,
            _reddit.MeanSentiment,
            _normalizer.IsWarmingUp,
            Current.Evaluations + 1,
            new DateTimeOffset(bar * _barTicks, TimeSpan.Zero));

        void Accumulate(double risk, double weight)
        {
            // A source without data drops out and its weight is shared among the others.
            if (double.IsNaN(risk) || weight <= 0)
            {
                return;
            }

            weighted += weight * risk;
            weights += weight;
            if (risk >= _options.ElevatedLevel)
            {
                elevated++;
            }
        }
    }
}
