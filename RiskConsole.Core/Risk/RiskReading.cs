using RiskConsole.Core.Contracts;

namespace RiskConsole.Core.Risk;

/// <summary>
/// The engine's latest evaluation as a value type, so reading it allocates nothing; a component without fresh data
/// is NaN here and null in <see cref="RiskComponents"/>, and so are the details that belong to it.
/// <see cref="Evaluations"/> rises with every evaluated bar, <see cref="Revision"/> with every change of the reading
/// (an evaluation, or a component going stale while nothing is evaluated), so a publisher can tell what happened.
/// </summary>
public readonly record struct RiskReading
{
    public RiskReading()
    {
    }

    /// <summary>Before the first evaluation: score 0, nothing known, warming up.</summary>
    public static RiskReading Empty { get; } = new() { WarmingUp = true };

    public double Score { get; init; }

    public double Raw { get; init; }

    public double Crypto { get; init; } = double.NaN;

    public double Polymarket { get; init; } = double.NaN;

    public double Reddit { get; init; } = double.NaN;

    public double Amplification { get; init; } = 1;

    public int ElevatedCount { get; init; }

    public string? RiskiestSymbol { get; init; }

    public double CryptoVolatilityAnnualized { get; init; } = double.NaN;

    /// <summary>The largest drawdown of a fresh symbol below its high of the lookback (0.05 = 5 % below); NaN without a fresh price.</summary>
    public double CryptoDrawdown { get; init; } = double.NaN;

    /// <summary>The symbol of <see cref="CryptoDrawdown"/>.</summary>
    public string? DrawdownSymbol { get; init; }

    /// <summary>The fall term in [0, 1], from <see cref="CryptoDrawdown"/>: a floor, the score is never below 100 × this.</summary>
    public double FallRisk { get; init; }

    public double PolymarketRepricing { get; init; } = double.NaN;

    public double PolymarketShock { get; init; } = double.NaN;

    public double RedditSentiment { get; init; } = double.NaN;

    public bool WarmingUp { get; init; }

    public bool CryptoStale { get; init; }

    public bool PolymarketStale { get; init; }

    public bool RedditStale { get; init; }

    public long Evaluations { get; init; }

    public long Revision { get; init; }

    public DateTimeOffset At { get; init; }

    public RiskComponents ToComponents() => new(
        NullIfNaN(Crypto),
        NullIfNaN(Polymarket),
        NullIfNaN(Reddit),
        Raw,
        Amplification,
        ElevatedCount,
        RiskiestSymbol,
        NullIfNaN(CryptoVolatilityAnnualized),
        NullIfNaN(PolymarketRepricing),
        NullIfNaN(PolymarketShock),
        NullIfNaN(RedditSentiment),
        WarmingUp,
        CryptoStale,
        PolymarketStale,
        RedditStale);

    public RiskScoreUpdate ToUpdate(long seq) => new(Score, ToComponents(), seq, At);

    private static double? NullIfNaN(double value) => double.IsNaN(value) ? null : value;
}
