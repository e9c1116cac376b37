using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text;
using OpenAI;
using OpenAI.Chat;

namespace RiskConsole.Ai.Roasts;

/// <summary>
/// Roasts from an OpenAI chat model (gpt-4o by default) through the official SDK; any OpenAI-compatible endpoint works
/// by setting Ai:OpenAI:Endpoint. The SDK's own retries and timeout are bounded by the options, so one roast fits the
/// interrupt's budget; any failure throws, and the interrupt workflow then sends the offline roast.
/// </summary>
public sealed class OpenAIRoastWriter : IRoastWriter
{
    /// <summary>Longest roast passed on; longer answers are cut at a word.</summary>
    public const int MaxLength = 280;

    private readonly ChatClient _client;
    private readonly ChatCompletionOptions _completion = new() { MaxOutputTokenCount = 120, Temperature = 0.9f };

    public OpenAIRoastWriter(OpenAIOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.KeyConfigured)
        {
            throw new ArgumentException("Ai:OpenAI:ApiKey is not configured.", nameof(options));
        }

        Name = $"openai:{options.Model}";
        var clientOptions = new OpenAIClientOptions
        {
            Endpoint = new Uri(options.Endpoint),
            NetworkTimeout = TimeSpan.FromSeconds(options.TimeoutSeconds),
            RetryPolicy = new ClientRetryPolicy(options.MaxRetries),
        };
        _client = new ChatClient(options.Model, new ApiKeyCredential(options.ApiKey!), clientOptions);
    }

    public string Name { get; }

    public async Task<string> WriteAsync(RoastContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ChatCompletion completion;
        try
        {
            completion = (await _client.CompleteChatAsync(
                [new SystemChatMessage(RoastPrompt.System), new UserChatMessage(RoastPrompt.UserMessage(context))],
                _completion,
                cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (ClientResultException ex)
        {
            // The SDK's message includes the response body; the status is what an operator needs, and safe to show.
            throw new HttpRequestException($"OpenAI answered {ex.Status}", null, ex.Status == 0 ? null : (System.Net.HttpStatusCode)ex.Status);
        }

        string text;
        try
        {
            text = completion.Content.Count > 0 ? string.Concat(completion.Content.Select(part => part.Text)) : string.Empty;
        }
        catch (ArgumentOutOfRangeException)
        {
            // The SDK reads the first choice; an answer with none has nothing to say.
            throw new InvalidOperationException("OpenAI returned no choices");
        }

        var roast = Tidy(text);
        return roast.Length > 0 ? roast : throw new InvalidOperationException("OpenAI returned no text");
    }

    /// <summary>Plain text on one line: code fences, markdown marks and surrounding quotes removed, cut to <see cref="MaxLength"/>.</summary>
    public static string Tidy(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length);
        foreach (var c in text.Replace("```", " ", StringComparison.Ordinal))
        {
            if (c is not ('*' or '_' or '#' or '`' or '>'))
            {
                builder.Append(c);
            }
        }

        var line = RoastText.Clean(builder.ToString(), builder.Length + 1).Trim().Trim('\'', '"', '“', '”', ' ');
        return RoastText.Truncate(line, MaxLength);
    }
}
