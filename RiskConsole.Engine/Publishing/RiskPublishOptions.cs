using RiskConsole.Core;
using RiskConsole.Ingest;

namespace RiskConsole.Engine.Publishing;

/// <summary>How often the router publishes, and when readiness calls scoring stalled. Section "Risk" (shared with the model and policy options).</summary>
public sealed class RiskPublishOptions : IValidatableOptions
{
    public const string SectionName = "Risk";

    public int PublishIntervalMs { get; set; } = 100;

    /// <summary>
    /// How long accepted signals may go without an evaluated bar, a tick, or a read of waiting signals before
    /// readiness fails; also the span over which a rising backlog counts as growing. At least three bars
    /// (checked against Risk:BarSeconds by <see cref="StallWindowValidation"/>) and three publish intervals.
    /// </summary>
    public double StallAfterSeconds { get; set; } = 30;

    /// <summary>Readiness fails when this many signals wait for the router (half the signal channel by default).</summary>
    public int MaxHealthyBacklog { get; set; } = SignalChannel.DefaultCapacity / 2;

    public IEnumerable<string> Validate()
    {
        if (PublishIntervalMs is < 10 or > 60_000)
        {
            yield return $"Risk:{nameof(PublishIntervalMs)} must be between 10 and 60000 ms (was {PublishIntervalMs}).";
        }

        if (!(StallAfterSeconds is >= 1 and <= 3600))
        {
            yield return $"Risk:{nameof(StallAfterSeconds)} must be between 1 and 3600 seconds (was {StallAfterSeconds}).";
        }
        else if (PublishIntervalMs is >= 10 and <= 60_000 && StallAfterSeconds * 1000 < 3.0 * PublishIntervalMs)
        {
            yield return $"Risk:{nameof(StallAfterSeconds)} must be at least three publish intervals ({3.0 * PublishIntervalMs / 1000} s for Risk:{nameof(PublishIntervalMs)}={PublishIntervalMs}; was {StallAfterSeconds}).";
        }

        if (MaxHealthyBacklog is < 1 or > SignalChannel.DefaultCapacity)
        {
            yield return $"Risk:{nameof(MaxHealthyBacklog)} must be between 1 and the signal channel's capacity {SignalChannel.DefaultCapacity} (was {MaxHealthyBacklog}).";
        }
    }
}
