using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using RiskConsole.Core.Signals;
using RiskConsole.Ingest.Live;
using RiskConsole.Tests.Ingest.Live;
using static RiskConsole.Tests.Ingest.IngestTestClock;

namespace RiskConsole.Tests.Ingest.Reddit;

/// <summary>
/// The real listener against a misbehaving <see cref="FakeRedditServer"/>: refusals end the connection with a message a
/// user can act on; throttling is waited out or handed on with its wait; bad answers are rejected with a reason while
/// polling goes on; dead, silent and closing servers end the connection plainly.
/// </summary>
public sealed class RedditListenerFaultTests
{
    private RedditListenerHarness _harness = null!;

    [TearDown]
    public async Task TearDown()
    {
        if (_harness is not null)
        {
            await _harness.DisposeAsync();
        }
    }

    private FakeRedditServer Server => _harness.Server;

    private RecordingFeedSink Sink => _harness.Sink;

    private static Dictionary<string, string?> Settings(params (string Key, string Value)[] values) =>
        values.ToDictionary(v => v.Key, v => (string?)v.Value);

    // ---- refusals ----

    [Test]
    public async Task RejectedCredentialsEndTheConnectionNamingTheKeys()
    {
        _harness = await RedditListenerHarness.StartAsync(oauth: true, settings: Settings(("Ingest:Reddit:ClientSecret", "wrong-secret")));

        _harness.Run();
        var error = await _harness.FailureAsync();

        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Is.EqualTo("401 unauthorized: Reddit refused the app credentials at /api/v1/access_token; check Ingest:Reddit:ClientId/ClientSecret"));
            Assert.That(error.Message, Does.Not.Contain("wrong-secret"));
            Assert.That(Server.TokenRequests, Has.Count.EqualTo(1), "a refused credential is not retried");
            Assert.That(Server.ListingRequests, Is.Empty);
            Assert.That(Sink.ConnectedDetails, Is.Empty);
        });
    }

    [Test]
    public async Task ATokenAnswerThatIsAnErrorObjectNamesTheKeys()
    {
        _harness = await RedditListenerHarness.StartAsync(oauth: true);
        Server.ThenToken(FakeRedditAnswer.Json("""{"error": "invalid_grant"}"""));

        _harness.Run();
        var error = await _harness.FailureAsync();

        Assert.That(error.Message, Is.EqualTo("Reddit refused the app credentials (invalid_grant); check Ingest:Reddit:ClientId/ClientSecret"));
    }

    [Test]
    public async Task ATokenAnswerThatIsNoTokenSaysWhatIsWrongWithIt()
    {
        _harness = await RedditListenerHarness.StartAsync(oauth: true);
        Server.ThenToken(FakeRedditAnswer.Json("""{"access_token": "t", "token_type": "bearer", "expires_in": -5}"""));

        _harness.Run();
        var error = await _harness.FailureAsync();

        Assert.That(error.Message, Is.EqualTo($"token answer from {Server.BaseUrl}/api/v1/access_token unusable: expires_in -5 is not a believable lifetime"));
    }

    [Test]
    public async Task AListingRefusedWithAFreshTokenEndsTheConnectionAfterOneRenewal()
    {
        _harness = await RedditListenerHarness.StartAsync(oauth: true);
        Server.Default = FakeRedditAnswer.Status(401, """{"message": "Unauthorized", "error": 401}""");

        _harness.Run();
        var error = await _harness.FailureAsync();

        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Is.EqualTo("401 unauthorized: Reddit refused the app's token twice; check Ingest:Reddit:ClientId/ClientSecret"));
            Assert.That(Server.TokenRequests, Has.Count.EqualTo(2));
            Assert.That(Server.ListingRequests, Has.Count.EqualTo(2));
        });
    }

    [Test]
    public async Task AForbiddenListingNamesWhatToCheck()
    {
        _harness = await RedditListenerHarness.StartAsync();
        Server.Default = FakeRedditAnswer.Status(403, """{"message": "Forbidden", "error": 403}""");

        _harness.Run();
        var error = await _harness.FailureAsync();

        Assert.That(error.Message, Is.EqualTo(
            "403 forbidden: Reddit refused the listing; check Ingest:Reddit:UserAgent (Reddit blocks generic ones), Ingest:Reddit:Subreddits (a private or banned subreddit), or set Ingest:Reddit:ClientId/ClientSecret"));
    }

    [Test]
    public async Task ARedirectIsReportedAsAnUnknownSubredditNotFollowed()
    {
        _harness = await RedditListenerHarness.StartAsync();
        Server.Default = FakeRedditAnswer.Redirect($"{Server.BaseUrl}/subreddits/search.json?q=CryptoCurrency");

        _harness.Run();
        var error = await _harness.FailureAsync();

        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Is.EqualTo(
                $"302 redirected to {Server.BaseUrl}/subreddits/search.json?q=CryptoCurrency: a subreddit in Ingest:Reddit:Subreddits probably does not exist (Reddit sends unknown ones to its search)"));
            Assert.That(Server.Requests.Where(r => r.Kind == FakeRedditRequestKind.Other), Is.Empty, "the redirect was not followed");
        });
    }

    [Test]
    public async Task AServerErrorIsRetriedOnceByTheHttpClientAndPollingGoesOn()
    {
        _harness = await RedditListenerHarness.StartAsync();
        Server.AddPost("Bitcoin", "after a hiccup");
        Server.Then(FakeRedditAnswer.Status(502));

        _harness.Run();
        await Sink.WaitForSignalsAsync(1);

        Assert.Multiple(() =>
        {
            Assert.That(Server.ListingRequests, Has.Count.GreaterThanOrEqualTo(2), "the 502, then its retry");
            Assert.That(Sink.ConnectedDetails, Has.Count.EqualTo(1));
            Assert.That(Sink.Rejections, Is.Empty);
            Assert.That(_harness.Running.IsCompleted, Is.False);
        });
    }

    [Test]
    public async Task TheHttpRetryWaitsOnTheInjectedClock()
    {
        var time = new TimerWatchingFakeTime(Start);
        _harness = await RedditListenerHarness.StartAsync(time: time, settings: Settings(("Ingest:Reddit:PollIntervalSeconds", "5")));
        Server.AddPost("Bitcoin", "after the retry", created: Start);
        Server.Then(FakeRedditAnswer.Status(502));

        _harness.Run();
        // 250 ms with jitter: Polly takes the TimeProvider from DI, so a test (or the lead's end-to-end run) on fake time
        // must move the clock past it.
        var retryDelay = await time.WaitForTimerAsync(due => due > TimeSpan.Zero && due < TimeSpan.FromSeconds(1), "the retry delay");
        Assert.That(Server.ListingRequests, Has.Count.EqualTo(1));
        time.Advance(retryDelay);
        await Sink.WaitForSignalsAsync(1);

        Assert.That(Server.ListingRequests, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task AServerThatKeepsFailingEndsTheConnectionAfterOneRetry()
    {
        _harness = await RedditListenerHarness.StartAsync();
        Server.Default = FakeRedditAnswer.Status(500);

        _harness.Run();
        var error = await _harness.FailureAsync();

        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Is.EqualTo("HTTP 500 from Reddit: the server failed or is overloaded"));
            Assert.That(Server.ListingRequests, Has.Count.EqualTo(2));
        });
    }

    // ---- throttling ----

    [Test]
    public async Task A429WithALongRetryAfterEndsTheConnectionCarryingTheWait()
    {
        _harness = await RedditListenerHarness.StartAsync();
        Server.Default = FakeRedditAnswer.TooManyRequests(120);

        _harness.Run();
        var error = await _harness.FailureAsync();

        Assert.Multiple(() =>
        {
            Assert.That(error, Is.TypeOf<UpstreamThrottledException>());
            Assert.That(error.Message, Is.EqualTo("429 rate limited, retry after 120 s"));
            Assert.That(((UpstreamThrottledException)error).RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(120)));
            Assert.That(Server.ListingRequests, Has.Count.EqualTo(1), "a 429 is never retried by the HTTP client");
        });
    }

    [Test]
    public async Task AThrottledTokenRequestIsHandledLikeAThrottledListing()
    {
        _harness = await RedditListenerHarness.StartAsync(oauth: true);
        Server.ThenToken(FakeRedditAnswer.TooManyRequests(90));

        _harness.Run();
        var error = await _harness.FailureAsync();

        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Is.EqualTo("429 rate limited, retry after 90 s"));
            Assert.That(((UpstreamThrottledException)error).RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(90)));
            Assert.That(Server.TokenRequests, Has.Count.EqualTo(1));
            Assert.That(Server.ListingRequests, Is.Empty);
        });
    }

    [Test]
    public async Task A503WithRetryAfterIsThrottlingNotAFailure()
    {
        _harness = await RedditListenerHarness.StartAsync(settings: Settings(("Ingest:Reddit:MaxRateLimitWaitSeconds", "1")));
        Server.Default = FakeRedditAnswer.Status(503, null, ("Retry-After", "2"));

        _harness.Run();
        var error = await _harness.FailureAsync();

        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Is.EqualTo("503 unavailable, retry after 2 s"));
            Assert.That(((UpstreamThrottledException)error).RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(2)));
            Assert.That(Server.ListingRequests, Has.Count.EqualTo(1));
        });
    }

    [TestCase(7, null, 7, TestName = "A429WithAShortRetryAfterIsWaitedOutInsideTheLoop")]
    [TestCase(null, 9, 9, TestName = "A429WithoutRetryAfterWaitsForTheRateLimitReset")]
    public async Task AShortThrottleIsWaitedOutInsideTheLoop(int? retryAfter, int? reset, int expectedWait)
    {
        var time = new TimerWatchingFakeTime(Start);
        _harness = await RedditListenerHarness.StartAsync(time: time, settings: Settings(("Ingest:Reddit:PollIntervalSeconds", "5")));
        Server.AddPost("Bitcoin", "waited for", created: Start.AddMinutes(-1));
        Server.Then(FakeRedditAnswer.TooManyRequests(retryAfter, reset));

        _harness.Run();
        await time.WaitForTimerAsync(TimeSpan.FromSeconds(expectedWait));
        Assert.Multiple(() =>
        {
            Assert.That(Server.ListingRequests, Has.Count.EqualTo(1));
            Assert.That(Sink.Signals, Is.Empty);
            Assert.That(Sink.Messages, Is.EqualTo(1), "the refusal is a message: the connection is not silent");
        });

        time.Advance(TimeSpan.FromSeconds(expectedWait));
        await Sink.WaitForSignalsAsync(1);
        Assert.Multiple(() =>
        {
            Assert.That(Server.ListingRequests.Select(r => r.At), Is.EqualTo(new[] { Start, Start.AddSeconds(expectedWait) }));
            Assert.That(_harness.Running.IsCompleted, Is.False);
        });
    }

    [Test]
    public async Task TheNextPollIsDelayedWhenTheRateBudgetRunsShort()
    {
        var time = new TimerWatchingFakeTime(Start);
        _harness = await RedditListenerHarness.StartAsync(time: time, settings: Settings(
            ("Ingest:Reddit:PollIntervalSeconds", "5"), ("Ingest:Reddit:MaxRateLimitWaitSeconds", "60")));
        // 5 requests left (one kept for a token), 100 s to the reset: one request per 25 s instead of per 5 s.
        Server.RateLimit = new FakeRedditRateLimit(95, 5, 100);

        _harness.Run();
        await time.WaitForTimerAsync(TimeSpan.FromSeconds(25));

        Server.RateLimit = new FakeRedditRateLimit(10, 90, 100);
        time.Advance(TimeSpan.FromSeconds(25));
        await time.WaitForTimerAsync(TimeSpan.FromSeconds(5));
        Assert.That(Server.ListingRequests.Select(r => r.At), Is.EqualTo(new[] { Start, Start.AddSeconds(25) }), "back to the poll interval once the budget is ample");
    }

    [Test]
    public async Task AUsedUpBudgetThatResetsLaterThanTheLoopMayWaitEndsTheConnectionBeforeAnyRefusal()
    {
        _harness = await RedditListenerHarness.StartAsync();
        Server.RateLimit = new FakeRedditRateLimit(99, 1, 300);
        Server.AddPost("Bitcoin", "the last one for a while");

        _harness.Run();
        var error = await _harness.FailureAsync();

        Assert.Multiple(() =>
        {
            Assert.That(error, Is.TypeOf<UpstreamThrottledException>());
            Assert.That(error.Message, Is.EqualTo("Reddit rate limit used up (99 requests used, window resets in 300 s)"));
            Assert.That(((UpstreamThrottledException)error).RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(300)));
            Assert.That(Sink.Signals, Has.Count.EqualTo(1), "the answer in hand was used first");
            Assert.That(Server.ListingRequests, Has.Count.EqualTo(1));
        });
    }

    // ---- bad answers: rejected with a reason, and the next poll goes on ----

    private static IEnumerable<TestCaseData> BadAnswers()
    {
        TestCaseData Case(string name, Func<FakeRedditAnswer> answer, string reason) => new TestCaseData(answer, reason).SetName($"{{m}}({name})");

        yield return Case("invalid JSON", () => FakeRedditAnswer.Json("{\"kind\": \"Listing\", \"data\": {"), "invalid JSON (line 1, byte ");
        yield return Case("empty body", () => FakeRedditAnswer.Json(""), "invalid JSON (line 1, byte 1)");
        yield return Case("JSON of the wrong shape", () => FakeRedditAnswer.Json("[{\"kind\": \"t3\"}]"), "not a Listing: the answer is a JSON array");
        yield return Case("a listing of comments", () => FakeRedditAnswer.Json("{\"kind\": \"t1\", \"data\": {}}"), "not a Listing: kind is 't1'");
        yield return Case("an error object with 200", () => FakeRedditAnswer.Json(FakeRedditAnswer.TooManyRequestsBody), "not a Listing: Reddit sent an error object");
        yield return Case("an HTML page", () => FakeRedditAnswer.Raw("<html>whoa there, pardner!</html>"u8.ToArray(), "text/html; charset=utf-8"), "an HTML page, not JSON (Reddit's block or maintenance page?)");
        yield return Case("binary", () => FakeRedditAnswer.Raw([0x89, 0x50, 0x4E, 0x47, 0, 1, 2], "image/png"), "a binary answer (image/png), not JSON");
        yield return Case("octet stream", () => FakeRedditAnswer.Raw([0, 0, 0, 0], "application/octet-stream"), "a binary answer (application/octet-stream), not JSON");
        yield return Case("binary without a type", () => FakeRedditAnswer.Raw([0xFF, 0xFE, 0, 1], null), "invalid JSON (line 1, byte 1)");
        yield return Case("several MB", () => FakeRedditAnswer.Huge(3 * 1024 * 1024, chunked: false), "answer of 3145728 bytes is larger than the 2097152 byte cap (Ingest:Reddit:MaxResponseBytes)");
        yield return Case("several MB chunked", () => FakeRedditAnswer.Huge(3 * 1024 * 1024, chunked: true), "answer larger than the 2097152 byte cap (Ingest:Reddit:MaxResponseBytes), dropped unread");
        yield return Case("an endless trickle", () => FakeRedditAnswer.Trickle(TimeSpan.FromMilliseconds(20)), "answer not complete within 0.5 s (a trickle), dropped after ");
    }

    [TestCaseSource(nameof(BadAnswers))]
    public async Task ABadAnswerIsRejectedWithItsReasonAndTheNextPollIsUsed(Func<FakeRedditAnswer> answer, string reason)
    {
        _harness = await RedditListenerHarness.StartAsync(settings: Settings(("Ingest:ConnectTimeoutSeconds", "0.5")));
        var post = Server.AddPost("Bitcoin", "published by the poll after the bad one");
        Server.Then(answer());

        _harness.Run();
        await Sink.WaitForSignalsAsync(1);

        Assert.Multiple(() =>
        {
            Assert.That(Sink.Rejections, Has.Count.EqualTo(1));
            Assert.That(Sink.Rejections[0], Does.StartWith(reason));
            Assert.That(((SentimentSample)Sink.Signals[0]).Text, Is.EqualTo(post.Title));
            Assert.That(Sink.ConnectedDetails, Has.Count.EqualTo(1), "connected on the first good poll");
            Assert.That(Sink.Messages, Is.GreaterThanOrEqualTo(2), "the bad answer counted as a message too");
            Assert.That(_harness.Running.IsCompleted, Is.False, "a bad answer never ends the connection");
        });
    }

    [Test]
    public async Task BadPostsAreRejectedOnceEachWhileTheGoodOnesArePublished()
    {
        _harness = await RedditListenerHarness.StartAsync();
        var now = DateTimeOffset.UtcNow;
        var good = new FakeRedditPost("t3_good1", "Bitcoin", "a good post", "", now.AddMinutes(-1));
        JsonNode Child(string name, Action<JsonObject> breakIt)
        {
            var data = JsonNode.Parse(FakeRedditServer.PostDataJson(good with { Name = name }))!.AsObject();
            breakIt(data);
            return new JsonObject { ["kind"] = "t3", ["data"] = data };
        }

        var children = new JsonArray(
            JsonNode.Parse($$"""{"kind": "t3", "data": {{FakeRedditServer.PostDataJson(good)}}}"""),
            Child("t3_bad1", d => d.Remove("title")),
            Child("t3_bad2", d => d["created_utc"] = "not a time"),
            Child("t3_bad3", d => d["subreddit"] = "Dogecoin"),
            Child("t3_bad4", d => d["created_utc"] = -100),
            new JsonObject { ["kind"] = "t1", ["data"] = new JsonObject { ["name"] = "t1_comment" } });
        var listing = new JsonObject { ["kind"] = "Listing", ["data"] = new JsonObject { ["children"] = children } };
        Server.Default = FakeRedditAnswer.Json(listing.ToJsonString());

        _harness.Run();
        await Sink.WaitForSignalsAsync(1);
        await Server.WaitForRequestsAsync(Server.ListingRequests.Count + 2, FakeRedditRequestKind.Listing);
        var polls = Server.ListingRequests.Count - 1;

        Assert.Multiple(() =>
        {
            Assert.That(Sink.Signals.Cast<SentimentSample>().Select(s => s.Text), Is.EqualTo(new[] { "a good post" }));
            Assert.That(Sink.Rejections.Distinct(), Is.EquivalentTo(new[]
            {
                "post t3_bad1 has no title",
                "post t3_bad2 has a created_utc that is not a number of seconds",
                "post t3_bad3 is from a subreddit that is not configured (Ingest:Reddit:Subreddits)",
                "post t3_bad4 has created_utc -100, before Reddit existed",
                "child 6 is kind 't1', not a t3 post",
            }));
            Assert.That(Sink.Rejections.Count(r => r.StartsWith("post t3_bad", StringComparison.Ordinal)), Is.EqualTo(4), "a named bad post is reported once, not once per poll");
            Assert.That(Sink.Rejections.Count(r => r.StartsWith("child 6", StringComparison.Ordinal)), Is.GreaterThanOrEqualTo(polls), "a child with no post name cannot be remembered");
        });
    }

    // ---- dead, silent, closing servers ----

    [Test]
    public async Task AServerThatNeverAnswersIsATimeoutNamingTheSetting()
    {
        _harness = await RedditListenerHarness.StartAsync(settings: Settings(("Ingest:ConnectTimeoutSeconds", "0.3")));
        Server.Default = FakeRedditAnswer.Hang();

        _harness.Run();
        var error = await _harness.FailureAsync();

        Assert.Multiple(() =>
        {
            Assert.That(error, Is.TypeOf<TimeoutException>());
            Assert.That(error.Message, Is.EqualTo($"127.0.0.1:{Server.Port} did not answer /r/CryptoCurrency+Bitcoin+wallstreetbets/new.json within 0.3 s (Ingest:ConnectTimeoutSeconds)"));
        });
    }

    [Test]
    public async Task ASocketThatAcceptsAndNeverSpeaksIsATimeout()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var accepted = silent.AcceptSocketAsync();
        _harness = await RedditListenerHarness.StartAsync(settings: Settings(
            ("Ingest:ConnectTimeoutSeconds", "0.3"), ("Ingest:Reddit:BaseUrl", $"http://127.0.0.1:{port}")));

        _harness.Run();
        var error = await _harness.FailureAsync();
        using var socket = await accepted;

        Assert.Multiple(() =>
        {
            Assert.That(error, Is.TypeOf<TimeoutException>());
            Assert.That(error.Message, Does.StartWith($"127.0.0.1:{port} did not answer"));
            Assert.That(socket.Connected, Is.True, "the TCP connection was made; only the answer never came");
        });
    }

    [Test]
    public async Task AServerThatClosesTheConnectionEndsItPlainly()
    {
        _harness = await RedditListenerHarness.StartAsync();
        Server.Default = FakeRedditAnswer.Close();

        _harness.Run();
        var error = await _harness.FailureAsync();

        Assert.Multiple(() =>
        {
            Assert.That(error, Is.InstanceOf<HttpRequestException>());
            Assert.That(error.Message, Does.StartWith($"127.0.0.1:{Server.Port} closed the connection before answering"));
            Assert.That(Server.ListingRequests, Has.Count.EqualTo(2), "retried once by the HTTP client");
        });
    }

    [Test]
    public async Task AServerThatClosesInTheMiddleOfAnAnswerEndsItPlainly()
    {
        _harness = await RedditListenerHarness.StartAsync();
        Server.Default = FakeRedditAnswer.CloseMidAnswer();

        _harness.Run();
        var error = await _harness.FailureAsync();

        // Whether the reset overtakes the headers is up to the kernel: either way the message says what happened.
        Assert.That(error.Message, Does.Match($"^127\\.0\\.0\\.1:{Server.Port} closed the connection (before answering|in the middle of the answer)"));
    }

    [Test]
    public async Task AServerThatDiesIsARefusedConnectionAndTheListenerResumesWhenItIsBack()
    {
        _harness = await RedditListenerHarness.StartAsync();
        Server.AddPost("Bitcoin", "before the outage");
        _harness.Run();
        await Sink.WaitForSignalsAsync(1);

        await Server.StopAsync();
        var error = await _harness.FailureAsync();
        Assert.Multiple(() =>
        {
            Assert.That(error, Is.InstanceOf<HttpRequestException>());
            Assert.That(error.Message, Does.StartWith($"cannot connect to 127.0.0.1:{Server.Port}: Connection refused"));
        });

        await Server.RestartAsync();
        Server.AddPost("Bitcoin", "after the outage");
        var resumed = new RecordingFeedSink();
        _harness.Run(resumed);
        await resumed.WaitForSignalsAsync(1);
        Assert.Multiple(() =>
        {
            Assert.That(resumed.ConnectedDetails, Has.Count.EqualTo(1));
            Assert.That(resumed.Signals.Cast<SentimentSample>().Select(s => s.Text), Is.EqualTo(new[] { "after the outage" }), "nothing seen before the outage again");
        });
    }

    [Test]
    public async Task AnUnknownHostIsADnsFailureNamingTheHost()
    {
        _harness = await RedditListenerHarness.StartAsync(settings: Settings(("Ingest:Reddit:BaseUrl", "http://no-such-host.invalid")));

        _harness.Run();
        var error = await _harness.FailureAsync();

        Assert.That(error.Message, Is.EqualTo("DNS: no such host no-such-host.invalid"));
    }

    [Test]
    public async Task CancellingTheConnectionEndsItPromptly()
    {
        _harness = await RedditListenerHarness.StartAsync(settings: Settings(("Ingest:Reddit:PollIntervalSeconds", "60")));
        _harness.Run();
        await Sink.WaitForConnectedAsync();
        var running = _harness.Running;

        await _harness.StopRunAsync();

        Assert.Multiple(() =>
        {
            Assert.That(running.IsCanceled, Is.True, "ended by the token, mid-wait");
            Assert.That(Server.ListingRequests, Has.Count.EqualTo(1));
        });
    }
}
