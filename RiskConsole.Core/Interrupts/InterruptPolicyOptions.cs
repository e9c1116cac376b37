namespace RiskConsole.Core.Interrupts;

/// <summary>
/// When to interrupt the user; bound from the configuration section "Risk". Defaults and the reasons for
/// them are in docs/risk-model.md ("Interrupt policy"); <see cref="Validate"/> names the key of any bad value.
/// </summary>
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
        string Key(string name) => $"{SectionName}:{name}";

        var thresholdValid = Threshold is >= 0 and <= 100;
        if (!thresholdValid)
        {
            yield return $"{Key(nameof(Threshold))} must be between 0 and 100 (was {Threshold}).";
        }

        if (!(CooldownSeconds is >= 0 and <= 86400))
        {
            yield return $"{Key(nameof(CooldownSeconds))} must be between 0 and 86400 seconds (was {CooldownSeconds}).";
        }

        var hysteresisValid = HysteresisPoints is >= 0 and <= 100;
        if (!hysteresisValid)
        {
            yield return $"{Key(nameof(HysteresisPoints))} must be between 0 and 100 (was {HysteresisPoints}).";
        }

        if (!(ForcedMinimumIntervalSeconds is >= 0 and <= 86400))
        {
            yield return $"{Key(nameof(ForcedMinimumIntervalSeconds))} must be between 0 and 86400 seconds (was {ForcedMinimumIntervalSeconds}).";
        }

        // Relations between two keys are checked only when both are valid on their own, so one bad value gives one message.
        // With hysteresis at or above the threshold no score can fall below threshold − hysteresis: the info
        // alert could never fire. Threshold 0 is the exception: it asks for "always above" (every score fires
        // once the cooldown allows), where there is no "back to normal" to announce whatever the hysteresis.
        if (thresholdValid && hysteresisValid && Threshold > 0 && HysteresisPoints >= Threshold)
        {
            yield return $"{Key(nameof(HysteresisPoints))} must be less than {Key(nameof(Threshold))} (was {HysteresisPoints} >= {Threshold}).";
        }
    }
}
