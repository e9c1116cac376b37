using System.Text.Json.Serialization;
using RiskConsole.Core.Contracts;

namespace RiskConsole.Server.Legacy;

/// <summary>The frame types of the seed's /ws protocol (shared/fixtures/feeds/riskconsole_messages.json).</summary>
public static class LegacyFrameTypes
{
    public const string Connected = "CONNECTED";
    public const string RiskScore = "RISK_SCORE";
    public const string DataUpdate = "DATA_UPDATE";
    public const string Interrupt = "INTERRUPT";
    public const string Alert = "ALERT";
    public const string Status = "STATUS";
    public const string Statistics = "STATISTICS";
    public const string GetStatus = "GET_STATUS";
    public const string GetStatistics = "GET_STATISTICS";
    public const string ForceInterrupt = "FORCE_INTERRUPT";
}

public sealed record LegacyConnected(string Message, RiskStatistics Statistics);

/// <summary>DATA_UPDATE payload: the seed's {source, data} with data in the seed's per-source shape, plus additions.</summary>
public sealed record LegacyDataUpdate(string Source, object Data, bool Mock, DateTimeOffset At);

public sealed record LegacyCryptoData(string Symbol, double Price, DateTimeOffset Timestamp);

public sealed record LegacyMarketData(string MarketId, string Question, double Probability, DateTimeOffset Timestamp);

/// <summary>The seed called the feed "source" and the compound "sentiment".</summary>
public sealed record LegacyRedditData(string Source, double Sentiment, string Text, DateTimeOffset Timestamp);

/// <summary>snake_case, as the seed's Python server wrote it.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(LegacyConnected))]
[JsonSerializable(typeof(RiskScoreUpdate))]
[JsonSerializable(typeof(LegacyDataUpdate))]
[JsonSerializable(typeof(LegacyCryptoData))]
[JsonSerializable(typeof(LegacyMarketData))]
[JsonSerializable(typeof(LegacyRedditData))]
[JsonSerializable(typeof(InterruptNotice))]
[JsonSerializable(typeof(AlertNotice))]
[JsonSerializable(typeof(RiskStatus))]
[JsonSerializable(typeof(RiskStatistics))]
internal sealed partial class LegacyJsonContext : JsonSerializerContext;
