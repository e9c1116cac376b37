namespace RiskConsole.Core.Interrupts;

/// <summary>
/// When to interrupt the user; bound from the configuration section "Risk". Defaults and the reasons for
/// them are in docs/risk-model.md ("Interrupt policy"); <see cref="Validate"/> names the key of any bad value.
/// </summary>
public sealed class InterruptPolicyOptions : IValidatableOptions
{
    public const string SectionName = "Risk";

    /// <summary>Score at or above which an interrupt fires (seed: RISK_THRESHOLD).</summary>
    public double Threshold { get; set; } = 75;

    /// <summary>
    /// Minimum gap between two interrupts, forced ones included (seed: INTERRUPT_COOLDOWN_SECONDS); the gap the
    /// first interrupt of an episode, and any new-high interrupt, needs.
    /// </summary>
    public double CooldownSeconds { get; set; } = 60;

    /// <summary>How far below the threshold the score must fall before "back to normal" is announced and the next crossing counts.</summary>
    public double HysteresisPoints { get; set; } = 5;

    /// <summary>Minimum gap between two forced interrupts, so a testing aid cannot be used to flood users.</summary>
    public double ForcedMinimumIntervalSeconds { get; set; } = 10;

    /// <summary>
    /// Within one episode each automatic interrupt (except a new-high one) multiplies the cooldown the next one
    /// needs by this, so a storm does not repeat the same news every minute; 1 is the seed's fixed cooldown.
    /// </summary>
    public double CooldownBackoffFactor { get; set; } = 4;

    /// <summary>The backed-off cooldown never exceeds this, so a long storm still reminds the user now and then.</summary>
    public double MaxCooldownSeconds { get; set; } = 14400;

    /// <summary>
    /// A score this far above (and strictly above) the highest score of any interrupt in the episode is news: it
    /// may interrupt once <see cref="CooldownSeconds"/> has passed, without resetting or multiplying the
    /// backed-off cooldown the other interrupts of the episode need.
    /// </summary>
    public double NewHighPoints { get; set; } = 10;

    /// <summary>
    /// How long the score must stay below Threshold − HysteresisPoints before the episode is over and the
    /// backoff starts again from <see cref="CooldownSeconds"/>; a shorter dip is part of the same storm.
    /// </summary>
    public double EpisodeQuietSeconds { get; set; } = 7200;

    public IEnumerable<string> Validate()
    {
        string Key(string name) => $"{SectionName}:{name}";

        // Each key on its own: (name, value, lowest, highest, unit).
        foreach (var (name, value, min, max, unit) in new[]
                 {
                     (nameof(Threshold), Threshold, 0.0, 100.0, ""), (nameof(CooldownSeconds), CooldownSeconds, 0, 86400, " seconds"),
                     (nameof(HysteresisPoints), HysteresisPoints, 0, 100, ""),
                     (nameof(ForcedMinimumIntervalSeconds), ForcedMinimumIntervalSeconds, 0, 86400, " seconds"),
                     (nameof(CooldownBackoffFactor), CooldownBackoffFactor, 1, 10, ""), (nameof(MaxCooldownSeconds), MaxCooldownSeconds, 0, 86400, " seconds"),
                     (nameof(NewHighPoints), NewHighPoints, 0, 100, ""), (nameof(EpisodeQuietSeconds), EpisodeQuietSeconds, 0, 86400, " seconds"),
                 })
        {
            if (!(value >= min && value <= max))
            {
                yield return $"{Key(name)} must be between {min} and {max}{unit} (was {value}).";
            }
        }

        var thresholdValid = Threshold is >= 0 and <= 100;
        var hysteresisValid = HysteresisPoints is >= 0 and <= 100;
        var cooldownValid = CooldownSeconds is >= 0 and <= 86400;
        var maxCooldownValid = MaxCooldownSeconds is >= 0 and <= 86400;

        // Relations between two keys are checked only when both are valid on their own, so one bad value gives one message.
        // With hysteresis at or above the threshold no score can fall below threshold − hysteresis: the info
        // alert could never fire and an episode never end. Threshold 0 is the exception: it asks for "always
        // above" (every score fires once the cooldown allows), where there is no "back to normal" to announce.
        if (thresholdValid && hysteresisValid && Threshold > 0 && HysteresisPoints >= Threshold)
        {
            yield return $"{Key(nameof(HysteresisPoints))} must be less than {Key(nameof(Threshold))} (was {HysteresisPoints} >= {Threshold}).";
        }

        if (cooldownValid && maxCooldownValid && MaxCooldownSeconds < CooldownSeconds)
        {
            yield return $"{Key(nameof(MaxCooldownSeconds))} must be at least {Key(nameof(CooldownSeconds))} (was {MaxCooldownSeconds} < {CooldownSeconds}).";
        }
    }
}
