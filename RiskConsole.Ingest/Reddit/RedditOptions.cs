using System.Globalization;
using System.Text.RegularExpressions;
using RiskConsole.Core;

namespace RiskConsole.Ingest.Reddit;

/// <summary>
/// The Reddit listener, bound from "Ingest:Reddit". With <see cref="ClientId"/> and <see cref="ClientSecret"/> it polls
/// the OAuth API as an app (100 requests/min); without them, the public JSON pages (10 requests/min). Every upstream URL
/// is configuration, so tests and demos point it at a local server.
/// </summary>
public sealed partial class RedditOptions : IValidatableOptions
{
    public const string SectionName = "Ingest:Reddit";

    /// <summary>Subreddits polled when "Ingest:Reddit:Subreddits" is not configured.</summary>
    public static IReadOnlyList<string> DefaultSubreddits { get; } = ["CryptoCurrency", "Bitcoin", "wallstreetbets"];

    /// <summary>
    /// Reddit's rule for API clients: "&lt;platform&gt;:&lt;app id&gt;:&lt;version&gt; (by /u/&lt;user&gt;)". The default names
    /// this build; an operator should put their own Reddit user name in it, since that is whom Reddit contacts.
    /// </summary>
    public static string DefaultUserAgent { get; } = $"dotnet:riskconsole:{BuildVersion()} (by /u/riskconsole)";

    /// <summary>Where the public JSON pages and the OAuth token endpoint live.</summary>
    public string BaseUrl { get; set; } = "https://www.reddit.com";

    /// <summary>Where the OAuth API's listings live (used only with <see cref="ClientId"/>/<see cref="ClientSecret"/>).</summary>
    public string OAuthUrl { get; set; } = "https://oauth.reddit.com";

    /// <summary>The app's client id (a "script" or "web app" at reddit.com/prefs/apps). Absent = public JSON.</summary>
    public string? ClientId { get; set; }

    /// <summary>The app's secret. Never logged or shown.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>
    /// Subreddit names without "r/"; empty means <see cref="DefaultSubreddits"/>. (An empty default rather than a filled
    /// one, because the configuration binder appends to an array that already has items instead of replacing them.)
    /// </summary>
    public string[] Subreddits { get; set; } = [];

    /// <summary>Sent with every request. Reddit throttles or blocks generic and browser user agents on API clients.</summary>
    public string UserAgent { get; set; } = DefaultUserAgent;

    /// <summary>
    /// Seconds between two polls; absent means a default derived from the rate Reddit allows: one combined request every
    /// 10 s without OAuth (6 of the 10 requests/min), every 2 s with it (30 of the 100/min, leaving room for token fetches
    /// and for slowing down when the rate-limit headers say so).
    /// </summary>
    public double? PollIntervalSeconds { get; set; }

    /// <summary>The listing's limit parameter (1–100): newest posts asked for per poll, for all subreddits together.</summary>
    public int PostsPerRequest { get; set; } = 25;

    /// <summary>Posts created longer ago than this are skipped, so a first poll (or one after an outage) does not replay old talk.</summary>
    public double MaxPostAgeSeconds { get; set; } = 3600;

    /// <summary>Largest answer body read (after decompression); a larger one is rejected with its reason and polling goes on.</summary>
    public int MaxResponseBytes { get; set; } = 2 * 1024 * 1024;

    /// <summary>Longest post excerpt (the title) carried by a signal, in characters; matches the mock feed's 200.</summary>
    public int MaxExcerptLength { get; set; } = 200;

    /// <summary>
    /// How many post names are remembered to drop repeats across polls and reconnects; the oldest are forgotten first.
    /// Must cover several listings, so a post still on the page is never forgotten and published twice.
    /// </summary>
    public int SeenPostsCapacity { get; set; } = 10_000;

    /// <summary>
    /// The longest wait Reddit may ask for (Retry-After, or the rate-limit window running out) that is waited out inside
    /// the poll loop; a longer one ends the connection with an <c>UpstreamThrottledException</c> carrying the wait.
    /// </summary>
    public double MaxRateLimitWaitSeconds { get; set; } = 20;

    /// <summary>How long before the OAuth token expires it is replaced (at most half its lifetime).</summary>
    public double TokenRefreshMarginSeconds { get; set; } = 60;

    public bool UsesOAuth => !string.IsNullOrWhiteSpace(ClientId) && !string.IsNullOrWhiteSpace(ClientSecret);

    public IReadOnlyList<string> EffectiveSubreddits => Subreddits.Length > 0 ? Subreddits : DefaultSubreddits;

    /// <summary>The configured interval, or the default for the mode (see <see cref="PollIntervalSeconds"/>).</summary>
    public TimeSpan PollInterval => TimeSpan.FromSeconds(PollIntervalSeconds ?? (UsesOAuth ? 2 : 10));

    public TimeSpan MaxRateLimitWait => TimeSpan.FromSeconds(MaxRateLimitWaitSeconds);

    /// <summary>Where listings come from in the current mode (no secrets).</summary>
    public string ListingBaseUrl => ((UsesOAuth ? OAuthUrl : BaseUrl) ?? "").TrimEnd('/');

