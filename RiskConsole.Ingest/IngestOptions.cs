using RiskConsole.Core;

namespace RiskConsole.Ingest;

/// <summary>
/// Where signals come from. Section "Ingest". The sources read it here, so they need nothing from the Server.
/// </summary>
public sealed class IngestOptions : IValidatableOptions
{
    public const string SectionName = "Ingest";

    public const string AutoMode = "auto";
    public const string LiveMode = "live";
    public const string MockMode = "mock";

    /// <summary>auto (live, mock when live fails), live, or mock.</summary>
    public string Mode { get; set; } = AutoMode;

    public double FallbackAfterSeconds { get; set; } = 10;

    public IEnumerable<string> Validate()
    {
        if (Mode is not (AutoMode or LiveMode or MockMode))
        {
            yield return $"{SectionName}:{nameof(Mode)} must be one of auto, live, mock (was '{Mode}').";
        }
        else if (Mode == LiveMode)
        {
            // Live listeners (Binance, Polymarket, Reddit) are not part of this build yet; refusing is
            // more honest than quietly serving mock data to someone who asked for live only.
            yield return $"{SectionName}:{nameof(Mode)}=live is not available in this build: the live listeners are not built yet; use auto or mock.";
        }

        if (!(FallbackAfterSeconds is >= 0 and <= 3600))
        {
            yield return $"{SectionName}:{nameof(FallbackAfterSeconds)} must be between 0 and 3600 seconds (was {FallbackAfterSeconds}).";
        }
    }
}
