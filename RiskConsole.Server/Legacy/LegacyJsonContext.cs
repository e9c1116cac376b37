using System.Text.Json.Serialization;
using RiskConsole.Core.Contracts;

namespace RiskConsole.Server.Legacy;

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
