using System.Runtime.Serialization;

namespace RiskConsole.Core.Contracts;

/// <summary>
/// One AI service ("roasts" or "voice") as GetStatus and /health report it: which provider answers, whether its key is
/// configured (never the key), and when it last worked or failed and why.
/// </summary>
[DataContract]
public sealed record AiServiceStatus(
    [property: DataMember(Name = "service")] string Service,
    [property: DataMember(Name = "provider")] string Provider,
    [property: DataMember(Name = "keyConfigured")] bool KeyConfigured,
    [property: DataMember(Name = "lastSuccessAt")] DateTimeOffset? LastSuccessAt,
    [property: DataMember(Name = "lastErrorAt")] DateTimeOffset? LastErrorAt,
    [property: DataMember(Name = "lastError")] string? LastError);

/// <summary>The AI service names of <see cref="AiServiceStatus.Service"/>.</summary>
public static class AiServices
{
    public const string Roasts = "roasts";
    public const string Voice = "voice";
}
