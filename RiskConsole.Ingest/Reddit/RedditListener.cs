using System.Buffers;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using RiskConsole.Core.Contracts;
using RiskConsole.Core.Sentiment;
using RiskConsole.Core.Signals;
using RiskConsole.Ingest.Live;

namespace RiskConsole.Ingest.Reddit;

/// <summary>
/// The live Reddit listener: one "connection" is a poll loop over the newest posts of the configured subreddits (one
/// combined request per poll), through the OAuth API as an app when a client id and secret are configured, else through
/// the public JSON pages. Each post not seen before (by its <c>name</c>, remembered across polls and across connections,
/// since this is a singleton) and younger than <see cref="RedditOptions.MaxPostAgeSeconds"/> is scored by
/// <see cref="LexiconSentimentScorer"/> (title and body) and published as a <see cref="SentimentSample"/> from
/// "r/&lt;subreddit&gt;".
/// <para>
/// Timestamps: a post is stamped with the moment this listener first SAW it, not its <c>created_utc</c>. The engine
/// closes its bars by event time with a lateness allowance of about a second and refuses signals stamped inside a closed
/// bar; a post reaches us seconds to minutes after it was written, so its creation time is almost always already
/// "closed", and the sentiment it carries is news at the moment we learn it. Each poll's new posts go out oldest first,
/// each stamped at least one millisecond after the previous signal, so every feed's timestamps strictly increase.
/// </para>
/// <para>
/// Rate: the poll interval follows the mode's budget (10 requests/min public, 100/min OAuth); the
/// <c>X-Ratelimit-*</c> headers stretch the interval when the window's requests run short, and a refusal (429, or 503
/// with Retry-After) is waited out inside the loop when short, else ends the connection with an
/// <see cref="UpstreamThrottledException"/> carrying the wait. Retrying a failed connection is not done here: that is
/// <c>LiveSource</c>'s pipeline.
/// </para>
/// </summary>
public sealed partial class RedditListener : ILiveFeed
{
    /// <summary>A refusal that says neither Retry-After nor when the window resets is waited out this long.</summary>
    private static readonly TimeSpan DefaultThrottleWait = TimeSpan.FromSeconds(60);

    /// <summary>The gap between two signals' timestamps when the clock has not moved on between them.</summary>
    private static readonly TimeSpan StampStep = TimeSpan.FromMilliseconds(1);

    private readonly RedditOptions _options;
    private readonly Func<RedditListingClient> _listingClients;
    private readonly Func<RedditTokenClient> _tokenClients;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RedditListingParser _parser;
    private readonly string[] _sourceIds;
    private readonly Uri _listingUri;
    private readonly Lock _gate = new();
    private readonly RedditSeenPosts _seen;
    private DateTimeOffset _lastStamp = DateTimeOffset.MinValue;
    private volatile CachedToken? _token;

    internal RedditListener(
        RedditOptions options,
        IngestOptions ingest,
        Func<RedditListingClient> listingClients,
        Func<RedditTokenClient> tokenClients,
        TimeProvider time,
        ILogger<RedditListener> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(ingest);
        _options = options;
        _listingClients = listingClients;
        _tokenClients = tokenClients;
        _time = time;
        _logger = logger;
        _parser = new RedditListingParser(options.EffectiveSubreddits);
        _sourceIds = [.. options.EffectiveSubreddits.Select(name => "r/" + name)];
        _seen = new RedditSeenPosts(options.SeenPostsCapacity);
        _listingUri = RedditListingClient.ListingUriFor(options);

        // The longest stretch without a message: one wait (a poll interval, or a rate-limit wait taken inside the loop),
        // then a token and a listing request, each answered within the connect timeout for its headers and again for its
        // body. One more poll interval on top, so a slow but working upstream is never declared dead.
        var answer = TimeSpan.FromSeconds(ingest.ConnectTimeoutSeconds);
        var longestWait = options.PollInterval > options.MaxRateLimitWait ? options.PollInterval : options.MaxRateLimitWait;
        SilenceTimeout = longestWait + (2 * answer) + options.PollInterval;
        ConnectedDetail = options.UsesOAuth
            ? $"OAuth listings {_listingUri.GetLeftPart(UriPartial.Path)} every {RedditHttpExchange.Seconds(options.PollInterval)} s (app-only token, 100 requests/min)"
            : $"public JSON {_listingUri.GetLeftPart(UriPartial.Path)} every {RedditHttpExchange.Seconds(options.PollInterval)} s (no Ingest:Reddit:ClientId, 10 requests/min)";
    }

    public string Source => DataSources.Reddit;

    public string Endpoint => _options.ListingBaseUrl;

    public TimeSpan SilenceTimeout { get; }

