using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace RiskConsole.Engine.Scoring;

/// <summary>One assessment: the status readiness reports, why in words, and the numbers behind it.</summary>
public sealed record ScoringHealthReport(HealthStatus Status, string Description, IReadOnlyDictionary<string, object> Data);
