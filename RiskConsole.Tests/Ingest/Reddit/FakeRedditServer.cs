using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace RiskConsole.Tests.Ingest.Reddit;

/// <summary>
/// A local stand-in for Reddit on 127.0.0.1 (Kestrel) that speaks the documented shapes of
/// ../shared/fixtures/feeds (reddit_new.json, reddit_token.json, reddit_error_429.json), for the real listener to poll.
/// One server plays both hosts: point <c>Ingest:Reddit:BaseUrl</c> and <c>Ingest:Reddit:OAuthUrl</c> at
/// <see cref="BaseUrl"/>.
/// <list type="bullet">
/// <item><c>POST /api/v1/access_token</c>: app-only OAuth. Checks HTTP Basic <see cref="ClientId"/>:<see cref="ClientSecret"/>
/// and <c>grant_type=client_credentials</c>; answers a bearer token valid for <see cref="TokenLifetimeSeconds"/>, or 401.</item>
/// <item><c>GET /r/a+b+c/new.json</c>: the public listing; <c>GET /r/a+b+c/new</c>: the OAuth listing, 401 without a live
/// token. Both list the <see cref="AddPost">added posts</see> of the named subreddits, newest first, up to <c>limit</c>.</item>
/// </list>
/// Faults: queue a one-off answer with <see cref="Then"/> / <see cref="ThenToken"/>, or set <see cref="Default"/> for every
/// listing until cleared (refuse with a status and headers, close, hang = go silent, trickle, huge, raw bytes);
/// <see cref="StopAsync"/> makes it die (connections refused), <see cref="RestartAsync"/> brings it back on the same port
/// with the same posts and tokens. Every request is recorded in <see cref="Requests"/>; tests await them with
/// <see cref="WaitForRequestsAsync"/>.
/// </summary>
public sealed class FakeRedditServer : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly List<FakeRedditPost> _posts = [];
    private readonly List<FakeRedditRequest> _requests = [];
    private readonly Queue<FakeRedditAnswer> _listingAnswers = new();
    private readonly Queue<FakeRedditAnswer> _tokenAnswers = new();
    private readonly List<string> _issuedTokens = [];
    private readonly HashSet<string> _revokedTokens = new(StringComparer.Ordinal);
    private readonly List<(Func<bool> Condition, TaskCompletionSource Done)> _waiters = [];
    private WebApplication? _app;
    private long _nextId = 3_000_000_000;

    private FakeRedditServer()
    {
    }

    /// <summary>"http://127.0.0.1:&lt;port&gt;", the same across <see cref="RestartAsync"/>.</summary>
    public string BaseUrl => $"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    public int Port { get; private set; }

    /// <summary>The app credentials the token endpoint accepts.</summary>
    public string ClientId { get; set; } = "fake-client-id";

    public string ClientSecret { get; set; } = "fake-client-secret";

    /// <summary>The expires_in of issued tokens (the fixture's 3600).</summary>
    public int TokenLifetimeSeconds { get; set; } = 3600;

    /// <summary>The clock that stamps <see cref="AddPost"/>'s default creation time and the requests' times.</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>When set, every listing answer (also refusals) carries these X-Ratelimit-* headers.</summary>
    public FakeRedditRateLimit? RateLimit { get; set; }

    /// <summary>When set, answers every listing request (after the one-off <see cref="Then"/> queue) instead of the posts.</summary>
    public FakeRedditAnswer? Default { get; set; }

    public IReadOnlyList<FakeRedditRequest> Requests => Locked(() => _requests.ToList());

    public IReadOnlyList<FakeRedditRequest> ListingRequests => Locked(() => _requests.Where(r => r.IsListing).ToList());

    public IReadOnlyList<FakeRedditRequest> TokenRequests => Locked(() => _requests.Where(r => r.IsToken).ToList());

    /// <summary>Every access token issued so far, oldest first.</summary>
    public IReadOnlyList<string> IssuedTokens => Locked(() => _issuedTokens.ToList());

    /// <summary>Starts on a free port of 127.0.0.1 (or on <paramref name="port"/>).</summary>
    public static async Task<FakeRedditServer> StartAsync(int port = 0)
    {
        var server = new FakeRedditServer();
        await server.ListenAsync(port);
        return server;
    }

    /// <summary>Adds a post to the listings; created now (by <see cref="Clock"/>) unless given. Returns it with its name.</summary>
    public FakeRedditPost AddPost(string subreddit, string title, string selfText = "", DateTimeOffset? created = null)
    {
        lock (_gate)
        {
            var post = new FakeRedditPost($"t3_{ToBase36(_nextId++)}", subreddit, title, selfText, created ?? Clock.GetUtcNow());
            _posts.Add(post);
            return post;
        }
    }

    public void RemovePost(FakeRedditPost post)
    {
        lock (_gate)
        {
            _posts.Remove(post);
        }
    }

    /// <summary>Queues a one-off answer for the next listing request.</summary>
    public void Then(FakeRedditAnswer answer)
    {
        lock (_gate)
        {
            _listingAnswers.Enqueue(answer);
        }
    }

    /// <summary>Queues a one-off answer for the next token request.</summary>
    public void ThenToken(FakeRedditAnswer answer)
    {
        lock (_gate)
        {
            _tokenAnswers.Enqueue(answer);
        }
    }

    /// <summary>Every token issued so far is refused by the OAuth listing from now on (401), as Reddit does with a revoked one.</summary>
    public void RevokeTokens()
    {
        lock (_gate)
        {
            _revokedTokens.UnionWith(_issuedTokens);
        }
    }

    /// <summary>Completes once at least <paramref name="count"/> requests (of <paramref name="kind"/>, if given) have arrived.</summary>
    public async Task<IReadOnlyList<FakeRedditRequest>> WaitForRequestsAsync(int count, FakeRedditRequestKind? kind = null, TimeSpan? limit = null)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bool Enough() => _requests.Count(r => kind is null || r.Kind == kind) >= count;
        lock (_gate)
        {
            if (!Enough())
            {
                _waiters.Add((Enough, done));
            }
            else
            {
                done.SetResult();
            }
        }

        try
        {
            await done.Task.WaitAsync(limit ?? TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"waited for {count} {kind?.ToString() ?? "any"} requests; got {Requests.Count}: {string.Join(", ", Requests.Select(r => r.Path))}");
        }

        return kind is null ? Requests : Requests.Where(r => r.Kind == kind).ToList();
    }

    /// <summary>Dies: the listener stops, so connections to the port are refused. Open requests are cut.</summary>
    public async Task StopAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            using var now = new CancellationTokenSource();
            await now.CancelAsync(); // do not wait for hanging answers to finish: cut them
            await app.StopAsync(now.Token);
            await app.DisposeAsync();
        }
    }

    /// <summary>Comes back on the same port, with the same posts, tokens and recorded requests.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        await ListenAsync(Port);
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    /// <summary>The documented listing JSON (reddit_new.json's shape) of <paramref name="posts"/>, in the order given.</summary>
    public static string ListingJson(IEnumerable<FakeRedditPost> posts)
    {
        ArgumentNullException.ThrowIfNull(posts);
        var children = posts.Select(p => $$"""{"kind": "t3", "data": {{PostDataJson(p)}}}""").ToList();
        var after = children.Count > 0 ? $"\"{posts.Last().Name}\"" : "null";
        return $$$"""{"kind": "Listing", "data": {"after": {{{after}}}, "dist": {{{children.Count}}}, "modhash": "", "geo_filter": "", "children": [{{{string.Join(", ", children)}}}], "before": null}}""";
    }

    /// <summary>One post's data object with the fields Reddit sends (the ones in reddit_new.json).</summary>
    public static string PostDataJson(FakeRedditPost post)
    {
        ArgumentNullException.ThrowIfNull(post);
        var id = post.Name["t3_".Length..];
        var created = (post.Created.ToUnixTimeMilliseconds() / 1000.0).ToString("0.0##", CultureInfo.InvariantCulture);
        return $$"""
            {"approved_at_utc": null, "subreddit": {{Quote(post.Subreddit)}}, "selftext": {{Quote(post.SelfText)}}, "author_fullname": "t2_fake",
             "saved": false, "gilded": 0, "clicked": false, "title": {{Quote(post.Title)}}, "subreddit_name_prefixed": {{Quote("r/" + post.Subreddit)}},
             "hidden": false, "downs": 0, "name": {{Quote(post.Name)}}, "upvote_ratio": 0.9, "ups": 1, "score": 1, "link_flair_text": null,
             "is_self": {{(post.SelfText.Length > 0 ? "true" : "false")}}, "created": {{created}}, "domain": {{Quote("self." + post.Subreddit)}},
             "subreddit_id": "t5_fake", "id": {{Quote(id)}}, "author": "fake_author", "num_comments": 0,
             "permalink": {{Quote($"/r/{post.Subreddit}/comments/{id}/")}}, "url": {{Quote($"https://www.reddit.com/r/{post.Subreddit}/comments/{id}/")}},
             "stickied": false, "over_18": false, "created_utc": {{created}}, "send_replies": true, "locked": false, "spoiler": false}
            """;
    }

    internal static string Quote(string text) => System.Text.Json.JsonSerializer.Serialize(text, FakeRedditJson.Default.String);

    private async Task ListenAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        var app = builder.Build();
        app.Run(HandleAsync);
        await app.StartAsync();
        var address = app.Urls.First();
        Port = new Uri(address).Port;
        _app = app;
    }

    private async Task HandleAsync(HttpContext http)
    {
        var path = http.Request.Path.Value ?? "";
        if (HttpMethods.IsPost(http.Request.Method) && path == "/api/v1/access_token")
        {
            await HandleTokenAsync(http);
            return;
        }

        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (HttpMethods.IsGet(http.Request.Method) && segments is ["r", var subreddits, "new" or "new.json"])
        {
            await HandleListingAsync(http, subreddits.Split('+'), oauth: segments[2] == "new");
            return;
        }

        Record(http, FakeRedditRequestKind.Other, null);
        await FakeRedditAnswer.Status(404, """{"message": "Not Found", "error": 404}""").WriteAsync(http, this);
    }

    private async Task HandleTokenAsync(HttpContext http)
    {
        var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(http.RequestAborted) : null;
        var grantType = form?["grant_type"].ToString();
        Record(http, FakeRedditRequestKind.Token, grantType);
        FakeRedditAnswer? next;
        lock (_gate)
        {
            _tokenAnswers.TryDequeue(out next);
        }

        if (next is not null)
        {
            await next.WriteAsync(http, this);
            return;
        }

        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ClientId}:{ClientSecret}"));
        if (http.Request.Headers.Authorization.ToString() != expected)
        {
            await FakeRedditAnswer.Status(401, """{"message": "Unauthorized", "error": 401}""").WriteAsync(http, this);
            return;
        }

        if (grantType != "client_credentials")
        {
            // Reddit answers an unknown grant with 200 and an error member.
            await FakeRedditAnswer.Json("""{"error": "unsupported_grant_type"}""").WriteAsync(http, this);
            return;
        }

        string token;
        lock (_gate)
        {
            token = $"fake-token-{_issuedTokens.Count + 1}";
            _issuedTokens.Add(token);
        }

        await FakeRedditAnswer.Json($$"""{"access_token": "{{token}}", "token_type": "bearer", "expires_in": {{TokenLifetimeSeconds}}, "scope": "*"}""").WriteAsync(http, this);
    }

    private async Task HandleListingAsync(HttpContext http, string[] subreddits, bool oauth)
    {
        Record(http, FakeRedditRequestKind.Listing, null);
        if (RateLimit is { } rate)
        {
            http.Response.Headers["X-Ratelimit-Used"] = rate.Used.ToString(CultureInfo.InvariantCulture);
            http.Response.Headers["X-Ratelimit-Remaining"] = rate.Remaining.ToString("0.0", CultureInfo.InvariantCulture);
            http.Response.Headers["X-Ratelimit-Reset"] = rate.ResetSeconds.ToString(CultureInfo.InvariantCulture);
        }

        FakeRedditAnswer? next;
        lock (_gate)
        {
            _listingAnswers.TryDequeue(out next);
        }

        if ((next ?? Default) is { } answer)
        {
            await answer.WriteAsync(http, this);
            return;
        }

        if (oauth && !HasLiveToken(http.Request.Headers.Authorization.ToString()))
        {
            await FakeRedditAnswer.Status(401, """{"message": "Unauthorized", "error": 401}""").WriteAsync(http, this);
            return;
        }

        var limit = int.TryParse(http.Request.Query["limit"], CultureInfo.InvariantCulture, out var asked) ? Math.Clamp(asked, 1, 100) : 25;
        var wanted = new HashSet<string>(subreddits, StringComparer.OrdinalIgnoreCase);
        List<FakeRedditPost> listed;
        lock (_gate)
        {
            listed = _posts.Select((post, index) => (post, index))
                .Where(p => wanted.Contains(p.post.Subreddit))
                .OrderByDescending(p => p.post.Created).ThenByDescending(p => p.index)
                .Take(limit)
                .Select(p => p.post)
                .ToList();
        }

        await FakeRedditAnswer.Json(ListingJson(listed)).WriteAsync(http, this);
    }

    private bool HasLiveToken(string authorization)
    {
        const string prefix = "bearer ";
        if (!authorization.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var token = authorization[prefix.Length..];
        lock (_gate)
        {
            return _issuedTokens.Contains(token) && !_revokedTokens.Contains(token);
        }
    }

    private void Record(HttpContext http, FakeRedditRequestKind kind, string? grantType)
    {
        var request = new FakeRedditRequest(
            kind,
            http.Request.Method,
            http.Request.Path.Value ?? "",
            http.Request.QueryString.Value ?? "",
            http.Request.Headers.UserAgent.ToString(),
            http.Request.Headers.Authorization.ToString(),
            grantType,
            Clock.GetUtcNow());
        lock (_gate)
        {
            _requests.Add(request);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Condition())
                {
                    _waiters[i].Done.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    private T Locked<T>(Func<T> read)
    {
        lock (_gate)
        {
            return read();
        }
    }

    private static string ToBase36(long value)
    {
        const string digits = "0123456789abcdefghijklmnopqrstuvwxyz";
        var text = new StringBuilder();
        do
        {
            text.Insert(0, digits[(int)(value % 36)]);
            value /= 36;
        }
        while (value > 0);
        return text.ToString();
    }
}

/// <summary>A post the fake lists. <see cref="Name"/> is its fullname ("t3_...").</summary>
public sealed record FakeRedditPost(string Name, string Subreddit, string Title, string SelfText, DateTimeOffset Created);

/// <summary>What the fake sends in X-Ratelimit-Used / -Remaining / -Reset.</summary>
public sealed record FakeRedditRateLimit(int Used, double Remaining, int ResetSeconds);

public enum FakeRedditRequestKind
{
    Token,
    Listing,
    Other,
}

/// <summary>One request as the fake received it.</summary>
public sealed record FakeRedditRequest(
    FakeRedditRequestKind Kind,
    string Method,
    string Path,
    string Query,
    string UserAgent,
    string Authorization,
    string? GrantType,
    DateTimeOffset At)
{
    public bool IsListing => Kind == FakeRedditRequestKind.Listing;

    public bool IsToken => Kind == FakeRedditRequestKind.Token;
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
internal sealed partial class FakeRedditJson : System.Text.Json.Serialization.JsonSerializerContext;
