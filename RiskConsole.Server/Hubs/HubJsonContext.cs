using System.Text.Json;
using System.Text.Json.Serialization;
using RiskConsole.Core.Contracts;

namespace RiskConsole.Server.Hubs;

/// <summary>
/// Source-generated camelCase JSON for the hub's JSON protocol: no reflection at run time, and one list of every
/// contract type that goes over the hub (all of them from RiskConsole.Core/Contracts).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(RiskScoreUpdate))]
[JsonSerializable(typeof(InterruptNotice))]
[JsonSerializable(typeof(AlertNotice))]
[JsonSerializable(typeof(DataUpdate))]
[JsonSerializable(typeof(DataBatch))]
[JsonSerializable(typeof(RiskStatus))]
[JsonSerializable(typeof(RiskStatistics))]
[JsonSerializable(typeof(SubscriptionState))]
[JsonSerializable(typeof(ForceInterruptResult))]
[JsonSerializable(typeof(ScoreHistory))]
[JsonSerializable(typeof(string[]))]
public sealed partial class HubJsonContext : JsonSerializerContext;
