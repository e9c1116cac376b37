namespace RiskConsole.Ingest.Mock;

/// <summary>
/// The one market regime that all mock generators share: a seeded sequence of calm spells and storms laid out
/// on the time line from <see cref="Origin"/>. It is a function of time, not of who asks first, so three feeds on
/// three threads see the same storm at the same moment and a seed replays the same demo.
/// Thread-safe: the spells are extended lazily under a lock.
/// </summary>
public sealed class MockMarketMood
{
    /// <summary>Spells kept for queries about the past; a feed lags the others by seconds, never by hundreds of spells.</summary>
    private const int RetainedSpells = 512;

    /// <summary>How long fear lingers after a storm ends (e-folding time, seconds): sentiment recovers slower than prices calm down.</summary>
    private const double FearDecaySeconds = 60;

    private readonly Lock _gate = new();
    private readonly List<MockRegime> _spells = [];
    private readonly Random _random;
    private readonly double _calmVolatility;
    private readonly double _stormMin;
    private readonly double _stormMax;
    private readonly double _meanCalmSeconds;
    private readonly double _meanStormSeconds;

    public MockMarketMood(MockFeedOptions options, int seed, DateTimeOffset origin)
    {
        ArgumentNullException.ThrowIfNull(options);
        Seed = seed;
        Origin = origin;
        _random = new Random(RandomDraws.DeriveSeed(seed, 0));
        _calmVolatility = options.CalmVolatility;
        _stormMin = options.StormVolatilityMin;
        _stormMax = options.StormVolatilityMax;
        _meanCalmSeconds = options.MeanCalmSeconds;
        _meanStormSeconds = options.MeanStormSeconds;

        // A demo opens calm, so the first storm is a visible change rather than the starting state.
        _spells.Add(NewSpell(stormy: false, origin));
    }

    /// <summary>The seed every mock generator derives its own sequence from.</summary>
    public int Seed { get; }

    /// <summary>Where the time line starts; generators begin emitting from here.</summary>
    public DateTimeOffset Origin { get; }

    /// <summary>The spell in force at <paramref name="at"/> (times before the retained history get the oldest spell).</summary>
    public MockRegime RegimeAt(DateTimeOffset at)
    {
        lock (_gate)
        {
            return _spells[IndexAt(at)];
        }
    }

    /// <summary>
    /// ∫σ²dt over [<paramref name="from"/>, <paramref name="to"/>] in years: the variance of a log return over that
    /// interval. Integrating across spell boundaries makes a return that straddles a regime switch come out right.
    /// </summary>
    public double IntegratedVariance(DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from)
        {
            return 0;
        }

        lock (_gate)
        {
            // Extend the spells to cover the end first; the lookup of the start then cannot trim any away.
            IndexAt(to);
            var total = 0.0;
            for (var i = IndexAt(from); i < _spells.Count; i++)
            {
                var spell = _spells[i];
                var start = spell.Start > from ? spell.Start : from;
                var end = spell.End < to ? spell.End : to;
                if (end > start)
                {
                    total += spell.Volatility * spell.Volatility * (end - start).TotalDays / 365.25;
                }

                if (spell.End >= to)
                {
                    break;
                }
            }

            return total;
        }
    }

    /// <summary>
    /// Fear in [0, 1]: 1 during a storm, fading after it ends, near 0 after a long calm. Drives the share of
    /// bearish posts and the odds of news jumps, so the crowd panics with the market and then slowly calms down.
    /// </summary>
    public double FearAt(DateTimeOffset at)
    {
        lock (_gate)
        {
            var index = IndexAt(at);
            var spell = _spells[index];
            if (spell.Stormy)
            {
                return 1;
            }

            if (index == 0 || !_spells[index - 1].Stormy)
            {
                return 0;
            }

            var sinceStorm = (at - spell.Start).TotalSeconds;
            return Math.Exp(-Math.Max(0, sinceStorm) / FearDecaySeconds);
        }
    }

    private int IndexAt(DateTimeOffset at)
    {
        while (_spells[^1].End <= at)
        {
            var last = _spells[^1];
            _spells.Add(NewSpell(!last.Stormy, last.End));
        }

        if (_spells.Count > RetainedSpells)
        {
            _spells.RemoveRange(0, _spells.Count - RetainedSpells);
        }

        // Spells are sorted and queries are near the end: search backwards.
        for (var i = _spells.Count - 1; i > 0; i--)
        {
            if (_spells[i].Start <= at)
            {
                return i;
            }
        }

        return 0;
    }

    private MockRegime NewSpell(bool stormy, DateTimeOffset start)
    {
        // Exponential spell lengths make the switch a Markov chain; the clamp keeps a storm long enough for the
        // 20-bar volatility window to see it and a calm spell from lasting a whole demo.
        var mean = stormy ? _meanStormSeconds : _meanCalmSeconds;
        var (low, high) = stormy ? (1.0 / 3, 3.0) : (0.25, 4.0);
        var seconds = mean * Math.Clamp(_random.NextExponential(1), low, high);
        var volatility = stormy ? _random.NextUniform(_stormMin, _stormMax) : _calmVolatility;
        return new MockRegime(stormy, volatility, start, start + RandomDraws.WholeMilliseconds(seconds));
    }
}

/// <summary>One spell of the shared market regime: calm or stormy, its annualized volatility, and when it holds.</summary>
public readonly record struct MockRegime(bool Stormy, double Volatility, DateTimeOffset Start, DateTimeOffset End);
