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

    /// <summary>Network timeout of one attempt; with the retries it must fit the interrupt's budget (Server:InterruptBudgetSeconds).</summary>
    public double TimeoutSeconds { get; set; } = 8;

    /// <summary>Retries of a transient failure (429, 5xx, a dropped connection) by the SDK; 1 keeps a retry inside the budget.</summary>
    public int MaxRetries { get; set; } = 1;

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

        if (!(TimeoutSeconds is >= 1 and <= 120))
        {
            yield return $"{SectionName}:{nameof(TimeoutSeconds)} must be between 1 and 120 seconds (was {TimeoutSeconds}).";
        }

        if (MaxRetries is < 0 or > 5)
        {
            yield return $"{SectionName}:{nameof(MaxRetries)} must be between 0 and 5 (was {MaxRetries}).";
        }
    }
}
