using RiskConsole.Core.Signals;

namespace RiskConsole.Ingest.Mock;

/// <summary>A simulated prediction market: its id, its question, and the probability it opens at.</summary>
public sealed record MockMarketDefinition(string MarketId, string Question, double StartProbability);

/// <summary>
/// Probability updates for a handful of prediction markets. Each market's log-odds wander around an anchor
/// (mean-reverting noise, so a probability stays strictly inside (0, 1) and drifts the way thin markets do)
/// and now and then jump on news; jumps are four times as likely while the shared mood is fearful.
/// A jump also moves the anchor most of the way, because news is not forgotten a minute later.
/// Pure and deterministic like <see cref="MockPriceGenerator"/>; not thread-safe.
/// </summary>
public sealed class MockMarketGenerator
{
    /// <summary>How fast log-odds return to the anchor, per second (a time scale of five minutes).</summary>
    private const double Reversion = 1.0 / 300;

    /// <summary>Standard deviation of the log-odds around the anchor in steady state: small drift, about ±4 points at 50 %.</summary>
    private const double DriftSpread = 0.15;

    /// <summary>
    /// News jumps per market per second in calm (one every 15 minutes, so across six markets one every 2.5 minutes),
    /// four times as many at full fear: news and repricing cluster in turbulent markets.
    /// </summary>
    private const double CalmJumpRate = 1.0 / 900;

    private const double FearJumpMultiplier = 3;

    /// <summary>How fast an anchor drifts back to where its market opened, per second (half an hour), so a long demo's markets do not all wander to 0 or 1.</summary>
    private const double AnchorReversion = 1.0 / 1800;

    /// <summary>Share of a jump the anchor keeps.</summary>
    private const double JumpPersistence = 0.8;

    /// <summary>Anchor bounds in log-odds (≈ 2 % to 98 %): markets stay interesting rather than settling at 0 or 1.</summary>
    private const double AnchorLimit = 4;

    /// <summary>Log-odds bounds (≈ 0.2 % to 99.8 %), well inside (0, 1) before rounding to tenths of a cent.</summary>
    private const double LogOddsLimit = 6;

    private readonly MockMarketMood _mood;
    private readonly Random _random;
    private readonly MarketWalk[] _markets;
    private readonly double _meanGapSeconds;
    private readonly List<int> _order = [];
    private DateTimeOffset _at;

    public MockMarketGenerator(MockFeedOptions options, MockMarketMood mood, IReadOnlyList<MockMarketDefinition>? markets = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(mood);
        markets ??= DefaultMarkets;
        if (markets.Count == 0)
        {
            throw new ArgumentException("At least one market is needed.", nameof(markets));
        }

        _mood = mood;
        _random = new Random(RandomDraws.DeriveSeed(mood.Seed, 2));
        _meanGapSeconds = 1.0 / options.MarketUpdatesPerSecond;
        _at = mood.Origin;
        _markets = [.. markets.Select(m =>
        {
            var logOdds = Math.Clamp(Logit(m.StartProbability), -AnchorLimit, AnchorLimit);
            return new MarketWalk(m, logOdds);
        })];
        NextUpdateAt = _at + RandomDraws.WholeMilliseconds(_random.NextExponential(_meanGapSeconds));
    }

    /// <summary>Six questions of the kind that move crypto risk: rates, recession, regulation, crypto milestones.</summary>
    public static IReadOnlyList<MockMarketDefinition> DefaultMarkets { get; } =
    [
        new("mock-fed-cut-dec", "Will the Fed cut interest rates at its December meeting?", 0.62),
        new("mock-btc-100k-eoy", "Will Bitcoin close the year above $100,000?", 0.41),
        new("mock-us-recession-2026", "Will the US economy enter a recession in 2026?", 0.30),
        new("mock-sol-etf-approval", "Will the SEC approve a spot Solana ETF by June 30?", 0.55),
        new("mock-stablecoin-depeg", "Will a top-five stablecoin trade below $0.98 this quarter?", 0.15),
        new("mock-eth-4k-mar", "Will Ethereum trade above $4,000 on March 31?", 0.22),
    ];

