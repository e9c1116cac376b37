using RiskConsole.Core.Signals;

namespace RiskConsole.Ingest.Mock;

/// <summary>
/// Trades for a list of symbols: a geometric random walk whose volatility follows the shared
/// <see cref="MockMarketMood"/> (calm ≈ 40 %/yr, storms 300–400 %/yr), so the crypto risk component really
/// swings between low and high. Symbols move together through a common market factor, as crypto does.
/// Pure and deterministic: no clock, no I/O; the same seed, origin and calls give the same ticks.
/// Events are produced in time order whatever the call cadence, so calling <see cref="Advance"/> every 10 ms or
/// once an hour yields the same sequence. Not thread-safe: one feed owns it.
/// </summary>
public sealed class MockPriceGenerator
{
    /// <summary>Each symbol's loading on the market factor: returns of two symbols correlate at 0.8² ≈ 0.64, as major coins do.</summary>
    private const double MarketLoading = 0.8;

    private readonly MockMarketMood _mood;
    private readonly Random _random;
    private readonly SymbolWalk[] _walks;
    private readonly double _meanGapSeconds;
    private DateTimeOffset _factorAt;
    private double _factor;

    public MockPriceGenerator(MockFeedOptions options, MockMarketMood mood)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(mood);
        _mood = mood;
        _random = new Random(RandomDraws.DeriveSeed(mood.Seed, 1));
        _meanGapSeconds = 1.0 / options.PriceTicksPerSecond;
        _factorAt = mood.Origin;

        var symbols = options.EffectiveSymbols;
        _walks = new SymbolWalk[symbols.Count];
        for (var i = 0; i < symbols.Count; i++)
        {
            // Start a little off the configured price so two seeds are told apart at a glance.
            var start = options.StartPriceOf(symbols[i]) * Math.Exp(0.01 * _random.NextGaussian());
            _walks[i] = new SymbolWalk(symbols[i], RelativeVolatility(symbols[i]), Math.Log(start), mood.Origin)
            {
                NextAt = mood.Origin + RandomDraws.WholeMilliseconds(_random.NextExponential(_meanGapSeconds)),
            };
        }
    }

    public IReadOnlyList<string> Symbols => [.. _walks.Select(w => w.Symbol)];

    /// <summary>When the next trade happens; a feed waits until then.</summary>
    public DateTimeOffset NextTickAt
    {
        get
        {
            var next = DateTimeOffset.MaxValue;
            foreach (var walk in _walks)
            {
                next = walk.NextAt < next ? walk.NextAt : next;
            }

            return next;
        }
    }

    /// <summary>Every trade stamped at or before <paramref name="now"/> not yet returned, in time order.</summary>
    public IReadOnlyList<PriceTick> Advance(DateTimeOffset now)
    {
        var ticks = new List<PriceTick>();
        while (true)
        {
            var walk = Earliest();
            if (walk is null || walk.NextAt > now)
            {
                return ticks;
            }

            ticks.Add(Trade(walk));
        }
    }

    /// <summary>
    /// How volatile a symbol is relative to the market: smaller coins swing more than bitcoin.
    /// A calm SOL (1.4 × 40 % = 56 %/yr) still scores low; a stormy BTC (300 %/yr) already scores high.
    /// </summary>
    private static double RelativeVolatility(string symbol) => symbol.ToUpperInvariant() switch
    {
        "BTCUSDT" => 1.0,
        "ETHUSDT" => 1.2,
        "SOLUSDT" => 1.4,
        _ => 1.25,
    };

    /// <summary>Rounds like an exchange quotes: cents for big prices, finer for small ones, never to zero.</summary>
    private static double Quote(double price)
    {
        var decimals = price >= 1000 ? 2 : price >= 1 ? 4 : 8;
        var rounded = Math.Round(price, decimals);
        return rounded > 0 ? rounded : Math.Pow(10, -decimals);
    }

    private SymbolWalk? Earliest()
    {
        SymbolWalk? earliest = null;
        foreach (var walk in _walks)
        {
            if (earliest is null || walk.NextAt < earliest.NextAt)
            {
                earliest = walk;
            }
        }

        return earliest;
    }

    private PriceTick Trade(SymbolWalk walk)
    {
        var at = walk.NextAt;

        // The market factor is a Brownian motion whose variance follows the regime; each trade moves it to the
        // trade's time, so the factor's change between two trades of one symbol has the regime's variance.
        _factor += Math.Sqrt(_mood.IntegratedVariance(_factorAt, at)) * _random.NextGaussian();
        _factorAt = at;

        var variance = _mood.IntegratedVariance(walk.LastAt, at);
        var common = _factor - walk.LastFactor;
        var own = Math.Sqrt(variance) * _random.NextGaussian();
        var loading = walk.RelativeVolatility;

        // The −½σ²t term keeps the expected price flat (a martingale), so long demos do not drift away.
        walk.LogPrice += (loading * ((MarketLoading * common) + (Math.Sqrt(1 - (MarketLoading * MarketLoading)) * own)))
                         - (0.5 * loading * loading * variance);
        walk.LastFactor = _factor;
        walk.LastAt = at;
        walk.NextAt = at + RandomDraws.WholeMilliseconds(_random.NextExponential(_meanGapSeconds));

        return new PriceTick(walk.Symbol, Quote(Math.Exp(walk.LogPrice)), at, IsMock: true);
    }

    private sealed class SymbolWalk(string symbol, double relativeVolatility, double logPrice, DateTimeOffset origin)
    {
        public string Symbol { get; } = symbol;

        public double RelativeVolatility { get; } = relativeVolatility;

        public double LogPrice { get; set; } = logPrice;

        public double LastFactor { get; set; }

        public DateTimeOffset LastAt { get; set; } = origin;

        public DateTimeOffset NextAt { get; set; }
    }
}
