using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using RiskConsole.Ai.Roasts;
using RiskConsole.Ai.Voice;
using RiskConsole.Core.Contracts;

namespace RiskConsole.Ai;

/// <summary>
/// When each AI service last answered or failed, as the interrupt workflow saw it, for GetStatus and /health.
/// Error texts are stored with any configured key blanked out, so a provider that echoes the key cannot leak it.
/// Thread-safe.
/// </summary>
public sealed class AiStatusBoard(
    IRoastWriter roasts,
    ISpeechSynthesizer voice,
    IOptions<OpenAIOptions> openAI,
    IOptions<ElevenLabsOptions> elevenLabs,
    TimeProvider time)
{
    private readonly ConcurrentDictionary<string, (DateTimeOffset? Success, DateTimeOffset? Error, string? Reason)> _services = new(StringComparer.Ordinal);

    public void Succeeded(string service) =>
        _services.AddOrUpdate(service, _ => (time.GetUtcNow(), null, null), (_, old) => (time.GetUtcNow(), old.Error, old.Reason));

    public void Failed(string service, string reason)
    {
        var safe = Redact(reason);
        _services.AddOrUpdate(service, _ => (null, time.GetUtcNow(), safe), (_, old) => (old.Success, time.GetUtcNow(), safe));
    }

    public IReadOnlyList<AiServiceStatus> Snapshot() =>
    [
        Status(AiServices.Roasts, roasts.Name, openAI.Value.KeyConfigured),
        Status(AiServices.Voice, voice.Name, elevenLabs.Value.KeyConfigured),
    ];

    /// <summary>A failure reason with every configured key replaced, safe for alerts, logs and status.</summary>
    public string Redact(string reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        foreach (var key in new[] { openAI.Value.ApiKey, elevenLabs.Value.ApiKey })
        {
            if (!string.IsNullOrWhiteSpace(key))
            {
                reason = reason.Replace(key, "[redacted]", StringComparison.Ordinal);
            }
        }

        return reason;
    }

    private AiServiceStatus Status(string service, string provider, bool keyConfigured)
    {
        var state = _services.GetValueOrDefault(service);
        return new AiServiceStatus(service, provider, keyConfigured, state.Success, state.Error, state.Reason);
    }
}