    /// <summary>When the next update happens; a feed waits until then.</summary>
    public DateTimeOffset NextUpdateAt { get; private set; }

    /// <summary>Every update stamped at or before <paramref name="now"/> not yet returned, in time order.</summary>
    public IReadOnlyList<MarketProbability> Advance(DateTimeOffset now)
    {
        var updates = new List<MarketProbability>();
        while (NextUpdateAt <= now)
        {
            var at = NextUpdateAt;
            Evolve(at);
            var market = _markets[NextMarket()];
            updates.Add(new MarketProbability(market.Definition.MarketId, market.Definition.Question, Quote(market.LogOdds), at, IsMock: true));
            NextUpdateAt = at + RandomDraws.WholeMilliseconds(_random.NextExponential(_meanGapSeconds));
        }

        return updates;
    }

    private static double Logit(double p)
    {
        p = Math.Clamp(p, 1e-4, 1 - 1e-4);
        return Math.Log(p / (1 - p));
    }

    /// <summary>A probability as Polymarket quotes it, to a tenth of a cent, kept strictly inside (0, 1).</summary>
    private static double Quote(double logOdds) => Math.Clamp(Math.Round(1 / (1 + Math.Exp(-logOdds)), 3), 0.001, 0.999);

    /// <summary>Moves every market from the last update to <paramref name="at"/>: exact Ornstein–Uhlenbeck step, then maybe news.</summary>
    private void Evolve(DateTimeOffset at)
    {
        var seconds = (at - _at).TotalSeconds;
        _at = at;
        var decay = Math.Exp(-Reversion * seconds);
        var noise = DriftSpread * Math.Sqrt(1 - (decay * decay));
        var jumpProbability = 1 - Math.Exp(-CalmJumpRate * (1 + (FearJumpMultiplier * _mood.FearAt(at))) * seconds);
        var anchorDecay = Math.Exp(-AnchorReversion * seconds);

        foreach (var market in _markets)
        {
            market.Anchor = market.Home + ((market.Anchor - market.Home) * anchorDecay);
            market.LogOdds = market.Anchor + ((market.LogOdds - market.Anchor) * decay) + (noise * _random.NextGaussian());
            if (_random.NextDouble() < jumpProbability)
            {
                // At least 0.3 in log-odds (≈ 7 points at 50 %) so a jump reads as news, not noise.
                var jump = (_random.NextDouble() < 0.5 ? -1 : 1) * (0.3 + Math.Abs(0.6 * _random.NextGaussian()));
                market.LogOdds += jump;
                market.Anchor = Math.Clamp(market.Anchor + (JumpPersistence * jump), -AnchorLimit, AnchorLimit);
            }

            market.LogOdds = Math.Clamp(market.LogOdds, -LogOddsLimit, LogOddsLimit);
        }
    }

    /// <summary>Visits the markets in a fresh random order each round, so each is updated regularly but not in lockstep.</summary>
    private int NextMarket()
    {
        if (_order.Count == 0)
        {
            _order.AddRange(Enumerable.Range(0, _markets.Length));
            for (var i = _order.Count - 1; i > 0; i--)
            {
                var j = _random.Next(i + 1);
                (_order[i], _order[j]) = (_order[j], _order[i]);
            }
        }

        var next = _order[^1];
        _order.RemoveAt(_order.Count - 1);
        return next;
    }

    private sealed class MarketWalk(MockMarketDefinition definition, double logOdds)
    {
        public MockMarketDefinition Definition { get; } = definition;

        /// <summary>Where the market opened; the anchor returns here slowly.</summary>
        public double Home { get; } = logOdds;

        public double Anchor { get; set; } = logOdds;

        public double LogOdds { get; set; } = logOdds;
    }
}
