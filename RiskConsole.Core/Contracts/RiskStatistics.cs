namespace RiskConsole.Core.Contracts;

/// <summary>
/// Engine statistics (the seed's STATISTICS payload; its snake_case names map one to one).
/// Additions a seed client can ignore: <see cref="ForcedInterruptCount"/>, <see cref="RejectedSignals"/>.
/// <see cref="CryptoVolatility"/> is the seed's figure: the riskiest symbol's standard deviation of log returns per
/// return interval (Risk:CryptoReturnSeconds), not annualized; the annualized one is
/// <see cref="RiskComponents.CryptoVolatilityAnnualized"/>. <see cref="TotalUpdates"/> counts evaluated bars.
/// </summary>
public sealed record RiskStatistics(
    double CurrentRiskScore,
    long TotalUpdates,
    long InterruptCount,
    int CryptoDataPoints,
    int PolymarketDataPoints,
    int RedditDataPoints,
    double CryptoVolatility,
    double PolymarketVolatility,
    NormalizerStats NormalizerStats,
    long ForcedInterruptCount,
    IReadOnlyDictionary<string, long> RejectedSignals);

/// <summary>The normalizer's window: how many raw values it holds and their range.</summary>
public sealed record NormalizerStats(int HistorySize, double Min, double Max, double Mean);

/// <summary>Answer to GetStatus: engine statistics plus who is connected and where data comes from.</summary>
public sealed record RiskStatus(
    bool IsRunning,
    RiskStatistics Statistics,
    int Connections,
    IReadOnlyList<SourceStatus> Sources,
    DateTimeOffset At)
{
    /// <summary>The AI services (roasts, voice): provider, key configured or not, last success and last error.</summary>
    public IReadOnlyList<AiServiceStatus> Ai { get; init; } = [];
}

/// <summary>One ingest source: its name, whether it is live or on mock data, and why.</summary>
public sealed record SourceStatus(string Source, string Mode, bool Healthy, string? Detail, DateTimeOffset? LastSignalAt);

/// <summary>The modes a source reports in <see cref="SourceStatus.Mode"/>.</summary>
public static class SourceModes
{
    public const string Live = "live";
    public const string Mock = "mock";
    public const string Starting = "starting";
    public const string Stopped = "stopped";
}
