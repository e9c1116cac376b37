using RiskConsole.Core.Signals;

namespace RiskConsole.Core.Risk;

/// <summary>
/// Crypto component: per symbol, the last price of each fixed bar, the rolling standard deviation of the
/// bars' log returns, annualized, mapped to [0, 1] by c = 1 − exp(−(σ / σref)²). The riskiest symbol counts.
/// Sampling into bars makes the figure independent of how many trades arrive.
/// </summary>
public sealed class CryptoVolatilityScorer
{
    private const double SecondsPerYear = 365.25 * 24 * 3600;

    private readonly RiskModelOptions _options;
    private readonly Dictionary<string, SymbolBars> _bySymbol = new(StringComparer.Ordinal);
    private readonly List<SymbolBars> _symbols = [];
    private readonly double _annualization;

    public CryptoVolatilityScorer(RiskModelOptions options)
    {
        _options = options;
        _annualization = Math.Sqrt(SecondsPerYear / options.BarSeconds);
    }

    public int SymbolCount => _symbols.Count;

    /// <summary>Risk in [0, 1] of the riskiest symbol; NaN when no symbol has enough returns.</summary>
    public double Risk { get; private set; } = double.NaN;

    /// <summary>The riskiest symbol's annualized volatility (0 when none).</summary>
    public double AnnualizedVolatility { get; private set; }

    /// <summary>The riskiest symbol's per-bar standard deviation of log returns (the seed's crypto_volatility).</summary>
    public double BarVolatility { get; private set; }

    public string? RiskiestSymbol { get; private set; }

    /// <summary>Returns in the fullest symbol window (the seed's crypto_data_points).</summary>
    public int DataPoints { get; private set; }

    /// <summary>Maps an annualized volatility to risk; monotone non-decreasing, 0 at 0, approaching 1.</summary>
    public static double VolatilityToRisk(double annualizedVolatility, double referenceVolatility)
    {
        var ratio = annualizedVolatility / referenceVolatility;
        return 1 - Math.Exp(-(ratio * ratio));
    }

    internal SignalVerdict Check(PriceTick tick)
    {
        if (_bySymbol.TryGetValue(tick.Symbol, out var bars))
        {
            return bars.Order.Check(tick.Timestamp, tick.Price);
        }

        return _symbols.Count >= _options.MaxKeysPerSource ? SignalVerdict.TooManyKeys : SignalVerdict.Accepted;
    }

    internal void Apply(PriceTick tick, long bar)
    {
        if (!_bySymbol.TryGetValue(tick.Symbol, out var bars))
        {
            bars = new SymbolBars(tick.Symbol, _options.CryptoWindow);
            _bySymbol.Add(tick.Symbol, bars);
            _symbols.Add(bars);
        }

        bars.Order.Record(tick.Timestamp, tick.Price);
        bars.AddPrice(bar, tick.Price);
    }

    /// <summary>Closes every symbol's bars before <paramref name="bar"/> (empty bars carry the last price: a zero return).</summary>
    internal void RollTo(long bar)
    {
        foreach (var symbol in _symbols)
        {
            symbol.RollTo(bar);
        }
    }

    internal void Evaluate()
    {
        var best = double.NaN;
        double bestBarSigma = 0;
        string? bestSymbol = null;
        var points = 0;
        foreach (var symbol in _symbols)
        {
            points = Math.Max(points, symbol.Returns.Count);
            if (symbol.Returns.Count < _options.MinimumReturns)
            {
                continue;
            }

            var sigma = symbol.Returns.StandardDeviation;
            var risk = VolatilityToRisk(sigma * _annualization, _options.ReferenceVolatility);
            if (double.IsNaN(best) || risk > best)
            {
                best = risk;
                bestBarSigma = sigma;
                bestSymbol = symbol.Symbol;
            }
        }

        Risk = best;
        BarVolatility = bestBarSigma;
        AnnualizedVolatility = bestBarSigma * _annualization;
        RiskiestSymbol = bestSymbol;
        DataPoints = points;
    }

    private sealed class SymbolBars(string symbol, int window)
    {
        private long _bar = long.MinValue;
        private double _close;
        private double _previousClose;
        private bool _hasPrevious;

        public string Symbol { get; } = symbol;

        public RollingStatistics Returns { get; } = new(window);

        public KeyedOrder Order;

        public void AddPrice(long bar, double price)
        {
            if (_bar == long.MinValue)
            {
                _bar = bar;
            }
            else
            {
                // A tick stamped inside a bar the engine already closed still belongs to the open bar.
                RollTo(bar);
            }

            _close = price;
        }

        public void RollTo(long bar)
        {
            if (_bar == long.MinValue || bar <= _bar)
            {
                return;
            }

            if (_hasPrevious)
            {
                Returns.Add(Math.Log(_close / _previousClose));
            }

            _previousClose = _close;
            _hasPrevious = true;

            // Bars with no trade carry the last price forward: zero returns. More than a window of them
            // would only overwrite each other, so the loop is bounded by the window.
            var empty = Math.Min(bar - _bar - 1, Returns.Window);
            for (long i = 0; i < empty; i++)
            {
                Returns.Add(0);
            }

            _bar = bar;
        }
    }
}
