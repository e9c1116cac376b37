using System.Runtime.Serialization;

namespace RiskConsole.Core.Contracts;

/// <summary>
/// One published risk score. <see cref="Seq"/> rises by exactly one per published score, so a client
/// that sees a jump knows it missed updates. <see cref="At"/> is the end of the bar the score was evaluated for.
/// </summary>
[DataContract]
public sealed record RiskScoreUpdate(
    [property: DataMember(Name = "score")] double Score,
    [property: DataMember(Name = "components")] RiskComponents Components,
    [property: DataMember(Name = "seq")] long Seq,
    [property: DataMember(Name = "at")] DateTimeOffset At);

/// <summary>
/// Why the score is what it is. Component risks are in [0, 1]; null means the source has no usable fresh data
/// (none yet, or stale: see the *Stale flags), and its weight is then shared among the others.
/// </summary>
/// <param name="Crypto">Crypto volatility risk of the riskiest fresh symbol.</param>
/// <param name="Polymarket">Prediction-market repricing against each market's own baseline, plus shock.</param>
/// <param name="Reddit">(1 − mean sentiment) / 2 over the fresh posts.</param>
/// <param name="Raw">Weighted, amplified combination in [0, 1] that the normalizer maps to 0–100.</param>
/// <param name="Amplification">Multiplier applied because several components were elevated at once (1 = none).</param>
/// <param name="ElevatedCount">How many components were at or above the elevated level.</param>
/// <param name="RiskiestSymbol">The symbol whose volatility set the crypto component.</param>
/// <param name="CryptoVolatilityAnnualized">That symbol's rolling volatility of log returns, annualized (1.0 = 100 %/yr); null without crypto.</param>
/// <param name="PolymarketRepricing">Mean over fresh markets of how far each has repriced from its own recent baseline, in [0, 1]; null without markets.</param>
/// <param name="PolymarketShock">Largest recent probability-move term across fresh markets, in [0, 1]; null without markets.</param>
/// <param name="RedditSentiment">Mean compound sentiment of the fresh posts in [−1, 1]; null when there are none (not 0 = neutral).</param>
/// <param name="WarmingUp">True while the normalizer has too little history; no interrupt fires then.</param>
/// <param name="CryptoStale">True when prices arrived before but none recently enough to count.</param>
/// <param name="PolymarketStale">True when market updates arrived before but none recently enough to count.</param>
/// <param name="RedditStale">True when posts arrived before but none recently enough to count.</param>
[DataContract]
public sealed record RiskComponents(
    [property: DataMember(Name = "crypto")] double? Crypto,
    [property: DataMember(Name = "polymarket")] double? Polymarket,
    [property: DataMember(Name = "reddit")] double? Reddit,
    [property: DataMember(Name = "raw")] double Raw,
    [property: DataMember(Name = "amplification")] double Amplification,
    [property: DataMember(Name = "elevatedCount")] int ElevatedCount,
    [property: DataMember(Name = "riskiestSymbol")] string? RiskiestSymbol,
    [property: DataMember(Name = "cryptoVolatilityAnnualized")] double? CryptoVolatilityAnnualized,
    [property: DataMember(Name = "polymarketRepricing")] double? PolymarketRepricing,
    [property: DataMember(Name = "polymarketShock")] double? PolymarketShock,
    [property: DataMember(Name = "redditSentiment")] double? RedditSentiment,
    [property: DataMember(Name = "warmingUp")] bool WarmingUp,
    [property: DataMember(Name = "cryptoStale")] bool CryptoStale,
    [property: DataMember(Name = "polymarketStale")] bool PolymarketStale,
    [property: DataMember(Name = "redditStale")] bool RedditStale);
