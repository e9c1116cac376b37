namespace RiskConsole.Engine;

/// <summary>What happened to a request to force an interrupt.</summary>
public enum ForcedInterruptStatus
{
    Started,
    RateLimited,
    Busy,
}

/// <summary>The answer to <see cref="IRiskConsole.TryForceInterrupt"/>.</summary>
/// <param name="RetryAfter">When rate-limited, how long until a forced interrupt may go ahead.</param>
public readonly record struct ForcedInterruptOutcome(ForcedInterruptStatus Status, TimeSpan RetryAfter);