    public IEnumerable<string> Validate()
    {
        foreach (var (key, value) in new[] { (nameof(BaseUrl), BaseUrl), (nameof(OAuthUrl), OAuthUrl) })
        {
            if (!IsHttpUrl(value))
            {
                yield return $"{SectionName}:{key} must be an absolute http(s) URL (was '{value}').";
            }
        }

        if (string.IsNullOrWhiteSpace(ClientId) != string.IsNullOrWhiteSpace(ClientSecret))
        {
            yield return $"{SectionName}:{nameof(ClientId)} and {SectionName}:{nameof(ClientSecret)} go together: set both for OAuth, or neither for the public JSON pages.";
        }

        foreach (var message in ValidateSubreddits())
        {
            yield return message;
        }

        if (UserAgentProblem(UserAgent) is { } problem)
        {
            yield return $"{SectionName}:{nameof(UserAgent)} {problem}: use '<platform>:<app id>:<version> (by /u/<reddit user>)', e.g. 'dotnet:riskconsole:1.0 (by /u/yourname)' (was '{UserAgent}').";
        }

        if (PollIntervalSeconds is { } interval)
        {
            // Against Reddit itself, faster than the documented rate only earns 429s (or a block); a local stand-in may go faster.
            var floor = IsRedditHost(ListingBaseUrl) ? (UsesOAuth ? 0.6 : 6) : 0.01;
            if (!(interval >= floor && interval <= 3600))
            {
                var why = IsRedditHost(ListingBaseUrl) ? (UsesOAuth ? " (Reddit allows 100 requests/min with OAuth)" : " (Reddit allows 10 requests/min without OAuth)") : "";
                yield return $"{SectionName}:{nameof(PollIntervalSeconds)} must be between {floor.ToString(CultureInfo.InvariantCulture)} and 3600 seconds{why} (was {interval.ToString(CultureInfo.InvariantCulture)}).";
            }
        }

        if (PostsPerRequest is < 1 or > 100)
        {
            yield return $"{SectionName}:{nameof(PostsPerRequest)} must be between 1 and 100, Reddit's largest page (was {PostsPerRequest}).";
        }

        if (!(MaxPostAgeSeconds is >= 1 and <= 7 * 86400))
        {
            yield return $"{SectionName}:{nameof(MaxPostAgeSeconds)} must be between 1 and 604800 seconds (7 days) (was {MaxPostAgeSeconds.ToString(CultureInfo.InvariantCulture)}).";
        }

        if (MaxResponseBytes is < 16 * 1024 or > 64 * 1024 * 1024)
        {
            yield return $"{SectionName}:{nameof(MaxResponseBytes)} must be between 16384 and 67108864 bytes (was {MaxResponseBytes}).";
        }

        if (MaxExcerptLength is < 20 or > 2000)
        {
            yield return $"{SectionName}:{nameof(MaxExcerptLength)} must be between 20 and 2000 characters (was {MaxExcerptLength}).";
        }

        if (SeenPostsCapacity < 4 * PostsPerRequest || SeenPostsCapacity > 1_000_000)
        {
            yield return $"{SectionName}:{nameof(SeenPostsCapacity)} must be between 4 × {nameof(PostsPerRequest)} ({4 * PostsPerRequest}) and 1000000, so a post still listed is never forgotten and published twice (was {SeenPostsCapacity}).";
        }

        if (!(MaxRateLimitWaitSeconds is >= 0 and <= 600))
        {
            yield return $"{SectionName}:{nameof(MaxRateLimitWaitSeconds)} must be between 0 and 600 seconds (was {MaxRateLimitWaitSeconds.ToString(CultureInfo.InvariantCulture)}).";
        }

        if (!(TokenRefreshMarginSeconds is >= 0 and <= 3600))
        {
            yield return $"{SectionName}:{nameof(TokenRefreshMarginSeconds)} must be between 0 and 3600 seconds (was {TokenRefreshMarginSeconds.ToString(CultureInfo.InvariantCulture)}).";
        }
    }

    private IEnumerable<string> ValidateSubreddits()
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in Subreddits)
        {
            if (name is null || !SubredditName().IsMatch(name))
            {
                yield return $"{SectionName}:{nameof(Subreddits)} entries must be subreddit names without 'r/': 2 to 21 letters, digits or underscores (was '{name}').";
            }
            else if (!seen.Add(name))
            {
                yield return $"{SectionName}:{nameof(Subreddits)} lists '{name}' twice.";
            }
        }

        if (Subreddits.Length > 50)
        {
            // All of them go into one URL (r/a+b+c); Reddit answers a combined listing of a few dozen, not hundreds.
            yield return $"{SectionName}:{nameof(Subreddits)} may list at most 50 subreddits (was {Subreddits.Length}).";
        }
    }

    /// <summary>Why a user agent is not acceptable to Reddit, or null when it is.</summary>
    internal static string? UserAgentProblem(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent))
        {
            return "must not be empty";
        }

        if (BrowserMarkers.Any(marker => userAgent.Contains(marker, StringComparison.OrdinalIgnoreCase)))
        {
            return "must identify this app, never a browser (Reddit blocks API clients that pose as one)";
        }

        return userAgent.Length <= 256 && UserAgentFormat().IsMatch(userAgent) ? null : "is not in Reddit's required form";
    }

    private static readonly string[] BrowserMarkers = ["Mozilla/", "AppleWebKit", "Chrome/", "Safari/", "Gecko/", "Firefox/", "Edg/", "OPR/", "Opera", "MSIE", "Trident/"];

    private static bool IsHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";

    private static bool IsRedditHost(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.Host.Equals("reddit.com", StringComparison.OrdinalIgnoreCase) || uri.Host.EndsWith(".reddit.com", StringComparison.OrdinalIgnoreCase));

    private static string BuildVersion()
    {
        var version = typeof(RedditOptions).Assembly.GetName().Version ?? new Version(0, 1, 0);
        return version.ToString(3);
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_]{1,20}$")]
    private static partial Regex SubredditName();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]*:[A-Za-z0-9][A-Za-z0-9._-]*:v?[0-9A-Za-z][0-9A-Za-z.+_-]* \(by /u/[A-Za-z0-9_-]{3,20}\)$")]
    private static partial Regex UserAgentFormat();
}
