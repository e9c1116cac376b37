using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RiskConsole.Ai.Voice;

/// <summary>
/// Reads a roast aloud through the ElevenLabs text-to-speech REST API (POST {BaseUrl}/v1/text-to-speech/{voice_id}).
/// Written by hand because no ElevenLabs SDK is served by the package registry here; it is this one call, behind
/// <see cref="ISpeechSynthesizer"/>, so an SDK can replace it in one class. The MP3 is cached by text, voice, model
/// and format, so a repeated roast costs no call, and concurrent requests for one text make one call. A rejected key
/// (401/403) stops further calls until the configuration changes (a restart), instead of failing every interrupt slowly.
/// </summary>
public sealed partial class ElevenLabsSpeechSynthesizer(
    IHttpClientFactory clients,
    AudioCache cache,
    IOptions<ElevenLabsOptions> options,
    ILogger<ElevenLabsSpeechSynthesizer> logger) : ISpeechSynthesizer
{
    public const string HttpClientName = "ElevenLabs";

    /// <summary>Largest answer read: a two-sentence roast at 128 kbit/s is well under 1 MB; anything far larger is not one.</summary>
    public const int MaxAudioBytes = 8 * 1024 * 1024;

    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _inFlight = new(StringComparer.Ordinal);
    private volatile string? _keyRejected;

    public string Name => $"elevenlabs:{options.Value.VoiceId}";

    public async Task<string?> SynthesizeAsync(string text, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        if (_keyRejected is { } refusal)
        {
            throw new InvalidOperationException(refusal);
        }

        var settings = options.Value;
        var fileName = AudioCache.FileNameFor(text, $"{settings.VoiceId}|{settings.ModelId}|{settings.OutputFormat}");
        if (cache.Contains(fileName))
        {
            return AudioCache.UrlPrefix + fileName;
        }

        // One upstream call per file, shared by every concurrent caller (it removes itself when done); each caller still
        // stops waiting at its own budget.
        var call = _inFlight.GetOrAdd(fileName, name => new Lazy<Task<string>>(() => FetchAndStoreAsync(name, text, settings)));
        return await call.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<string> FetchAndStoreAsync(string fileName, string text, ElevenLabsOptions settings)
    {
        try
        {
            using var http = clients.CreateClient(HttpClientName);
            var uri = new Uri($"{settings.BaseUrl.TrimEnd('/')}/v1/text-to-speech/{Uri.EscapeDataString(settings.VoiceId)}?output_format={Uri.EscapeDataString(settings.OutputFormat)}");
            using var request = new HttpRequestMessage(HttpMethod.Post, uri)
            {
                Content = JsonContent.Create(new TextToSpeechRequest(text, settings.ModelId), ElevenLabsJsonContext.Default.TextToSpeechRequest),
            };
            request.Headers.Add("xi-api-key", settings.ApiKey);
            request.Headers.Accept.ParseAdd("audio/mpeg");

            // Not the caller's token: the call is shared, and its own timeouts (the resilience handler) bound it.
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, CancellationToken.None).ConfigureAwait(false);
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                var refusal = $"ElevenLabs refused the key ({(int)response.StatusCode}); check Ai:ElevenLabs:ApiKey and restart";
                _keyRejected = refusal;
                LogKeyRejected(logger, (int)response.StatusCode);
                throw new InvalidOperationException(refusal);
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"ElevenLabs answered {(int)response.StatusCode}", null, response.StatusCode);
            }

            var contentType = response.Content.Headers.ContentType?.MediaType ?? "none";
            var audio = await ReadBoundedAsync(response.Content).ConfigureAwait(false);
            if (!contentType.StartsWith("audio/", StringComparison.OrdinalIgnoreCase) || audio.Length == 0)
            {
                // A JSON error with 200, an empty body, an HTML page: never cached as audio.
                throw new InvalidOperationException($"ElevenLabs returned no audio ({contentType}, {audio.Length} bytes)");
            }

            return await cache.StoreAsync(fileName, audio, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _inFlight.TryRemove(fileName, out _);
        }
    }

    /// <summary>The body, refused once it passes <see cref="MaxAudioBytes"/>, so a runaway answer cannot fill memory.</summary>
    private static async Task<byte[]> ReadBoundedAsync(HttpContent content)
    {
        if (content.Headers.ContentLength > MaxAudioBytes)
        {
            throw new InvalidOperationException($"ElevenLabs answered {content.Headers.ContentLength} bytes, more than the {MaxAudioBytes} a roast can take");
        }

        await using var stream = await content.ReadAsStreamAsync(CancellationToken.None).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, CancellationToken.None).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxAudioBytes)
            {
                throw new InvalidOperationException($"ElevenLabs answered more than the {MaxAudioBytes} bytes a roast can take");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "ElevenLabs refused the API key (HTTP {Status}); no more voice requests until Ai:ElevenLabs:ApiKey is fixed and the server restarted")]
    private static partial void LogKeyRejected(ILogger logger, int status);

    internal sealed record TextToSpeechRequest([property: JsonPropertyName("text")] string Text, [property: JsonPropertyName("model_id")] string ModelId);
}

[JsonSerializable(typeof(ElevenLabsSpeechSynthesizer.TextToSpeechRequest))]
internal sealed partial class ElevenLabsJsonContext : JsonSerializerContext;
