using System.Text.Json;
using System.Text.Json.Serialization;
using RiskConsole.Core.Contracts;

namespace RiskConsole.Server.Endpoints;

/// <summary>Source-generated camelCase JSON for the HTTP API: every response type of /, /stats, /config, /health and the problem details.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(RiskStatistics))]
[JsonSerializable(typeof(ApiInfo))]
[JsonSerializable(typeof(StatsResponse))]
[JsonSerializable(typeof(ConfigResponse))]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(TestInterruptAccepted))]
[JsonSerializable(typeof(ScoreHistory))]
[JsonSerializable(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails))]
[JsonSerializable(typeof(Microsoft.AspNetCore.Http.HttpValidationProblemDetails))]
public sealed partial class ApiJsonContext : JsonSerializerContext;
