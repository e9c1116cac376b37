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

    /// <summary>In auto mode, how long a source may go without live data before it switches to its mock feed.</summary>
    public double FallbackAfterSeconds { get; set; } = 10;

    /// <summary>How long one attempt to open an upstream connection (DNS, TCP, TLS, the WebSocket or HTTP handshake) may take.</summary>
    public double ConnectTimeoutSeconds { get; set; } = 10;

    /// <summary>The first wait before reconnecting after a failed attempt; it doubles per failure (with jitter) up to <see cref="ReconnectMaxDelaySeconds"/>.</summary>
    public double ReconnectDelaySeconds { get; set; } = 1;

    /// <summary>The longest wait between two reconnect attempts.</summary>
    public double ReconnectMaxDelaySeconds { get; set; } = 60;

    /// <summary>Failed attempts in a row (within <see cref="CircuitBreakSeconds"/> × 4) after which a source stops trying for <see cref="CircuitBreakSeconds"/>.</summary>
    public int CircuitBreakAfterFailures { get; set; } = 8;

    /// <summary>How long a source rests after <see cref="CircuitBreakAfterFailures"/> failures in a row before it tries again.</summary>
    public double CircuitBreakSeconds { get; set; } = 30;

    public IEnumerable<string> Validate()
    {
        if (Mode is not (AutoMode or LiveMode or MockMode))
        {
            yield return $"{SectionName}:{nameof(Mode)} must be one of auto, live, mock (was '{Mode}').";
        }

        if (!(FallbackAfterSeconds is >= 0 and <= 3600))
        {
            yield return $"{SectionName}:{nameof(FallbackAfterSeconds)} must be between 0 and 3600 seconds (was {FallbackAfterSeconds}).";
        }

        if (!(ConnectTimeoutSeconds is > 0 and <= 300))
        {
            yield return $"{SectionName}:{nameof(ConnectTimeoutSeconds)} must be greater than 0 and at most 300 seconds (was {ConnectTimeoutSeconds}).";
        }

        if (!(ReconnectDelaySeconds is >= 0.001 and <= 3600))
        {
            yield return $"{SectionName}:{nameof(ReconnectDelaySeconds)} must be between 0.001 and 3600 seconds (was {ReconnectDelaySeconds}).";
        }

        if (!(ReconnectMaxDelaySeconds is >= 0.001 and <= 3600) || ReconnectMaxDelaySeconds < ReconnectDelaySeconds)
        {
            yield return $"{SectionName}:{nameof(ReconnectMaxDelaySeconds)} must be between {nameof(ReconnectDelaySeconds)} and 3600 seconds (was {ReconnectMaxDelaySeconds}).";
        }

        if (CircuitBreakAfterFailures is < 2 or > 1000)
        {
            yield return $"{SectionName}:{nameof(CircuitBreakAfterFailures)} must be between 2 and 1000 (was {CircuitBreakAfterFailures}).";
        }

        if (!(CircuitBreakSeconds is >= 0.5 and <= 3600))
        {
            yield return $"{SectionName}:{nameof(CircuitBreakSeconds)} must be between 0.5 and 3600 seconds (was {CircuitBreakSeconds}).";
        }
    }
}
