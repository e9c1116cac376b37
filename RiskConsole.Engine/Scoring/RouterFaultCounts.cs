namespace RiskConsole.Engine.Scoring;

/// <summary>Faults per router loop since start; each was logged (rate-limited), counted, and the loop went on.</summary>
public sealed record RouterFaultCounts(long Read, long Tick, long Send);
