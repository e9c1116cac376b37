using System.Text.Json;
using System.Text.Json.Serialization;
using RiskConsole.Core.Contracts;
using RiskConsole.Core.Signals;
using RiskConsole.Server.Endpoints;
using RiskConsole.Server.Hubs;

namespace RiskConsole.Server.Serialization;

/// <summary>
/// Source-generated camelCase JSON for the hub's JSON protocol and the HTTP API: no reflection at run time,
/// and one place that lists every type that goes over the wire.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(RiskScoreUpdate))]
[JsonSerializable(typeof(InterruptNotice))]
[JsonSerializable(typeof(AlertNotice))]
[JsonSerializable(typeof(DataUpdate))]
[JsonSerializable(typeof(MarketSignal))]
[JsonSerializable(typeof(RiskStatus))]
[JsonSerializable(typeof(RiskStatistics))]
[JsonSerializable(typeof(SubscriptionState))]
[JsonSerializable(typeof(ForceInterruptResult))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(ApiInfo))]
[JsonSerializable(typeof(StatsResponse))]
[JsonSerializable(typeof(ConfigResponse))]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(TestInterruptAccepted))]
[JsonSerializable(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails))]
[JsonSerializable(typeof(Microsoft.AspNetCore.Http.HttpValidationProblemDetails))]
public sealed partial class RiskConsoleJsonContext : JsonSerializerContext;