    /// <summary>What <see cref="ILiveFeedSink.Connected"/> is told after the first good poll.</summary>
    public string ConnectedDetail { get; }

    public async Task RunConnectionAsync(ILiveFeedSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var listings = _listingClients();
        var tokens = _options.UsesOAuth ? _tokenClients() : null;
        var entries = new List<RedditListingEntry>(RedditListingParser.MaxChildren);
        var connected = false;
        var tokenRenewed = false;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var bearer = tokens is null ? null : await GetTokenAsync(tokens, sink, cancellationToken).ConfigureAwait(false);
            List<NewPost>? fresh = null;
            RedditRateLimit rateLimit;
            using (var answer = await listings.GetNewPostsAsync(bearer, cancellationToken).ConfigureAwait(false))
            {
                rateLimit = answer.RateLimit;
                if (answer.Status == HttpStatusCode.OK)
                {
                    tokenRenewed = false;
                    if (answer.BodyRejection is { } rejection)
                    {
                        sink.FrameRejected(rejection);
                    }
                    else if ((fresh = CollectNewPosts(answer.Body, entries, sink)) is not null && !connected)
                    {
                        // Connected before this answer counts as a message, so the source is live from this poll on,
                        // not from the next one a poll interval later (LiveSource counts answers after Connected).
                        connected = true;
                        sink.Connected(ConnectedDetail);
                    }
                }

                sink.MessageReceived();
                if (answer.Status == HttpStatusCode.Unauthorized && tokens is not null && !tokenRenewed)
                {
                    // A token can be revoked or expire early; one fresh token is worth a try before calling the credentials bad.
                    LogTokenRefused(_logger);
                    _token = null;
                    tokenRenewed = true;
                    continue;
                }

                if (IsThrottled(answer))
                {
                    await WaitOutThrottleAsync(answer, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (answer.Status != HttpStatusCode.OK)
                {
                    throw ListingFailure(answer, tokens is not null);
                }
            }

            foreach (var post in fresh ?? [])
            {
                await sink.PublishAsync(new SentimentSample(post.SourceId, post.Compound, NextStamp(), post.Excerpt), cancellationToken).ConfigureAwait(false);
            }

            await Task.Delay(NextPollDelay(rateLimit), _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The cached app-only token, fetched when there is none or when it is within the refresh margin of expiring (so a
    /// listing is never sent with a token about to lapse). Cached in this singleton, so a reconnect reuses it.
    /// </summary>
    private async Task<string> GetTokenAsync(RedditTokenClient tokens, ILiveFeedSink sink, CancellationToken cancellationToken)
    {
        while (true)
        {
            var now = _time.GetUtcNow();
            if (_token is { } cached && now < cached.RefreshAt)
            {
                return cached.Value;
            }

            using var answer = await tokens.RequestTokenAsync(cancellationToken).ConfigureAwait(false);
            sink.MessageReceived();
            if (IsThrottled(answer))
            {
                await WaitOutThrottleAsync(answer, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (answer.Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.BadRequest)
            {
                throw new InvalidOperationException(
                    $"{(int)answer.Status} {(answer.Status == HttpStatusCode.Unauthorized ? "unauthorized" : answer.Status == HttpStatusCode.Forbidden ? "forbidden" : "bad request")}: Reddit refused the app credentials at {tokens.TokenUri.AbsolutePath}; check Ingest:Reddit:ClientId/ClientSecret");
            }

            if (answer.Status != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"token request failed: HTTP {(int)answer.Status} from {tokens.TokenUri.GetLeftPart(UriPartial.Path)}");
            }

            if (answer.BodyRejection is { } rejection)
            {
                throw new InvalidOperationException($"token answer from {tokens.TokenUri.GetLeftPart(UriPartial.Path)} unusable: {rejection}");
            }

            var token = RedditTokenParser.Parse(answer.Body, out var problem);
            if (token is null)
            {
                throw new InvalidOperationException(problem!.StartsWith("Reddit refused", StringComparison.Ordinal)
                    ? $"{problem}; check Ingest:Reddit:ClientId/ClientSecret"
                    : $"token answer from {tokens.TokenUri.GetLeftPart(UriPartial.Path)} unusable: {problem}");
            }

            // Counted from before the request, so the refresh is early rather than late; never later than half the lifetime.
            var margin = TimeSpan.FromSeconds(Math.Min(_options.TokenRefreshMarginSeconds, token.Lifetime.TotalSeconds / 2));
            _token = new CachedToken(token.Value, now + token.Lifetime - margin);
            LogTokenFetched(_logger, token.Lifetime.TotalSeconds, margin.TotalSeconds);
            return token.Value;
        }
    }

    /// <summary>A refusal that says when to come back: 429, or 503 with Retry-After.</summary>
    private static bool IsThrottled(RedditHttpAnswer answer) =>
        answer.Status == HttpStatusCode.TooManyRequests
        || (answer.Status == HttpStatusCode.ServiceUnavailable && answer.RateLimit.RetryAfter is not null);

    private async Task WaitOutThrottleAsync(RedditHttpAnswer answer, CancellationToken cancellationToken)
    {
        var wait = answer.RateLimit.RetryAfter ?? answer.RateLimit.Reset ?? DefaultThrottleWait;
        var status = (int)answer.Status;
        if (wait > _options.MaxRateLimitWait)
        {
            var what = answer.Status == HttpStatusCode.TooManyRequests ? "rate limited" : "unavailable";
            throw new UpstreamThrottledException($"{status} {what}, retry after {Math.Ceiling(wait.TotalSeconds).ToString(CultureInfo.InvariantCulture)} s", wait);
        }

        LogThrottled(_logger, status, wait.TotalSeconds);
        await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The wait before the next poll: the interval, stretched when the rate-limit headers say the window's requests are
    /// running short. A window used up that resets later than the loop may wait ends the connection as throttled
    /// (rather than being refused with a 429 first); a stretch for pacing alone is capped at what the loop may wait.
    /// </summary>
    private TimeSpan NextPollDelay(RedditRateLimit rateLimit)
    {
        var interval = _options.PollInterval;
        var wait = rateLimit.PacedDelay(interval);
        if (wait <= interval)
        {
            return interval;
        }

        var longest = interval > _options.MaxRateLimitWait ? interval : _options.MaxRateLimitWait;
        if (wait > longest)
        {
            if (rateLimit.IsUsedUp)
            {
                var used = rateLimit.Used is { } count ? $"{count.ToString(CultureInfo.InvariantCulture)} requests used, " : "";
                throw new UpstreamThrottledException(
                    $"Reddit rate limit used up ({used}window resets in {Math.Ceiling(wait.TotalSeconds).ToString(CultureInfo.InvariantCulture)} s)", wait);
            }

            wait = longest;
        }

        LogSlowingDown(_logger, rateLimit.Remaining ?? 0, rateLimit.Reset?.TotalSeconds ?? 0, wait.TotalSeconds);
        return wait;
    }

    /// <summary>
    /// A refused listing in the listener's own words. An InvalidOperationException, not an HttpRequestException with
    /// the status: <c>UpstreamFailure.Describe</c> keeps a listener's own message as it is, but words an HTTP status
    /// generically ("HTTP 401 unauthorized"), which would lose the keys to check.
    /// </summary>
    private static InvalidOperationException ListingFailure(RedditHttpAnswer answer, bool oauth)
    {
        var status = (int)answer.Status;
        var message = answer.Status switch
        {
            HttpStatusCode.Unauthorized => oauth
                ? "401 unauthorized: Reddit refused the app's token twice; check Ingest:Reddit:ClientId/ClientSecret"
                : "401 unauthorized: Reddit wants credentials for these listings; set Ingest:Reddit:ClientId/ClientSecret",
            HttpStatusCode.Forbidden => oauth
                ? "403 forbidden: Reddit refused the listing; check Ingest:Reddit:Subreddits (a private or banned subreddit) and the app's access (Ingest:Reddit:ClientId/ClientSecret)"
                : "403 forbidden: Reddit refused the listing; check Ingest:Reddit:UserAgent (Reddit blocks generic ones), Ingest:Reddit:Subreddits (a private or banned subreddit), or set Ingest:Reddit:ClientId/ClientSecret",
            HttpStatusCode.NotFound => "404 not found: check Ingest:Reddit:Subreddits (a banned subreddit) and the listing URL (Ingest:Reddit:BaseUrl/OAuthUrl)",
            >= HttpStatusCode.MultipleChoices and < HttpStatusCode.BadRequest =>
                $"{status} redirected to {answer.Location?.ToString() ?? "nowhere"}: a subreddit in Ingest:Reddit:Subreddits probably does not exist (Reddit sends unknown ones to its search)",
            >= HttpStatusCode.InternalServerError => $"HTTP {status} from Reddit: the server failed or is overloaded",
            _ => $"HTTP {status} from Reddit's listing",
        };
        return new InvalidOperationException(message);
    }

    /// <summary>
    /// Parses the listing and picks the posts to publish: not seen before, young enough, scored. Everything that touches
    /// the body happens here, before any await, so the pooled buffer is never read after its answer is disposed.
    /// Returns null when the answer was not a Listing (rejected as a whole).
    /// </summary>
    private List<NewPost>? CollectNewPosts(ReadOnlySpan<byte> body, List<RedditListingEntry> entries, ILiveFeedSink sink)
    {
        var now = _time.GetUtcNow();
        if (_parser.Parse(body, now, entries) is { } rejection)
        {
            sink.FrameRejected(rejection);
            return null;
        }

        var oldestWanted = now - TimeSpan.FromSeconds(_options.MaxPostAgeSeconds);
        var fresh = new List<NewPost>();
        var tooOld = 0;
        Span<char> nameChars = stackalloc char[32];
        lock (_gate)
        {
            foreach (var entry in entries)
            {
                var name = nameChars[..entry.Name.CopyTo(body, nameChars)];
                if (!entry.IsPost)
                {
                    // A bad post stays listed for many polls: it is reported once per name, not once per poll.
                    if (name.IsEmpty || _seen.Add(name))
                    {
                        sink.FrameRejected(entry.Rejection!);
                    }

                    continue;
                }

                if (_seen.Contains(name))
                {
                    continue;
                }

                if (entry.Created < oldestWanted)
                {
                    tooOld++;
                    continue;
                }

                _seen.Add(name); // marked before publishing: a publish cut short loses a post, it never repeats one
                var post = Score(body, entry);
                if (post.Compound is >= -1 and <= 1)
                {
                    fresh.Add(post);
                }
                else
                {
                    sink.FrameRejected($"post {name.ToString()} scored {post.Compound.ToString(CultureInfo.InvariantCulture)}, outside [-1, 1]");
                }
            }
        }

        if (tooOld > 0)
        {
            LogSkippedOld(_logger, tooOld, _options.MaxPostAgeSeconds);
        }

        // Reddit lists newest first; the engine wants each feed in time order. Ties keep the page's order reversed.
        fresh.Sort(static (a, b) => a.CreatedUtc != b.CreatedUtc ? a.CreatedUtc.CompareTo(b.CreatedUtc) : b.Position.CompareTo(a.Position));
        return fresh;
    }

    private NewPost Score(ReadOnlySpan<byte> body, RedditListingEntry entry)
    {
        // Decoded JSON text is never longer in chars than its UTF-8 bytes, so this holds title, separator and body.
        var rented = ArrayPool<char>.Shared.Rent(entry.Title.Utf8Length + 1 + entry.SelfText.Utf8Length);
        try
        {
            var titleLength = entry.Title.CopyTo(body, rented);
            rented[titleLength] = '\n';
            var selfTextLength = entry.SelfText.CopyTo(body, rented.AsSpan(titleLength + 1));
            var compound = LexiconSentimentScorer.Default.Score(rented.AsSpan(0, titleLength + 1 + selfTextLength)).Compound;
            return new NewPost(_sourceIds[entry.SubredditIndex], compound, Excerpt(rented.AsSpan(0, titleLength)), entry.CreatedUtc, entry.Position);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }

    /// <summary>The title, trimmed and cut to <see cref="RedditOptions.MaxExcerptLength"/> (never inside a surrogate pair).</summary>
    private string Excerpt(ReadOnlySpan<char> title)
    {
        title = title.Trim();
        if (title.Length <= _options.MaxExcerptLength)
        {
            return new string(title);
        }

        var cut = _options.MaxExcerptLength - 1;
        if (char.IsHighSurrogate(title[cut - 1]))
        {
            cut--;
        }

        return string.Concat(title[..cut].TrimEnd(), "…");
    }

    /// <summary>The time this post was first seen, strictly after the previous signal's (see the class remarks).</summary>
    private DateTimeOffset NextStamp()
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            _lastStamp = now > _lastStamp ? now : _lastStamp + StampStep;
            return _lastStamp;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reddit app-only token fetched, valid for {LifetimeSeconds} s; it is replaced {MarginSeconds} s before it expires")]
    private static partial void LogTokenFetched(ILogger logger, double lifetimeSeconds, double marginSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reddit refused the cached token for the listing (401); fetching a new one")]
    private static partial void LogTokenRefused(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reddit answered {Status} and asked to wait {WaitSeconds} s; waiting inside the poll loop")]
    private static partial void LogThrottled(ILogger logger, int status, double waitSeconds);

    // Debug: while the budget is short this is every poll; a refusal or a used-up window is what reaches the status.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Reddit's rate budget is running short ({Remaining} requests left, window resets in {ResetSeconds} s): next poll in {WaitSeconds} s")]
    private static partial void LogSlowingDown(ILogger logger, double remaining, double resetSeconds, double waitSeconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Count} listed posts are older than Ingest:Reddit:MaxPostAgeSeconds ({MaxAgeSeconds} s) and were skipped")]
    private static partial void LogSkippedOld(ILogger logger, int count, double maxAgeSeconds);

    private sealed record CachedToken(string Value, DateTimeOffset RefreshAt);

    private readonly record struct NewPost(string SourceId, double Compound, string Excerpt, double CreatedUtc, int Position);
}
