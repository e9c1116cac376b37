namespace RiskConsole.Core.Contracts;

/// <summary>
/// One published risk score. <see cref="Seq"/> rises by exactly one per published score, so a client
/// that sees a jump knows it missed updates.
/// </summary>
public sealed record RiskScoreUpdate(double Score, RiskComponents Components, long Seq, DateTimeOffset At);

/// <summary>
/// Why the score is what it is. Component risks are in [0, 1]; null means the source has produced no
/// usable data yet (its weight is then shared among the others).
/// </summary>
/// <param name="Crypto">Crypto volatility risk of the riskiest symbol.</param>
/// <param name="Polymarket">Prediction-market extremity plus shock.</param>
/// <param name="Reddit">(1 − mean sentiment) / 2.</param>
/// <param name="Raw">Weighted, amplified combination in [0, 1] that the normalizer maps to 0–100.</param>
/// <param name="Amplification">Multiplier applied because several components were elevated at once (1 = none).</param>
/// <param name="ElevatedCount">How many components were at or above the elevated level.</param>
/// <param name="RiskiestSymbol">The symbol whose volatility set the crypto component.</param>
/// <param name="CryptoVolatility">That symbol's rolling volatility of log returns, annualized.</param>
/// <param name="PolymarketExtremity">Mean over markets of the rolling mean of |2p − 1|.</param>
/// <param name="PolymarketShock">Largest recent probability-move term across markets, in [0, 1].</param>
/// <param name="RedditSentiment">Rolling mean compound sentiment in [−1, 1].</param>
/// <param name="WarmingUp">True while the normalizer has too little history; no interrupt fires then.</param>
public sealed record RiskComponents(
    double? Crypto,
    double? Polymarket,
    double? Reddit,
    double Raw,
    double Amplification,
    int ElevatedCount,
    string? RiskiestSymbol,
    double CryptoVolatility,
    double PolymarketExtremity,
    double PolymarketShock,
    double RedditSentiment,
    bool WarmingUp);
