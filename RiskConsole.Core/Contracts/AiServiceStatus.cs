namespace RiskConsole.Core.Contracts;

/// <summary>
/// One AI service ("roasts" or "voice") as GetStatus and /health report it: which provider answers, whether its key is
/// configured (never the key), and when it last worked or failed and why.
/// </summary>
public sealed record AiServiceStatus(
    string Service,
    string Provider,
    bool KeyConfigured,
    DateTimeOffset? LastSuccessAt,
    DateTimeOffset? LastErrorAt,
    string? LastError);

/// <summary>The AI service names of <see cref="AiServiceStatus.Service"/>.</summary>
public static class AiServices
{
    public const string Roasts = "roasts";
    public const string Voice = "voice";
}
