using RiskConsole.Core.Contracts;

namespace RiskConsole.Core.Risk;

/// <summary>
/// The engine's latest evaluation as a value type, so reading it allocates nothing; a component with no
/// data is NaN here and null in <see cref="RiskComponents"/>. <see cref="Evaluations"/> rises with every
/// evaluated bar, so a publisher can tell whether anything new happened.
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
    double CryptoVolatility,
    double PolymarketExtremity,
    double PolymarketShock,
    double RedditSentiment,
    bool WarmingUp,
    long Evaluations,
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
        CryptoVolatility,
        PolymarketExtremity,
        PolymarketShock,
        RedditSentiment,
        WarmingUp);

    public RiskScoreUpdate ToUpdate(long seq) => new(Score, ToComponents(), seq, At);

    private static double? NullIfNaN(double value) => double.IsNaN(value) ? null : value;
}
