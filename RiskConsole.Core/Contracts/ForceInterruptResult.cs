namespace RiskConsole.Core.Contracts;

/// <summary>The answer to an accepted ForceInterrupt (a refusal is a HubException with the reason).</summary>
public sealed record ForceInterruptResult(bool Accepted, string Message);
