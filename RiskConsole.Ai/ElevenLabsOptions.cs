using RiskConsole.Core;

namespace RiskConsole.Ai;

/// <summary>The ElevenLabs text-to-speech service that reads roasts aloud. Section "Ai:ElevenLabs"; the key's alias is ELEVENLABS_API_KEY.</summary>
public sealed class ElevenLabsOptions : IValidatableOptions
{
    public const string SectionName = "Ai:ElevenLabs";

    public string BaseUrl { get; set; } = "https://api.elevenlabs.io";

    public string VoiceId { get; set; } = "21m00Tcm4TlvDq8ikWAM";

    public string ModelId { get; set; } = "eleven_turbo_v2_5";

    /// <summary>Absent means no audio: the dashboard speaks the roast itself. Never logged or shown.</summary>
    public string? ApiKey { get; set; }

    public bool KeyConfigured => !string.IsNullOrWhiteSpace(ApiKey);

    /// <summary>
    /// Audio an interrupt points at when there is no voice (no key, or ElevenLabs failed), like the seed's
    /// /audio/fallback_roast.mp3; empty means none, and the dashboard speaks the roast itself.
    /// </summary>
    public string? FallbackAudioUrl { get; set; }

    /// <summary>Audio encoding asked for (ElevenLabs' output_format); part of each cached file's name.</summary>
    public string OutputFormat { get; set; } = "mp3_44100_128";

    /// <summary>Timeout of one attempt; one retry of a transient failure follows, so both fit the interrupt's budget.</summary>
    public double TimeoutSeconds { get; set; } = 8;

    public IEnumerable<string> Validate()
    {
        if (!HttpUrlRule.IsHttpUrl(BaseUrl))
        {
            yield return HttpUrlRule.Describe($"{SectionName}:{nameof(BaseUrl)}", BaseUrl);
        }

        if (string.IsNullOrWhiteSpace(VoiceId))
        {
            yield return $"{SectionName}:{nameof(VoiceId)} must not be empty.";
        }

        if (string.IsNullOrWhiteSpace(ModelId))
        {
            yield return $"{SectionName}:{nameof(ModelId)} must not be empty.";
        }

        if (!string.IsNullOrWhiteSpace(FallbackAudioUrl) && !FallbackAudioUrl.StartsWith('/') && !HttpUrlRule.IsHttpUrl(FallbackAudioUrl))
        {
            yield return $"{SectionName}:{nameof(FallbackAudioUrl)} must be a path on this server (/audio/...) or an absolute http(s) URL (was '{FallbackAudioUrl}').";
        }

        if (string.IsNullOrWhiteSpace(OutputFormat) || !OutputFormat.StartsWith("mp3_", StringComparison.Ordinal))
        {
            yield return $"{SectionName}:{nameof(OutputFormat)} must be an mp3 format such as mp3_44100_128 (was '{OutputFormat}').";
        }

        if (!(TimeoutSeconds is >= 1 and <= 60))
        {
            yield return $"{SectionName}:{nameof(TimeoutSeconds)} must be between 1 and 60 seconds (was {TimeoutSeconds}).";
        }
    }
}
