using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace RiskConsole.Ingest.Reddit;

/// <summary>
/// Typed HttpClient for the listings: one GET of <c>/r/a+b+c/new</c> for all configured subreddits together (each post
/// names its own subreddit), so the whole set costs one request of the per-minute budget instead of one per subreddit.
/// With OAuth it asks <see cref="RedditOptions.OAuthUrl"/> with the bearer token; without, the public <c>.json</c> page at
/// <see cref="RedditOptions.BaseUrl"/>. <c>raw_json=1</c> keeps Reddit from HTML-escaping the text (&amp;amp; for &amp;).
/// </summary>
internal sealed class RedditListingClient(HttpClient http, IOptions<RedditOptions> options, IOptions<IngestOptions> ingest, TimeProvider time)
{
    public const string HttpClientName = "Reddit.Listings";

    private readonly RedditOptions _options = options.Value;
    private readonly TimeSpan _answerTimeout = TimeSpan.FromSeconds(ingest.Value.ConnectTimeoutSeconds);

    public Uri ListingUri { get; } = ListingUriFor(options.Value);

    public static Uri ListingUriFor(RedditOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var subreddits = string.Join('+', options.EffectiveSubreddits);
        var page = options.UsesOAuth ? "new" : "new.json";
        return new Uri(string.Create(CultureInfo.InvariantCulture, $"{options.ListingBaseUrl}/r/{subreddits}/{page}?limit={options.PostsPerRequest}&raw_json=1"));
    }

    public async Task<RedditHttpAnswer> GetNewPostsAsync(string? bearerToken, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, ListingUri);
        // Reddit's form (platform:app:version (by /u/user)) is not an RFC 9110 product token, so it is added unvalidated.
        request.Headers.TryAddWithoutValidation("User-Agent", _options.UserAgent);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (bearerToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("bearer", bearerToken);
        }

        return await RedditHttpExchange.SendAsync(http, request, _answerTimeout, _options.MaxResponseBytes, time, cancellationToken).ConfigureAwait(false);
    }
}
