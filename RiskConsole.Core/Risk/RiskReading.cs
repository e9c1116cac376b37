using RiskConsole.Core.Contracts;

namespace RiskConsole.Core.Risk;

/// <summary>
/// The engine's latest evaluation as a value type, so reading it allocates nothing; a component without fresh data
/// is NaN here and null in <see cref="RiskComponents"/>, and so are the details that belong to it.
/// <see cref="Evaluations"/> rises with every evaluated bar, <see cref="Revision"/> with every change of the reading
/// (an evaluation, or a component going stale while nothing is evaluated), so a publisher can tell what happened.
/// </summary>
public readonly record struct RiskReading(
    double Score,
    double Raw,
    double Crypto,
    double Polymarket,
    double Reddit,
    double Amplification,
    int ElevatedCount,
    string? RiskiestSymbol,
    double CryptoVolatilityAnnualized,
    double PolymarketRepricing,
    double PolymarketShock,
    double RedditSentiment,
    bool WarmingUp,
    bool CryptoStale,
    bool PolymarketStale,
    bool RedditStale,
    long Evaluations,
    long Revision,
    DateTimeOffset At)
{
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
