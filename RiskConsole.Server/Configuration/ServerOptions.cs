using RiskConsole.Ingest;

namespace RiskConsole.Server.Configuration;

/// <summary>How the server listens and who may use its testing aids. Section "Server".</summary>
public sealed class ServerOptions
{
    public const string SectionName = "Server";

    public string Host { get; set; } = "0.0.0.0";

    public int Port { get; set; } = 8000;

    /// <summary>ForceInterrupt and POST /test-interrupt without the admin key. Null means "only in Development".</summary>
    public bool? AllowTestInterrupts { get; set; }

    /// <summary>Presenting this key (header X-Admin-Key, or query adminKey for browsers) allows the testing aids anywhere.</summary>
    public string? AdminKey { get; set; }

    /// <summary>Cross-origin callers allowed for HTTP (CORS) and WebSockets; empty means same origin only.</summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>Hard time budget for one interrupt (roast + voice), after which the fallback roast goes out.</summary>
    public double InterruptBudgetSeconds { get; set; } = 20;

    /// <summary>Largest message a client may send over the hub or /ws; clients only send small commands.</summary>
    public int MaxClientMessageBytes { get; set; } = 8 * 1024;

    /// <summary>Attempts at the testing aids per client address per minute, allowed or not (bounds admin-key guessing too).</summary>
    public int TestInterruptAttemptsPerMinute { get; set; } = 6;

    /// <summary>Outbound frames a legacy /ws client may have queued before the oldest are dropped for that client alone.</summary>
    public int LegacySocketBufferFrames { get; set; } = 256;

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Host))
        {
            yield return $"{SectionName}:{nameof(Host)} (HOST) must not be empty.";
        }

        if (Port is < 0 or > 65535)
        {
            yield return $"{SectionName}:{nameof(Port)} (PORT) must be between 0 and 65535 (was {Port}).";
        }

        if (!(InterruptBudgetSeconds is >= 1 and <= 300))
        {
            yield return $"{SectionName}:{nameof(InterruptBudgetSeconds)} must be between 1 and 300 seconds (was {InterruptBudgetSeconds}).";
        }

        if (MaxClientMessageBytes is < 256 or > 1024 * 1024)
        {
            yield return $"{SectionName}:{nameof(MaxClientMessageBytes)} must be between 256 and 1048576 (was {MaxClientMessageBytes}).";
        }

        if (TestInterruptAttemptsPerMinute is < 1 or > 10_000)
        {
            yield return $"{SectionName}:{nameof(TestInterruptAttemptsPerMinute)} must be between 1 and 10000 (was {TestInterruptAttemptsPerMinute}).";
        }

        if (LegacySocketBufferFrames is < 1 or > 100_000)
        {
            yield return $"{SectionName}:{nameof(LegacySocketBufferFrames)} must be between 1 and 100000 (was {LegacySocketBufferFrames}).";
        }

        foreach (var origin in AllowedOrigins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/")
            {
                yield return $"{SectionName}:{nameof(AllowedOrigins)} entries must be origins like https://example.com (was '{origin}').";
            }
        }
    }
}

/// <summary>How often the router publishes, and when readiness calls scoring stalled. Section "Risk" (shared with the model and policy options).</summary>
public sealed class RiskPublishOptions
{
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

/// <summary>Where signals come from. Section "Ingest".</summary>
public sealed class IngestOptions
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

/// <summary>The AI providers' settings that the server reports (never the keys themselves). Sections "Ai:OpenAI" and "Ai:ElevenLabs".</summary>
public sealed class AiProviderOptions
{
    public string OpenAIEndpoint { get; set; } = "https://api.openai.com/v1";

    public string OpenAIModel { get; set; } = "gpt-4o";

    public bool OpenAIKeyConfigured { get; set; }

    public string ElevenLabsBaseUrl { get; set; } = "https://api.elevenlabs.io";

    public string ElevenLabsVoiceId { get; set; } = "21m00Tcm4TlvDq8ikWAM";

    public string ElevenLabsModelId { get; set; } = "eleven_turbo_v2_5";

    public bool ElevenLabsKeyConfigured { get; set; }
}
