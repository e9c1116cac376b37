using RiskConsole.Core;

namespace RiskConsole.Ai;

/// <summary>The OpenAI (or any OpenAI-compatible) endpoint the roast writer talks to. Section "Ai:OpenAI"; the key's alias is OPENAI_API_KEY.</summary>
public sealed class OpenAIOptions : IValidatableOptions
{
    public const string SectionName = "Ai:OpenAI";

    public string Endpoint { get; set; } = "https://api.openai.com/v1";

    public string Model { get; set; } = "gpt-4o";

    /// <summary>Absent means offline roasts. Never logged or shown: /config and /health say only whether one is set.</summary>
    public string? ApiKey { get; set; }

    public bool KeyConfigured => !string.IsNullOrWhiteSpace(ApiKey);

    public IEnumerable<string> Validate()
    {
        if (!HttpUrlRule.IsHttpUrl(Endpoint))
        {
            yield return HttpUrlRule.Describe($"{SectionName}:{nameof(Endpoint)}", Endpoint);
        }

        if (string.IsNullOrWhiteSpace(Model))
        {
            yield return $"{SectionName}:{nameof(Model)} must not be empty.";
        }
    }
}
