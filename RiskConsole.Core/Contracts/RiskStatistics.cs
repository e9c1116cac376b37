using System.Runtime.Serialization;

namespace RiskConsole.Core.Contracts;

/// <summary>
/// Engine statistics (the seed's STATISTICS payload; its snake_case names map one to one).
/// Additions a seed client can ignore: <see cref="ForcedInterruptCount"/>, <see cref="RejectedSignals"/>.
/// <see cref="CryptoVolatility"/> is the seed's figure: the riskiest symbol's standard deviation of log returns per
/// return interval (Risk:CryptoReturnSeconds), not annualized; the annualized one is
/// <see cref="RiskComponents.CryptoVolatilityAnnualized"/>. <see cref="TotalUpdates"/> counts evaluated bars.
/// </summary>
[DataContract]
public sealed record RiskStatistics(
    [property: DataMember(Name = "currentRiskScore")] double CurrentRiskScore,
    [property: DataMember(Name = "totalUpdates")] long TotalUpdates,
    [property: DataMember(Name = "interruptCount")] long InterruptCount,
    [property: DataMember(Name = "cryptoDataPoints")] int CryptoDataPoints,
    [property: DataMember(Name = "polymarketDataPoints")] int PolymarketDataPoints,
    [property: DataMember(Name = "redditDataPoints")] int RedditDataPoints,
    [property: DataMember(Name = "cryptoVolatility")] double CryptoVolatility,
    [property: DataMember(Name = "polymarketVolatility")] double PolymarketVolatility,
    [property: DataMember(Name = "normalizerStats")] NormalizerStats NormalizerStats,
    [property: DataMember(Name = "forcedInterruptCount")] long ForcedInterruptCount,
    [property: DataMember(Name = "rejectedSignals")] IReadOnlyDictionary<string, long> RejectedSignals);

/// <summary>The normalizer's window: how many raw values it holds and their range.</summary>
[DataContract]
public sealed record NormalizerStats(
    [property: DataMember(Name = "historySize")] int HistorySize,
    [property: DataMember(Name = "min")] double Min,
    [property: DataMember(Name = "max")] double Max,
    [property: DataMember(Name = "mean")] double Mean);

/// <summary>Answer to GetStatus: engine statistics plus who is connected and where data comes from.</summary>
[DataContract]
public sealed record RiskStatus(
    [property: DataMember(Name = "isRunning")] bool IsRunning,
    [property: DataMember(Name = "statistics")] RiskStatistics Statistics,
    [property: DataMember(Name = "connections")] int Connections,
    [property: DataMember(Name = "sources")] IReadOnlyList<SourceStatus> Sources,
    [property: DataMember(Name = "at")] DateTimeOffset At)
{
    /// <summary>The AI services (roasts, voice): provider, key configured or not, last success and last error.</summary>
    [DataMember(Name = "ai")]
    public IReadOnlyList<AiServiceStatus> Ai { get; init; } = [];
}

/// <summary>
/// One ingest source: its name, whether it is live, on mock data, connecting or down, since when and why; how much it
/// has received from its upstream and what last went wrong. <see cref="LastSignalAt"/> is the last signal it wrote
/// (live or mock); <see cref="LastMessageAt"/> the last message its live upstream sent (a frame, a PONG, a polled page).
/// </summary>
[DataContract]
public sealed record SourceStatus(
    [property: DataMember(Name = "source")] string Source,
    [property: DataMember(Name = "mode")] string Mode,
    [property: DataMember(Name = "healthy")] bool Healthy,
    [property: DataMember(Name = "detail")] string? Detail,
    [property: DataMember(Name = "lastSignalAt")] DateTimeOffset? LastSignalAt)
{
    /// <summary>When the source entered <see cref="Mode"/>.</summary>
    [DataMember(Name = "since")]
    public DateTimeOffset? Since { get; init; }

    /// <summary>Messages received from the live upstream since the start.</summary>
    [DataMember(Name = "messages")]
    public long Messages { get; init; }

    /// <summary>Upstream messages dropped because they were malformed or out of range.</summary>
    [DataMember(Name = "rejected")]
    public long Rejected { get; init; }

    /// <summary>Failed or lost upstream connections since the start.</summary>
    [DataMember(Name = "errors")]
    public long Errors { get; init; }

    [DataMember(Name = "lastMessageAt")]
    public DateTimeOffset? LastMessageAt { get; init; }

    /// <summary>The last failure in plain words (a lost connection, a refused handshake, a dropped frame), or null.</summary>
    [DataMember(Name = "lastError")]
    public string? LastError { get; init; }

    [DataMember(Name = "lastErrorAt")]
    public DateTimeOffset? LastErrorAt { get; init; }
}

/// <summary>The modes a source reports in <see cref="SourceStatus.Mode"/>.</summary>
public static class SourceModes
{
    public const string Live = "live";
    public const string Mock = "mock";
    public const string Starting = "starting";

    /// <summary>A live listener opening its first connection, or reconnecting after losing one (auto and live modes).</summary>
    public const string Connecting = "connecting";

    /// <summary>Ingest:Mode=live and no live data for Ingest:FallbackAfterSeconds: the source delivers nothing until its upstream returns.</summary>
    public const string Down = "down";
    public const string Stopped = "stopped";

    /// <summary>The server is driven by a replay of recorded data (<c>replay … --serve</c>), not by an upstream.</summary>
    public const string Replay = "replay";
}
