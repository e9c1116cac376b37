using RiskConsole.Core.Signals;

namespace RiskConsole.Core.Risk;

/// <summary>
/// Crypto component: per symbol, the last price of each bar is its close; every bar adds the log return over the
/// last <see cref="RiskModelOptions.CryptoReturnSeconds"/> (overlapping returns, one per bar), and the rolling
/// standard deviation of the last <see cref="RiskModelOptions.CryptoWindow"/> return intervals' worth of them,
/// annualized, is mapped to [0, 1] by c = 1 − exp(−(σ / σref)²); the riskiest fresh symbol counts.
/// Volatility is measured around the mean, so a steady fall has none: each symbol also has a fall term f, its drawdown
/// below the highest close of the last <see cref="RiskModelOptions.DrawdownLookbackSeconds"/> on a linear ramp from
/// <see cref="RiskModelOptions.DrawdownStart"/> to <see cref="RiskModelOptions.DrawdownFull"/>. The largest f over fresh
/// symbols (<see cref="FallRisk"/>) is a floor under the score, outside the weighted mean (see <see cref="RiskEngine"/>).
/// Measuring returns over a fixed interval makes the figure independent of the bar length and of how many trades
/// arrive, and keeps one-second noise from reading as a storm while the score still updates every bar.
/// Prices are kept as logarithms, so no ratio of two accepted prices can overflow.
/// </summary>
public sealed class CryptoVolatilityScorer
{
    private const double SecondsPerYear = 365.25 * 24 * 3600;

    private readonly RiskModelOptions _options;
    private readonly Dictionary<string, SymbolBars> _bySymbol = new(StringComparer.Ordinal);
    private readonly List<SymbolBars> _symbols = [];
    private readonly double _annualization;
    private readonly int _returnBars;
    private readonly int _window;
    private readonly int _minimumReturns;
    private readonly long _maxAgeTicks;
    private readonly long _rebaseTicks;
    private readonly int _highBuckets;
    private readonly int _highBucketBars;

    public CryptoVolatilityScorer(RiskModelOptions options)
    {
        _options = options;
        _returnBars = Math.Max(1, options.CryptoReturnBars);
        _window = options.CryptoWindow * _returnBars;
        _minimumReturns = options.MinimumReturns * _returnBars;
        _annualization = Math.Sqrt(SecondsPerYear / (_returnBars * options.BarSeconds));
        _maxAgeTicks = (long)(options.CryptoMaxAgeSeconds * TimeSpan.TicksPerSecond);
        _rebaseTicks = (long)(options.PriceRebaseSeconds * TimeSpan.TicksPerSecond);
        if (options.DrawdownLookbackSeconds > 0)
        {
            // The lookback in bars, at least the previous bar (with bars as long as the lookback there is still a fall
            // from the last close), held in at most MaxHighBuckets buckets: a day of one-second bars in 1,440 minutes.
            var bars = Math.Max(2, (long)Math.Round(options.DrawdownLookbackSeconds / options.BarSeconds));
            (_highBuckets, _highBucketBars) = RollingHigh.Layout(bars, MaxHighBuckets);
        }
    }

    /// <summary>Buckets of the rolling high per symbol at most: 1,440 (a day of minutes), about 11 KB.</summary>
    public const int MaxHighBuckets = 1440;

    public int SymbolCount => _symbols.Count;

    /// <summary>Risk in [0, 1] of the riskiest fresh symbol; NaN when no fresh symbol has enough returns.</summary>
    public double Risk { get; private set; } = double.NaN;

    /// <summary>True when symbols have had prices but none of them is fresh (no tick within CryptoMaxAgeSeconds).</summary>
    public bool IsStale { get; private set; }

    /// <summary>
    /// The fall term: the largest f over fresh symbols, in [0, 1] (0 when no symbol is below its recent high by more than
    /// <see cref="RiskModelOptions.DrawdownStart"/>, or the term is off).
    /// </summary>
    public double FallRisk { get; private set; }

    /// <summary>
    /// The largest drawdown of a fresh symbol below its high of the lookback, as a fraction (0.05 = 5 % below); NaN when no
    /// fresh symbol has a price or the term is off.
    /// </summary>
    public double Drawdown { get; private set; } = double.NaN;

    /// <summary>The symbol of <see cref="Drawdown"/>.</summary>
    public string? DrawdownSymbol { get; private set; }

    /// <summary>The riskiest symbol's annualized volatility (NaN when none counts).</summary>
    public double AnnualizedVolatility { get; private set; } = double.NaN;

    /// <summary>The riskiest symbol's standard deviation of log returns per return interval (the seed's crypto_volatility).</summary>
    public double ReturnVolatility { get; private set; }

    public string? RiskiestSymbol { get; private set; }

