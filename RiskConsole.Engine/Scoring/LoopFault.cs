namespace RiskConsole.Engine.Scoring;

/// <summary>A loop fault as counted: its number for that loop, and whether to log it (the first, then at most one a minute per loop).</summary>
public readonly record struct LoopFault(long Count, bool ShouldLog, long UnloggedSinceLastLog);
