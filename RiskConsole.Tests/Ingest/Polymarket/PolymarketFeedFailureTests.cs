using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using Microsoft.Extensions.Time.Testing;
using RiskConsole.Ingest.Live;
using static RiskConsole.Tests.Ingest.Polymarket.PolymarketFrames;

namespace RiskConsole.Tests.Ingest.Polymarket;

/// <summary>
/// How a connection of the real listener fails, and that each failure says in plain words what failed (the message is
/// the source's last error and what <c>probe polymarket</c> prints): Gamma or the stream refusing, throttling, hanging,
/// unreachable, closing or dying.
/// </summary>
public sealed class PolymarketFeedFailureTests
{
    private FakePolymarketServer _server = null!;
    private PolymarketFeedRun? _run;

    [SetUp]
    public async Task StartServer() => _server = await FakePolymarketServer.StartAsync();

    [TearDown]
    public async Task StopAll()
    {
        if (_run is not null)
        {
            await _run.DisposeAsync();
        }

        await _server.DisposeAsync();
    }

    [Test]
    public async Task GammaThrottlingAtStartEndsTheConnectionWithTheWaitItAskedFor()
    {
        _server.EnqueueGammaAnswer(GammaAnswer.Status(429, """{"error":"rate limited"}""", ("Retry-After", "30")));
        _run = PolymarketFeedRun.Start(_server);

        var failure = await _run.FailureAsync();

        Assert.Multiple(() =>
        {
            Assert.That(failure, Is.TypeOf<UpstreamThrottledException>());
            Assert.That(failure.Message, Is.EqualTo("Gamma: 429 rate limited, retry after 30 s"));
            Assert.That(((UpstreamThrottledException)failure).RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(30)));
            Assert.That(_server.GammaRequests, Has.Count.EqualTo(1), "a 429 is not retried inside the call");
            Assert.That(_server.Handshakes, Is.Zero);
        });
    }

    [Test]
    public async Task ARetryAfterGivenAsADateIsMeasuredOnTheInjectedClock()
    {
        var time = new FakeTimeProvider(IngestTestClock.Start);
        var date = (IngestTestClock.Start + TimeSpan.FromSeconds(90)).ToString("r", System.Globalization.CultureInfo.InvariantCulture);
        _server.EnqueueGammaAnswer(GammaAnswer.Status(429, null, ("Retry-After", date)));
        _run = PolymarketFeedRun.Start(_server, time);

        var failure = await _run.FailureAsync();

        Assert.That(((UpstreamThrottledException)failure).RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(90)));
    }

    [Test]
    public async Task A503AskingForALongPauseIsAThrottleNotARetry()
    {
        _server.EnqueueGammaAnswer(GammaAnswer.Status(503, null, ("Retry-After", "120")));
        _run = PolymarketFeedRun.Start(_server);

        var failure = await _run.FailureAsync();

        Assert.Multiple(() =>
        {
            Assert.That(failure.Message, Is.EqualTo("Gamma: 503 unavailable, retry after 120 s"));
            Assert.That(((UpstreamThrottledException)failure).RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(120)));
            Assert.That(_server.GammaRequests, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task AShortRetryAfterOnA503IsWaitedOutInsideTheCall()
    {
        _server.EnqueueGammaAnswer(GammaAnswer.Status(503, null, ("Retry-After", "1")));
        _run = PolymarketFeedRun.Start(_server);

        await _run.Sink.WaitForConnectedAsync();
        var requests = _server.GammaRequests;

        Assert.Multiple(() =>
        {
            Assert.That(requests, Has.Count.EqualTo(2));
            Assert.That(requests[1].At - requests[0].At, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(0.9)), "the retry waited for Retry-After");
        });
    }

    [TestCase(500, 2, "Gamma refused the market list: HTTP 500 Internal Server Error", TestName = "A 500 is retried once, then fails the connection")]
    [TestCase(404, 1, "Gamma refused the market list: HTTP 404 Not Found", TestName = "A 404 fails the connection at once")]
    public async Task GammaAnsweringAnErrorAtStartFailsTheConnectionInPlainWords(int status, int requests, string message)
    {
        _server.EnqueueGammaAnswer(GammaAnswer.Status(status));
        _server.EnqueueGammaAnswer(GammaAnswer.Status(status));
        _run = PolymarketFeedRun.Start(_server);

        var failure = await _run.FailureAsync();

        Assert.Multiple(() =>
        {
            Assert.That(failure, Is.TypeOf<HttpRequestException>());
            Assert.That(failure.Message, Is.EqualTo(message));
            Assert.That(((HttpRequestException)failure).StatusCode, Is.EqualTo((HttpStatusCode)status));
            Assert.That(_server.GammaRequests, Has.Count.EqualTo(requests));
            Assert.That(_server.Handshakes, Is.Zero);
        });
    }

    [TestCase("this is not json", "Gamma's market list is not valid JSON")]
    [TestCase("""{"error":"maintenance"}""", "Gamma's market list is not a JSON array of markets (it starts with an object).")]
    [TestCase("[]", "Gamma listed 0 markets but no open binary Yes/No market with CLOB token ids")]
    [TestCase("""[{"id":"1","question":"Who wins?","conditionId":"0x1","outcomes":"[\"A\",\"B\",\"C\"]","clobTokenIds":"[\"1\",\"2\",\"3\"]"}]""",
        "Gamma listed 1 markets but no open binary Yes/No market with CLOB token ids; first skipped: market 1 is not binary (3 outcomes)")]
    public async Task AGammaAnswerWithNothingToFollowFailsTheConnectionInPlainWords(string body, string message)
    {
        _server.MarketsJson = body;
        _run = PolymarketFeedRun.Start(_server);

        var failure = await _run.FailureAsync();

        Assert.Multiple(() =>
        {
            Assert.That(failure, Is.TypeOf<InvalidDataException>());
            Assert.That(failure.Message, Does.StartWith(message));
            Assert.That(_server.Handshakes, Is.Zero);
        });
    }

    [Test]
    public async Task AGammaAnswerOverTheSizeCapFailsTheConnection()
    {
        _server.MarketsJson = GammaList([.. Enumerable.Range(1, 400).Select(n => NumberedMarket(n, n))]);
        _run = PolymarketFeedRun.Start(_server, settings: new Dictionary<string, string?> { ["Ingest:Polymarket:GammaMaxResponseBytes"] = "65536" });

        var failure = await _run.FailureAsync();

        Assert.That(failure.Message, Is.EqualTo("Gamma's market list is larger than 65536 bytes (Ingest:Polymarket:GammaMaxResponseBytes)."));
    }

    [Test]
    public async Task AGammaThatNeverAnswersRunsOutTheConnectTimeout()
    {
        var time = new FakeTimeProvider(IngestTestClock.Start);
        _server.EnqueueGammaAnswer(GammaAnswer.Hang());
        _run = PolymarketFeedRun.Start(_server, time);

        await _server.WaitForGammaRequestsAsync(1);
        time.Advance(TimeSpan.FromSeconds(PolymarketFeedRun.ConnectTimeoutSeconds));
        var failure = await _run.FailureAsync();

        Assert.Multiple(() =>
        {
            Assert.That(failure, Is.TypeOf<TimeoutException>());
            Assert.That(failure.Message, Is.EqualTo($"Gamma did not answer GET {_server.GammaUrl}/markets within 5 s (Ingest:ConnectTimeoutSeconds)"));
        });
    }

    [Test]
    public async Task AServerThatTakesTheConnectionButNeverCompletesTheHandshakeRunsOutTheConnectTimeout()
    {
        var time = new FakeTimeProvider(IngestTestClock.Start);
        _server.HangStreamHandshake();
        _run = PolymarketFeedRun.Start(_server, time);

        await _server.WaitForHandshakesAsync(1);
        time.Advance(TimeSpan.FromSeconds(PolymarketFeedRun.ConnectTimeoutSeconds));
        var failure = await _run.FailureAsync();

        Assert.Multiple(() =>
        {
            Assert.That(failure, Is.TypeOf<TimeoutException>());
            Assert.That(failure.Message, Is.EqualTo($"CLOB stream: the WebSocket handshake with 127.0.0.1:{_server.Port} did not complete within 5 s (Ingest:ConnectTimeoutSeconds)"));
        });
    }

    [Test]
    public async Task AStreamRefusedWithAStatusSaysWhichStatus()
    {
        _server.RefuseStream(451);
        _run = PolymarketFeedRun.Start(_server);

        var failure = await _run.FailureAsync();

        Assert.Multiple(() =>
        {
            Assert.That(failure, Is.TypeOf<HttpRequestException>());
            Assert.That(failure.Message, Is.EqualTo("CLOB stream refused: HTTP 451"));
            Assert.That(((HttpRequestException)failure).StatusCode, Is.EqualTo(HttpStatusCode.UnavailableForLegalReasons));
        });
    }

    [Test]
    public async Task AStreamThrottledAtTheHandshakeEndsTheConnectionWithTheWaitItAskedFor()
    {
        _server.RefuseStream(429, ("Retry-After", "45"));
        _run = PolymarketFeedRun.Start(_server);

        var failure = await _run.FailureAsync();

        Assert.Multiple(() =>
        {
            Assert.That(failure, Is.TypeOf<UpstreamThrottledException>());
            Assert.That(failure.Message, Is.EqualTo("CLOB stream: 429 rate limited, retry after 45 s"));
            Assert.That(((UpstreamThrottledException)failure).RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(45)));
        });
    }

    [Test]
    public async Task NobodyListeningOnTheStreamPortIsAConnectionRefused()
    {
        var port = ClosedPort();
        _run = PolymarketFeedRun.Start(_server, settings: new Dictionary<string, string?> { ["Ingest:Polymarket:ClobWebSocketUrl"] = $"ws://127.0.0.1:{port}/ws/market" });

        var failure = await _run.FailureAsync();

        Assert.That(failure.Message, Is.EqualTo($"CLOB stream: connection refused by 127.0.0.1:{port}"));
    }

    [Test]
    public async Task NobodyListeningOnTheGammaPortIsAConnectionRefused()
    {
        var port = ClosedPort();
        _run = PolymarketFeedRun.Start(_server, settings: new Dictionary<string, string?> { ["Ingest:Polymarket:GammaUrl"] = $"http://127.0.0.1:{port}" });

        var failure = await _run.FailureAsync();

        Assert.Multiple(() =>
        {
            Assert.That(failure, Is.TypeOf<HttpRequestException>());
            Assert.That(failure.Message, Is.EqualTo($"Gamma: connection refused by 127.0.0.1:{port}"));
        });
    }

    [Test]
    public async Task AServerThatDoesNotSpeakTlsFailsTheTlsHandshakeInPlainWords()
    {
        _run = PolymarketFeedRun.Start(_server, settings: new Dictionary<string, string?> { ["Ingest:Polymarket:ClobWebSocketUrl"] = $"wss://127.0.0.1:{_server.Port}/ws/market" });

        var failure = await _run.FailureAsync();

        Assert.That(failure.Message, Does.StartWith("CLOB stream: TLS handshake with 127.0.0.1 failed"));
    }

    [Test]
    public async Task AServerCloseEndsTheConnectionWithItsCodeAndWords()
    {
        _run = PolymarketFeedRun.Start(_server);
        var connection = await _server.ConnectionAsync(0);

        await connection.CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "restarting");
        var failure = await _run.FailureAsync();

        Assert.Multiple(() =>
        {
            Assert.That(failure, Is.TypeOf<IOException>());
            Assert.That(failure.Message, Is.EqualTo("CLOB stream closed by the server: 1001 going away (restarting)"));
        });
    }

    [Test]
    public async Task AServerThatDropsTheConnectionEndsItInPlainWords()
    {
        _run = PolymarketFeedRun.Start(_server);
        var connection = await _server.ConnectionAsync(0);

        connection.Die();
        var failure = await _run.FailureAsync();

        Assert.That(failure.Message, Is.EqualTo("CLOB stream lost: the server dropped the connection without a close frame"));
    }

    [Test]
    public async Task ASocketThatAcceptsAndNeverSendsStaysQuietUntilTheSilenceTimeoutCancelsIt()
    {
        // The silence timeout itself is LiveSource's; the listener's part is to count nothing and end when cancelled.
        var time = new FakeTimeProvider(IngestTestClock.Start);
        _server.AnswerPings = false;
        _run = PolymarketFeedRun.Start(_server, time, new Dictionary<string, string?> { ["Ingest:Polymarket:SilenceTimeoutSeconds"] = "25" });
        var connection = await _server.ConnectionAsync(0);

        time.Advance(TimeSpan.FromSeconds(20));
        await connection.WaitForPingsAsync(1);

        Assert.Multiple(() =>
        {
            Assert.That(_run.Feed.SilenceTimeout, Is.EqualTo(TimeSpan.FromSeconds(25)));
            Assert.That(_run.Sink.Messages, Is.Zero);
            Assert.That(_run.Run.IsCompleted, Is.False, "silence alone does not end the connection");
        });
        await _run.StopAsync();
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