    /// <summary>Returns in the fullest symbol window (the seed's crypto_data_points).</summary>
    public int DataPoints { get; private set; }

    /// <summary>Price jumps accepted as a new level after <see cref="RiskModelOptions.PriceRebaseSeconds"/> (the symbol's history restarted).</summary>
    public long Rebases { get; private set; }

    /// <summary>True when every symbol is in its settled flat state, so closing more bars changes nothing.</summary>
    internal bool IsSettled
    {
        get
        {
            foreach (var symbol in _symbols)
            {
                if (!symbol.IsSettled)
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>
    /// Maps a drawdown (a fraction below the recent high) to the fall term: 0 up to <paramref name="start"/>, 1 from
    /// <paramref name="full"/>, linear between; monotone non-decreasing and bounded.
    /// </summary>
    public static double DrawdownToRisk(double drawdown, double start, double full) =>
        double.IsNaN(drawdown) ? 0 : Math.Clamp((drawdown - start) / (full - start), 0, 1);

    /// <summary>Maps an annualized volatility to risk; monotone non-decreasing, 0 at 0, approaching 1.</summary>
    public static double VolatilityToRisk(double annualizedVolatility, double referenceVolatility)
    {
        var ratio = annualizedVolatility / referenceVolatility;
        return 1 - Math.Exp(-(ratio * ratio));
    }

    /// <summary>
    /// Admission of a tick (fields already validated): ordering, duplicates, and the jump bound against the symbol's
    /// last accepted price. <paramref name="rebase"/> says the tick is a new level after a long enough pause.
    /// </summary>
    internal SignalVerdict Admit(PriceTick tick, out bool rebase)
    {
        rebase = false;
        if (!_bySymbol.TryGetValue(tick.Symbol, out var bars))
        {
            if (_symbols.Count >= _options.MaxKeysPerSource)
            {
                return SignalVerdict.TooManyKeys;
            }

            bars = new SymbolBars(tick.Symbol, _returnBars, _window, _highBuckets == 0 ? null : new RollingHigh(_highBuckets, _highBucketBars));
            _bySymbol.Add(tick.Symbol, bars);
            _symbols.Add(bars);
            bars.Order.Record(tick.Timestamp, tick.Price);
            bars.AdmittedLogPrice = Math.Log(tick.Price);
            bars.AdmittedIsMock = tick.IsMock;
            return SignalVerdict.Accepted;
        }

        if (tick.IsMock != bars.AdmittedIsMock)
        {
            // The symbol's source switched between its mock feed and the live exchange (a fallback or a return): the
            // two price paths are unrelated, so neither the order nor the jump bound applies, and a return measured
            // across the switch would be a market move that never happened. The symbol starts afresh.
            bars.Order = default;
            bars.Order.Record(tick.Timestamp, tick.Price);
            bars.AdmittedLogPrice = Math.Log(tick.Price);
            bars.AdmittedIsMock = tick.IsMock;
            rebase = true;
            return SignalVerdict.Accepted;
        }

        var verdict = bars.Order.Check(tick.Timestamp, tick.Price);
        if (verdict != SignalVerdict.Accepted)
        {
            return verdict;
        }

        var logPrice = Math.Log(tick.Price);
        if (Math.Abs(logPrice - bars.AdmittedLogPrice) > _options.MaxPriceJump)
        {
            // A jump is believed only after a pause: a live feed that ticks every second cannot teleport, but a symbol
            // that was silent (or a first price that was garbage) must not be refused for good.
            if (tick.Timestamp.UtcTicks - bars.Order.LastTicks < _rebaseTicks)
            {
                return SignalVerdict.PriceJump;
            }

            rebase = true;
        }

        bars.Order.Record(tick.Timestamp, tick.Price);
        bars.AdmittedLogPrice = logPrice;
        return SignalVerdict.Accepted;
    }

    /// <summary>Applies an admitted tick to the open bar.</summary>
    internal void Apply(PriceTick tick, bool rebase)
    {
        var bars = _bySymbol[tick.Symbol];
        if (rebase)
        {
            bars.Restart();
            Rebases++;
        }

        bars.SetPrice(Math.Log(tick.Price), tick.Timestamp.UtcTicks);
    }

    /// <summary>Closes the open bar for every symbol (a symbol without a trade in it carries its last close).</summary>
    internal void CloseBar()
    {
        foreach (var symbol in _symbols)
        {
            symbol.CloseBar();
        }
    }

    internal void Evaluate(long barEndTicks)
    {
        var best = double.NaN;
        double bestSigma = 0;
        string? bestSymbol = null, drawdownSymbol = null;
        var drawdown = double.NaN;
        var points = 0;
        bool anyPrice = false, anyFresh = false;
        foreach (var symbol in _symbols)
        {
            if (!symbol.HasPrice)
            {
                continue;
            }

            anyPrice = true;
            points = Math.Max(points, symbol.Returns.Count);
            if (barEndTicks - symbol.LastTickTicks > _maxAgeTicks)
            {
                continue;
            }

            anyFresh = true;

            // A fall needs no minimum history: it is a fact about the prices seen, and a short history can only
            // under-measure it (its high is at most the true one). Volatility needs enough returns to mean anything.
            var symbolDrawdown = symbol.Drawdown;
            if (symbolDrawdown > drawdown || (double.IsNaN(drawdown) && !double.IsNaN(symbolDrawdown)))
            {
                drawdown = symbolDrawdown;
                drawdownSymbol = symbol.Symbol;
            }

            if (symbol.Returns.Count < _minimumReturns)
            {
                continue;
            }

            var sigma = symbol.Returns.StandardDeviation;
            var risk = VolatilityToRisk(sigma * _annualization, _options.ReferenceVolatility);
            if (double.IsNaN(best) || risk > best)
            {
                best = risk;
                bestSigma = sigma;
                bestSymbol = symbol.Symbol;
            }
        }

        Risk = best;
        IsStale = anyPrice && !anyFresh;
        Drawdown = drawdown;
        DrawdownSymbol = drawdownSymbol;
        FallRisk = DrawdownToRisk(drawdown, _options.DrawdownStart, _options.DrawdownFull);
        ReturnVolatility = bestSigma;
        AnnualizedVolatility = double.IsNaN(best) ? double.NaN : bestSigma * _annualization;
        RiskiestSymbol = bestSymbol;
        DataPoints = points;
    }

    private sealed class SymbolBars(string symbol, int returnBars, int window, RollingHigh? high)
    {
        // Log closes of the last returnBars closed bars, a ring: the oldest is the close one return interval ago.
        private readonly double[] _closes = new double[returnBars];
        private int _closeNext;
        private int _closeCount;
        private double _logClose;
        private double _lastClosed;
        private int _flatBars;

        public string Symbol { get; } = symbol;

        public RollingStatistics Returns { get; } = new(window);

        /// <summary>How far the last close is below the highest close of the lookback, as a fraction; NaN with the fall term off or no close yet.</summary>
        public double Drawdown => high is null || high.IsEmpty ? double.NaN : 1 - Math.Exp(Math.Min(0, _lastClosed - high.High));

        public KeyedOrder Order;

        /// <summary>Log of the last admitted price (admission runs ahead of application for signals of later bars).</summary>
        public double AdmittedLogPrice { get; set; }

        /// <summary>Whether the last admitted price came from the mock feed; a change restarts the symbol.</summary>
        public bool AdmittedIsMock { get; set; }

        public bool HasPrice { get; private set; }

        public long LastTickTicks { get; private set; }

        /// <summary>
        /// After a full window plus one interval of bars at one price, every close in the ring is that price and every
        /// return is 0: a state that does not depend on the path to it, so closing further bars can be skipped exactly.
        /// </summary>
        public bool IsSettled { get; private set; }

        public void SetPrice(double logPrice, long ticks)
        {
            _logClose = logPrice;
            LastTickTicks = ticks;
            HasPrice = true;
            if (IsSettled && logPrice != _lastClosed)
            {
                IsSettled = false;
                _flatBars = 0;
            }
        }

        public void CloseBar()
        {
            if (!HasPrice || IsSettled)
            {
                return;
            }

            if (_closeCount == _closes.Length)
            {
                // Differences of logarithms: finite for any two accepted prices.
                Returns.Add(_logClose - _closes[_closeNext]);
            }

            // Exact comparison on purpose: "flat" means the very same price carried forward.
            _flatBars = _closeCount > 0 && _logClose == _lastClosed ? _flatBars + 1 : 0;
            _closes[_closeNext] = _logClose;
            _closeNext = (_closeNext + 1) % _closes.Length;
            _closeCount = Math.Min(_closes.Length, _closeCount + 1);
            _lastClosed = _logClose;
            high?.Add(_logClose);

            // Settled also needs the close to be the lookback's high: then the drawdown is 0 for as long as the price
            // stays, whatever older closes the window held, and filling it with the close changes no future figure. A
            // symbol that fell and went flat keeps closing bars until its old high has aged out.
            if (_flatBars >= _closes.Length + Returns.Window && (high is null || high.High <= _logClose))
            {
                Array.Fill(_closes, _logClose);
                _closeNext = 0;
                Returns.Fill(0);
                high?.Fill(_logClose);
                IsSettled = true;
            }
        }

        /// <summary>A new price level after a pause: no return is computed across it.</summary>
        public void Restart()
        {
            _closeNext = 0;
            _closeCount = 0;
            _flatBars = 0;
            IsSettled = false;
            HasPrice = false;
            Returns.Clear();
            high?.Clear();
        }
    }
}
