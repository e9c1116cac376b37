using RiskConsole.Core.Signals;

namespace RiskConsole.Core.Risk;

/// <summary>
/// Polymarket component. A market's level alone says little (a long shot at 2 % for weeks is not news), so each
/// market is judged against its own baseline b, a time-weighted average of its past levels with time constant
/// <see cref="RiskModelOptions.PolymarketBaselineSeconds"/>: repricing x = min(1, 2 |p − b|), how far the crowd has
/// moved from what it believed over the last hour or so (either way: a flip from 5 % to 95 % is the biggest news of
/// all), averaged over fresh markets; plus a shock term for a sharp move, the largest net probability move within
/// any fresh market's window relative to <see cref="RiskModelOptions.ShockReference"/>.
/// component = min(1, mean x + ShockWeight × max shock).
/// </summary>
public sealed class PolymarketScorer(RiskModelOptions options)
{
    private readonly Dictionary<string, MarketWindow> _byMarket = new(StringComparer.Ordinal);
    private readonly List<MarketWindow> _markets = [];
    private readonly long _maxAgeTicks = (long)(options.PolymarketMaxAgeSeconds * TimeSpan.TicksPerSecond);
    private readonly double _baselineTicks = options.PolymarketBaselineSeconds * TimeSpan.TicksPerSecond;

    public int MarketCount => _markets.Count;

    /// <summary>Risk in [0, 1]; NaN when no market is fresh.</summary>
    public double Risk { get; private set; } = double.NaN;

    /// <summary>True when markets have had updates but none within PolymarketMaxAgeSeconds.</summary>
    public bool IsStale { get; private set; }

    /// <summary>Mean over fresh markets of the repricing against each market's own baseline (NaN when none).</summary>
    public double MeanRepricing { get; private set; } = double.NaN;

    /// <summary>Largest shock term over fresh markets (NaN when none).</summary>
    public double MaxShock { get; private set; } = double.NaN;

    /// <summary>Mean over markets of the rolling standard deviation of probability (the seed's polymarket_volatility).</summary>
    public double ProbabilityVolatility { get; private set; }

    public int DataPoints { get; private set; }

    /// <summary>The seed's extremity |2p − 1| (0 at 50 %, 1 at 0 % or 100 %); kept for reference, no longer scored on its own.</summary>
    public static double Extremity(double probability) => Math.Abs((2 * probability) - 1);

    /// <summary>How far <paramref name="probability"/> has moved from the market's own <paramref name="baseline"/>, in [0, 1].</summary>
    public static double Repricing(double probability, double baseline) => Math.Min(1, 2 * Math.Abs(probability - baseline));

    internal SignalVerdict Admit(MarketProbability update)
    {
        if (_byMarket.TryGetValue(update.MarketId, out var market))
        {
            var verdict = market.Order.Check(update.Timestamp, update.Probability);
            if (verdict == SignalVerdict.Accepted)
            {
                market.Order.Record(update.Timestamp, update.Probability);
            }

            return verdict;
        }

        if (_markets.Count >= options.MaxKeysPerSource)
        {
            return SignalVerdict.TooManyKeys;
        }

        market = new MarketWindow(options.PolymarketWindow);
        market.Order.Record(update.Timestamp, update.Probability);
        _byMarket.Add(update.MarketId, market);
        _markets.Add(market);
        return SignalVerdict.Accepted;
    }

    internal void Apply(MarketProbability update)
    {
        var market = _byMarket[update.MarketId];
        var ticks = update.Timestamp.UtcTicks;
        if (market.Probabilities.Count == 0)
        {
            market.Baseline = update.Probability;
        }
        else
        {
            // The previous level held from its update until this one: weight it by that time, so a jump after a long
            // quiet spell is measured against the level that held during the spell.
            var alpha = 1 - Math.Exp(-(ticks - market.LastTicks) / _baselineTicks);
            market.Baseline += alpha * (market.Probabilities.Latest - market.Baseline);
        }

        market.LastTicks = ticks;
        market.Probabilities.Add(update.Probability);
    }

    internal void Evaluate(long barEndTicks)
    {
        double repricing = 0, shock = 0, volatility = 0;
        int points = 0, fresh = 0, withData = 0;
        foreach (var market in _markets)
        {
            if (market.Probabilities.Count == 0)
            {
                continue;
            }

            withData++;
            volatility += market.Probabilities.StandardDeviation;
            points = Math.Max(points, market.Probabilities.Count);
            if (barEndTicks - market.LastTicks > _maxAgeTicks)
            {
                continue;
            }

            fresh++;
            repricing += Repricing(market.Probabilities.Latest, market.Baseline);
            var move = Math.Abs(market.Probabilities.Latest - market.Probabilities.Oldest);
            shock = Math.Max(shock, Math.Min(1, move / options.ShockReference));
        }

        DataPoints = points;
        ProbabilityVolatility = withData > 0 ? volatility / withData : 0;
        IsStale = withData > 0 && fresh == 0;
        if (fresh == 0)
        {
            Risk = MeanRepricing = MaxShock = double.NaN;
            return;
        }

        MeanRepricing = repricing / fresh;
        MaxShock = shock;
        Risk = Math.Min(1, MeanRepricing + (options.ShockWeight * MaxShock));
    }

    private sealed class MarketWindow(int window)
    {
        public RollingStatistics Probabilities { get; } = new(window);

        public KeyedOrder Order;

        public double Baseline { get; set; }

        public long LastTicks { get; set; }
    }
}
