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
    }
}
