using Microsoft.Extensions.Logging;

namespace RiskConsole.Ingest.Polymarket;

/// <summary>The listener's log lines. Rejected frames are not among them: the sink counts and logs those for every source alike.</summary>
internal static partial class PolymarketLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Polymarket: following {Count} markets from Gamma ({Listed} listed, {Unusable} not open binary Yes/No markets with token ids)")]
    public static partial void Following(ILogger logger, int count, int listed, int unusable);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Polymarket: Gamma listed a market the listener cannot follow: {Reason}")]
    public static partial void Unusable(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Polymarket: market list refreshed, {Added} subscribed, {Removed} unsubscribed, {Count} followed")]
    public static partial void Refreshed(ILogger logger, int added, int removed, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Polymarket: market list refresh failed, keeping the {Count} markets followed: {Reason}")]
    public static partial void RefreshFailed(ILogger logger, int count, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Polymarket: market {ConditionId} resolved ({Question}); unsubscribed")]
    public static partial void Resolved(ILogger logger, string conditionId, string question);
}
