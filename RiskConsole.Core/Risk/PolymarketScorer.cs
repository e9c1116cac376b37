using RiskConsole.Core.Signals;

namespace RiskConsole.Core.Risk;

/// <summary>
/// Polymarket component: per market the extremity e = |2p − 1| (0 at 50 %, 1 at 0 % or 100 %), its rolling
/// mean over the window, averaged across markets; plus a shock term for a sharp move, the largest net
/// probability move within any market's window relative to <see cref="RiskModelOptions.ShockReference"/>.
/// component = min(1, mean extremity + ShockWeight × max shock).
/// </summary>
public sealed class PolymarketScorer(RiskModelOptions options)
{
    private readonly Dictionary<string, MarketWindow> _byMarket = new(StringComparer.Ordinal);
    private readonly List<MarketWindow> _markets = [];

    public int MarketCount => _markets.Count;

    /// <summary>Risk in [0, 1]; NaN before the first update.</summary>
    public double Risk { get; private set; } = double.NaN;

    public double MeanExtremity { get; private set; }

    public double MaxShock { get; private set; }

    /// <summary>Mean over markets of the rolling standard deviation of probability (the seed's polymarket_volatility).</summary>
    public double ProbabilityVolatility { get; private set; }

    public int DataPoints { get; private set; }

    public static double Extremity(double probability) => Math.Abs((2 * probability) - 1);

    internal SignalVerdict Check(MarketProbability update)
    {
        if (_byMarket.TryGetValue(update.MarketId, out var market))
        {
            return market.Order.Check(update.Timestamp, update.Probability);
        }

        return _markets.Count >= options.MaxKeysPerSource ? SignalVerdict.TooManyKeys : SignalVerdict.Accepted;
    }

    internal void Apply(MarketProbability update)
    {
        if (!_byMarket.TryGetValue(update.MarketId, out var market))
        {
            market = new MarketWindow(options.PolymarketWindow);
            _byMarket.Add(update.MarketId, market);
            _markets.Add(market);
        }

        market.Order.Record(update.Timestamp, update.Probability);
        market.Probabilities.Add(update.Probability);
        market.Extremities.Add(Extremity(update.Probability));
    }

    internal void Evaluate()
    {
        if (_markets.Count == 0)
        {
            return;
        }

        double extremity = 0, shock = 0, volatility = 0;
        var points = 0;
        foreach (var market in _markets)
        {
            extremity += market.Extremities.Mean;
            volatility += market.Probabilities.StandardDeviation;
            var move = Math.Abs(market.Probabilities.Latest - market.Probabilities.Oldest);
            shock = Math.Max(shock, Math.Min(1, move / options.ShockReference));
            points = Math.Max(points, market.Probabilities.Count);
        }

        MeanExtremity = extremity / _markets.Count;
        MaxShock = shock;
        ProbabilityVolatility = volatility / _markets.Count;
        DataPoints = points;
        Risk = Math.Min(1, MeanExtremity + (options.ShockWeight * MaxShock));
    }

    private sealed class MarketWindow(int window)
    {
        public RollingStatistics Probabilities { get; } = new(window);

        public RollingStatistics Extremities { get; } = new(window);

        public KeyedOrder Order;
    }
}
