namespace RiskConsole.Core.Interrupts;

/// <summary>When to interrupt the user; bound from the configuration section "Risk".</summary>
public sealed class InterruptPolicyOptions
{
    public const string SectionName = "Risk";

    /// <summary>Score at or above which an interrupt fires (seed: RISK_THRESHOLD).</summary>
    public double Threshold { get; set; } = 75;

    /// <summary>Minimum gap between two interrupts, forced ones included (seed: INTERRUPT_COOLDOWN_SECONDS).</summary>
    public double CooldownSeconds { get; set; } = 60;

    /// <summary>How far below the threshold the score must fall before "back to normal" is announced and the next crossing counts.</summary>
    public double HysteresisPoints { get; set; } = 5;

    /// <summary>Minimum gap between two forced interrupts, so a testing aid cannot be used to flood users.</summary>
    public double ForcedMinimumIntervalSeconds { get; set; } = 10;

    public IEnumerable<string> Validate()
    {
        if (!(Threshold is >= 0 and <= 100))
        {
            yield return $"{SectionName}:{nameof(Threshold)} must be between 0 and 100 (was {Threshold}).";
        }

        if (!(CooldownSeconds is >= 0 and <= 86400))
        {
            yield return $"{SectionName}:{nameof(CooldownSeconds)} must be between 0 and 86400 seconds (was {CooldownSeconds}).";
        }

        if (!(HysteresisPoints is >= 0 and <= 100))
        {
            yield return $"{SectionName}:{nameof(HysteresisPoints)} must be between 0 and 100 (was {HysteresisPoints}).";
        }

        if (!(ForcedMinimumIntervalSeconds is >= 0 and <= 86400))
        {
            yield return $"{SectionName}:{nameof(ForcedMinimumIntervalSeconds)} must be between 0 and 86400 seconds (was {ForcedMinimumIntervalSeconds}).";
        }
    }
}
