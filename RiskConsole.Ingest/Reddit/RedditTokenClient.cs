using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;

namespace RiskConsole.Ingest.Reddit;

/// <summary>
/// Typed HttpClient for Reddit's app-only OAuth: <c>POST {BaseUrl}/api/v1/access_token</c> with
/// <c>grant_type=client_credentials</c> and the app's id and secret as HTTP Basic credentials.
/// </summary>
internal sealed class RedditTokenClient(HttpClient http, IOptions<RedditOptions> options, IOptions<IngestOptions> ingest, TimeProvider time)
{
    public const string HttpClientName = "Reddit.Token";

    /// <summary>A token answer is a few hundred bytes; anything near this is not one.</summary>
    private const int MaxTokenAnswerBytes = 64 * 1024;

    private readonly RedditOptions _options = options.Value;
    private readonly TimeSpan _answerTimeout = TimeSpan.FromSeconds(ingest.Value.ConnectTimeoutSeconds);

    public Uri TokenUri { get; } = TokenUriFor(options.Value);

    public static Uri TokenUriFor(RedditOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new Uri($"{options.BaseUrl.TrimEnd('/')}/api/v1/access_token");
    }

    public async Task<RedditHttpAnswer> RequestTokenAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, TokenUri)
        {
            Content = new FormUrlEncodedContent([new KeyValuePair<string, string>("grant_type", "client_credentials")]),
        };
        request.Headers.TryAddWithoutValidation("User-Agent", _options.UserAgent);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_options.ClientId}:{_options.ClientSecret}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", credentials);
        return await RedditHttpExchange.SendAsync(http, request, _answerTimeout, MaxTokenAnswerBytes, time, cancellationToken).ConfigureAwait(false);
    }
}
