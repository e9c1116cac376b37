using System.Text;
using RiskConsole.Core.Sentiment;
using RiskConsole.Core.Signals;
using RiskConsole.Ingest.Live;
using RiskConsole.Ingest.Reddit;
using RiskConsole.Tests.Ingest.Live;
using static RiskConsole.Tests.Ingest.IngestTestClock;

namespace RiskConsole.Tests.Ingest.Reddit;

/// <summary>
/// The real listener against <see cref="FakeRedditServer"/>: what it asks for, what it publishes, dedupe, OAuth and the
/// token's life. Faults and bad input are in <see cref="RedditListenerFaultTests"/>.
/// </summary>
public sealed class RedditListenerTests
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

    private static double CompoundOf(string title, string selfText) => LexiconSentimentScorer.Default.Score($"{title}\n{selfText}").Compound;

    [Test]
    public async Task ThePublicListingIsPolledAndItsPostsArePublishedOldestFirstScoredAndStampedWhenSeen()
    {
        _harness = await RedditListenerHarness.StartAsync();
        var now = DateTimeOffset.UtcNow;
        var crash = Server.AddPost("CryptoCurrency", "Bitcoin is crashing, panic selling everywhere", "Got liquidated, this is a bloodbath.", now.AddMinutes(-3));
        var moon = Server.AddPost("Bitcoin", "BTC to the moon, diamond hands", "", now.AddMinutes(-2));
        var plain = Server.AddPost("wallstreetbets", "What is everyone's plan this week?", "Asking for a friend", now.AddMinutes(-1));
        var startedAt = DateTimeOffset.UtcNow;

        _harness.Run();
        await Sink.WaitForSignalsAsync(3);

        var signals = Sink.Signals.Cast<SentimentSample>().ToList();
        var request = Server.ListingRequests[0];
        Assert.Multiple(() =>
        {
            Assert.That(Sink.ConnectedDetails, Is.EqualTo(new[]
            {
                $"public JSON {Server.BaseUrl}/r/CryptoCurrency+Bitcoin+wallstreetbets/new.json every 0.05 s (no Ingest:Reddit:ClientId, 10 requests/min)",
            }));
            Assert.That(request.Method, Is.EqualTo("GET"));
            Assert.That(request.Path, Is.EqualTo("/r/CryptoCurrency+Bitcoin+wallstreetbets/new.json"), "one request for all subreddits");
            Assert.That(request.Query, Is.EqualTo("?limit=25&raw_json=1"));
            Assert.That(request.UserAgent, Is.EqualTo("dotnet:riskconsole:0.1.0 (by /u/riskconsole)"));
            Assert.That(request.Authorization, Is.Empty);
            Assert.That(Server.TokenRequests, Is.Empty);

            Assert.That(signals.Select(s => s.SourceId), Is.EqualTo(new[] { "r/CryptoCurrency", "r/Bitcoin", "r/wallstreetbets" }), "oldest first, each from its own subreddit");
            Assert.That(signals.Select(s => s.Text), Is.EqualTo(new[] { crash.Title, moon.Title, plain.Title }));
            Assert.That(signals.Select(s => s.Compound), Is.EqualTo(new[]
            {
                CompoundOf(crash.Title, crash.SelfText), CompoundOf(moon.Title, moon.SelfText), CompoundOf(plain.Title, plain.SelfText),
            }));
            Assert.That(signals[0].Compound, Is.LessThan(-0.5), "title and body are scored together");
            Assert.That(signals[1].Compound, Is.GreaterThan(0.3));
            Assert.That(signals.Select(s => s.IsMock), Is.All.False);
            Assert.That(signals.Select(s => s.Source), Is.All.EqualTo("reddit"));
            Assert.That(signals.Select(s => s.Timestamp), Is.All.GreaterThanOrEqualTo(startedAt), "stamped when seen, not when created");
            Assert.That(signals.Select(s => s.Timestamp), Is.Ordered.Ascending);
            Assert.That(signals.Select(s => s.Timestamp).Distinct().Count(), Is.EqualTo(3));
            Assert.That(Sink.Rejections, Is.Empty);
        });
    }

    [Test]
    public async Task TheFirstGoodAnswerReportsConnectedBeforeItCountsAsAMessage()
    {
        // LiveSource counts an answer as live data only after Connected: with the order reversed, a first poll with no
        // new post would leave the source "connecting" for a whole poll interval (and fall back to mock meanwhile).
        _harness = await RedditListenerHarness.StartAsync();
        Server.Then(FakeRedditAnswer.Json("not json"));
        var sink = new EventOrderSink();

        var running = Task.Run(() => _harness.Listener.RunConnectionAsync(sink, sink.Stop.Token));
        await Server.WaitForRequestsAsync(4, FakeRedditRequestKind.Listing);
        await sink.Stop.CancelAsync();
        Assert.That(async () => await running, Throws.InstanceOf<OperationCanceledException>());

        Assert.That(sink.Events.Take(5), Is.EqualTo(new[] { "rejected", "message", "connected", "message", "message" }),
            "a rejected first answer is a message but not a connection; the first good one connects, then counts");
    }

    private sealed class EventOrderSink : ILiveFeedSink
    {
        private readonly Lock _gate = new();
        private readonly List<string> _events = [];

        public CancellationTokenSource Stop { get; } = new();

        public IReadOnlyList<string> Events
        {
            get
            {
                lock (_gate)
                {
                    return [.. _events];
                }
            }
        }

        public void MessageReceived() => Add("message");

        public void Connected(string detail) => Add("connected");

        public void FrameRejected(string reason) => Add("rejected");

        public ValueTask PublishAsync(MarketSignal signal, CancellationToken cancellationToken)
        {
            Add("signal");
            return ValueTask.CompletedTask;
        }

        private void Add(string what)
        {
            lock (_gate)
            {
                _events.Add(what);
            }
        }
    }

    [Test]
    public async Task APostIsPublishedOnceAcrossPollsAndAcrossConnections()
    {
        _harness = await RedditListenerHarness.StartAsync();
        Server.AddPost("Bitcoin", "first post");
        Server.AddPost("Bitcoin", "second post");

        _harness.Run();
        await Sink.WaitForSignalsAsync(2);
        var polls = Server.ListingRequests.Count;
        // The loop asks again only after handling the previous answer: two more requests = at least one more answer handled.
        await Server.WaitForRequestsAsync(polls + 2, FakeRedditRequestKind.Listing);
        Assert.That(Sink.Signals, Has.Count.EqualTo(2), "the same listing again publishes nothing");

        var third = Server.AddPost("CryptoCurrency", "third post");
        await Sink.WaitForSignalsAsync(3);
        Assert.That(((SentimentSample)Sink.Signals[2]).Text, Is.EqualTo(third.Title));

        // A new connection of the same (singleton) listener, as LiveSource makes after a reconnect.
        await _harness.StopRunAsync();
        var firstRun = Sink;
        var secondRun = new RecordingFeedSink();
        _harness.Run(secondRun);
        await secondRun.WaitForConnectedAsync();
        await Server.WaitForRequestsAsync(Server.ListingRequests.Count + 2, FakeRedditRequestKind.Listing);
        Assert.That(secondRun.Signals, Is.Empty, "posts seen by the previous connection are not replayed");

        var fourth = Server.AddPost("wallstreetbets", "fourth post");
        await secondRun.WaitForSignalsAsync(1);
        Assert.Multiple(() =>
        {
            Assert.That(((SentimentSample)secondRun.Signals[0]).Text, Is.EqualTo(fourth.Title));
            Assert.That(secondRun.Signals[0].Timestamp, Is.GreaterThan(firstRun.Signals[^1].Timestamp));
        });
    }

    [Test]
    public async Task PostsOlderThanTheMaximumAgeAreNotReplayed()
    {
        _harness = await RedditListenerHarness.StartAsync(settings: new Dictionary<string, string?> { ["Ingest:Reddit:MaxPostAgeSeconds"] = "3600" });
        Server.AddPost("Bitcoin", "yesterday's news", created: DateTimeOffset.UtcNow.AddHours(-2));
        Server.AddPost("Bitcoin", "61 minutes ago", created: DateTimeOffset.UtcNow.AddMinutes(-61));
        var fresh = Server.AddPost("Bitcoin", "ten minutes ago", created: DateTimeOffset.UtcNow.AddMinutes(-10));

        _harness.Run();
        await Sink.WaitForSignalsAsync(1);
        await Server.WaitForRequestsAsync(Server.ListingRequests.Count + 2, FakeRedditRequestKind.Listing);

        Assert.Multiple(() =>
        {
            Assert.That(Sink.Signals.Cast<SentimentSample>().Select(s => s.Text), Is.EqualTo(new[] { fresh.Title }));
            Assert.That(Sink.Rejections, Is.Empty, "an old post is skipped, not a bad one");
        });
    }

    [Test]
    public async Task ConfiguredSubredditsAndUserAgentAreWhatIsAskedFor()
    {
        _harness = await RedditListenerHarness.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Ingest:Reddit:Subreddits:0"] = "ethereum",
            ["Ingest:Reddit:Subreddits:1"] = "solana",
            ["Ingest:Reddit:UserAgent"] = "linux:com.example.risk:2.0 (by /u/ops_person)",
            ["Ingest:Reddit:PostsPerRequest"] = "100",
        });
        Server.AddPost("Bitcoin", "not asked for");
        var eth = Server.AddPost("Ethereum", "gas fees are low today");

        _harness.Run();
        await Sink.WaitForSignalsAsync(1);
        await Server.WaitForRequestsAsync(Server.ListingRequests.Count + 1, FakeRedditRequestKind.Listing);

        var request = Server.ListingRequests[0];
        Assert.Multiple(() =>
        {
            Assert.That(request.Path, Is.EqualTo("/r/ethereum+solana/new.json"));
            Assert.That(request.Query, Is.EqualTo("?limit=100&raw_json=1"));
            Assert.That(request.UserAgent, Is.EqualTo("linux:com.example.risk:2.0 (by /u/ops_person)"));
            Assert.That(Sink.Signals.Cast<SentimentSample>().Select(s => (s.SourceId, s.Text)), Is.EqualTo(new[] { ("r/ethereum", eth.Title) }),
                "the source id uses the configured name; Reddit's own casing of it still matches");
        });
    }

    [Test]
    public async Task TheExcerptIsTheTitleBoundedAndUnicodeSurvivesTheEscapes()
    {
        _harness = await RedditListenerHarness.StartAsync();
        var longTitle = string.Concat(Enumerable.Repeat("Bitcoin rally keeps going ", 20));
        Server.AddPost("Bitcoin", "  To the moon 🚀🚀 \"WAGMI\" & café  ", "body text");
        Server.AddPost("Bitcoin", longTitle);

        _harness.Run();
        await Sink.WaitForSignalsAsync(2);

        var texts = Sink.Signals.Cast<SentimentSample>().Select(s => s.Text).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(texts, Does.Contain("To the moon 🚀🚀 \"WAGMI\" & café"), "trimmed, unescaped");
            var cut = texts.Single(t => t.StartsWith("Bitcoin rally", StringComparison.Ordinal));
            Assert.That(cut, Has.Length.LessThanOrEqualTo(200));
            Assert.That(cut, Does.EndWith("…"));
        });
    }

    [Test]
    public async Task EachSignalIsStampedAfterThePreviousOneEvenWhenTheClockStandsStill()
    {
        var time = new TimerWatchingFakeTime(Start);
        _harness = await RedditListenerHarness.StartAsync(time: time, settings: new Dictionary<string, string?> { ["Ingest:Reddit:PollIntervalSeconds"] = "5" });
        Server.AddPost("Bitcoin", "one", created: Start.AddMinutes(-3));
        Server.AddPost("Bitcoin", "two", created: Start.AddMinutes(-2));
        Server.AddPost("CryptoCurrency", "three", created: Start.AddMinutes(-1));

        _harness.Run();
        await Sink.WaitForSignalsAsync(3);
        foreach (var title in new[] { "four", "five" })
        {
            // The post goes up while the loop waits, so the poll that the clock releases is the one that sees it.
            await time.WaitForTimerAsync(TimeSpan.FromSeconds(5));
            Server.AddPost("Bitcoin", title, created: Start);
            time.Advance(TimeSpan.FromSeconds(5));
        }

        await Sink.WaitForSignalsAsync(5);

        Assert.That(Sink.Signals.Select(s => s.Timestamp), Is.EqualTo(new[]
        {
            Start, Start.AddMilliseconds(1), Start.AddMilliseconds(2),
            Start.AddSeconds(5),
            Start.AddSeconds(10),
        }));
    }

    [Test]
    public async Task WithCredentialsATokenIsFetchedOnceAndTheOAuthListingIsAskedWithIt()
    {
        _harness = await RedditListenerHarness.StartAsync(oauth: true);
        var post = Server.AddPost("Bitcoin", "bullish on bitcoin");

        _harness.Run();
        await Sink.WaitForSignalsAsync(1);
        await Server.WaitForRequestsAsync(3, FakeRedditRequestKind.Listing);

        var token = Server.TokenRequests.Single();
        var listing = Server.ListingRequests[0];
        Assert.Multiple(() =>
        {
            Assert.That(token.Method, Is.EqualTo("POST"));
            Assert.That(token.Path, Is.EqualTo("/api/v1/access_token"));
            Assert.That(token.GrantType, Is.EqualTo("client_credentials"));
            Assert.That(token.Authorization, Is.EqualTo("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("fake-client-id:fake-client-secret"))));
            Assert.That(token.UserAgent, Is.EqualTo("dotnet:riskconsole:0.1.0 (by /u/riskconsole)"));
            Assert.That(listing.Path, Is.EqualTo("/r/CryptoCurrency+Bitcoin+wallstreetbets/new"), "the OAuth API has no .json suffix");
            Assert.That(listing.Query, Is.EqualTo("?limit=25&raw_json=1"));
            Assert.That(Server.ListingRequests.Select(r => r.Authorization), Is.All.EqualTo("bearer fake-token-1"));
            Assert.That(Sink.ConnectedDetails, Is.EqualTo(new[]
            {
                $"OAuth listings {Server.BaseUrl}/r/CryptoCurrency+Bitcoin+wallstreetbets/new every 0.05 s (app-only token, 100 requests/min)",
            }));
            Assert.That(((SentimentSample)Sink.Signals[0]).Text, Is.EqualTo(post.Title));
            Assert.That(_harness.Listener.Endpoint, Is.EqualTo(Server.BaseUrl));
        });

        // The token is cached in the listener, so a reconnect does not ask for another.
        await _harness.StopRunAsync();
        var second = new RecordingFeedSink();
        _harness.Run(second);
        await second.WaitForConnectedAsync();
        Assert.That(Server.TokenRequests, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task TheTokenIsReplacedBeforeItExpires()
    {
        var time = new TimerWatchingFakeTime(Start);
        _harness = await RedditListenerHarness.StartAsync(oauth: true, time: time, settings: new Dictionary<string, string?>
        {
            ["Ingest:Reddit:PollIntervalSeconds"] = "30",
            ["Ingest:Reddit:TokenRefreshMarginSeconds"] = "60",
        });
        Server.TokenLifetimeSeconds = 3600;
        var poll = TimeSpan.FromSeconds(30);

        _harness.Run();
        await Sink.WaitForConnectedAsync();
        // 3,510 s on: the token (fetched at 0, 3,600 s of life, replaced 60 s early) is still good for this poll.
        await time.WaitForTimerAsync(poll);
        time.Advance(TimeSpan.FromSeconds(3510));
        await time.WaitForTimerAsync(poll);
        Assert.That(Server.TokenRequests, Has.Count.EqualTo(1));

        // 3,540 s: within the margin, so the next poll fetches a new token first.
        time.Advance(poll);
        await time.WaitForTimerAsync(poll);

        var listings = Server.ListingRequests;
        Assert.Multiple(() =>
        {
            Assert.That(Server.TokenRequests.Select(r => r.At), Is.EqualTo(new[] { Start, Start.AddSeconds(3540) }));
            Assert.That(listings.Select(r => (r.At, r.Authorization)), Is.EqualTo(new[]
            {
                (Start, "bearer fake-token-1"),
                (Start.AddSeconds(3510), "bearer fake-token-1"),
                (Start.AddSeconds(3540), "bearer fake-token-2"),
            }), "no listing is ever sent with a token past its refresh time");
        });
    }

    [Test]
    public async Task ARevokedTokenIsReplacedOnceAndPollingGoesOn()
    {
        _harness = await RedditListenerHarness.StartAsync(oauth: true);
        Server.AddPost("Bitcoin", "before the revocation");

        _harness.Run();
        await Sink.WaitForSignalsAsync(1);
        Server.RevokeTokens();
        Server.AddPost("Bitcoin", "after the revocation");
        await Sink.WaitForSignalsAsync(2);

        Assert.Multiple(() =>
        {
            Assert.That(Server.IssuedTokens, Is.EqualTo(new[] { "fake-token-1", "fake-token-2" }));
            Assert.That(_harness.Running.IsCompleted, Is.False, "the connection stays up");
            Assert.That(Sink.ConnectedDetails, Has.Count.EqualTo(1));
        });
    }
}
