using System.Net;
using System.Net.Http;
using RiskConsole.Core.Signals;
using RiskConsole.Ingest.Binance;
using RiskConsole.Ingest.Live;
using static RiskConsole.Tests.Ingest.IngestTestClock;

namespace RiskConsole.Tests.Ingest.Binance;

/// <summary>
/// A stream handshake refused with 451 or 403 turns the call into REST polling (live data all the same), which honours
/// 429's Retry-After, backs off hard on 418, and ends after a while so the stream is tried again.
/// </summary>
public sealed class BinanceFeedRestFallbackTests
{
    private const string Refused451 = "stream refused: HTTP 451 Unavailable For Legal Reasons";
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    private FakeBinanceServer _server = null!;
    private BinanceFeedHarness _feed = null!;

    [SetUp]
    public async Task StartServer() => _server = await FakeBinanceServer.StartAsync();

    [TearDown]
    public async Task StopAll()
    {
        if (_feed is not null)
        {
            await _feed.DisposeAsync();
        }

        await _server.DisposeAsync();
    }

    private void StartRefused(int status = 451, params (string Key, string Value)[] settings)
    {
        _server.RefuseStreams(status, "{\"code\":0,\"msg\":\"Service unavailable from a restricted location.\"}");
        _feed = BinanceFeedHarness.Create(_server, settings);
        _feed.Start();
    }

    private static PriceTick[] Ticks(DateTimeOffset at, double btc = 84231.57) =>
        [new("BTCUSDT", btc, at), new("ETHUSDT", 3120.45, at), new("SOLUSDT", 141.23, at)];

    [TestCase(451, "HTTP 451 Unavailable For Legal Reasons")]
    [TestCase(403, "HTTP 403 Forbidden")]
    public async Task ARefusedHandshakeTurnsTheCallIntoPollingThePriceOfEverySymbolAsLiveData(int status, string statusText)
    {
        StartRefused(status);

        var connected = await _feed.Sink.WaitForConnectedAsync();
        var first = await _feed.Sink.WaitForSignalsAsync(3);
        _server.SetPrice("BTCUSDT", "84300.00000000");
        await _feed.Time.AdvanceWhenWaitingAsync(PollInterval);
        var second = await _feed.Sink.WaitForSignalsAsync(6);

        Assert.Multiple(() =>
        {
            Assert.That(connected, Is.EqualTo(new[] { $"REST polling {_server.RestUrl}/api/v3/ticker/price every 2 s (stream refused: {statusText})" }));
            Assert.That(_server.RestQueries[0], Is.EqualTo("""?symbols=["BTCUSDT","ETHUSDT","SOLUSDT"]"""));
            Assert.That(first, Is.EqualTo(Ticks(Start)), "stamped with the time of the answer");
            Assert.That(second.Skip(3), Is.EqualTo(Ticks(Start + PollInterval, btc: 84300)));
            Assert.That(second.Select(s => s.IsMock), Is.All.False);
            Assert.That(_feed.Sink.Messages, Is.EqualTo(2), "each answer is a message");
            Assert.That(_server.Connections, Is.Empty);
            Assert.That(_feed.Logs.GetSnapshot().Select(r => r.Message), Has.One.StartsWith($"Binance stream refused with HTTP {status}: polling"));
        });
    }

    [Test]
    public async Task PollingEndsAfterTheStreamRetryTimeSoTheNextCallTriesTheStreamAgain()
    {
        StartRefused(settings: ("Ingest:Binance:StreamRetryAfterSeconds", "3"));
        await _feed.Sink.WaitForSignalsAsync(3);

        await _feed.Time.AdvanceWhenWaitingAsync(PollInterval);
        await _feed.Sink.WaitForSignalsAsync(6);
        await _feed.Time.AdvanceWhenWaitingAsync(TimeSpan.FromSeconds(1));
        await _feed.CompletionAsync();

        _server.AcceptStreams();
        _feed.Start();
        var connection = await _server.WaitForConnectionAsync(1);
        var connected = await _feed.Sink.WaitForConnectedAsync(2);

        Assert.Multiple(() =>
        {
            Assert.That(_server.RestQueries, Has.Count.EqualTo(2));
            Assert.That(connected[1], Does.StartWith("stream "));
            Assert.That(connection.IsOpen, Is.True);
        });
    }

    [Test]
    public async Task A429IsWaitedOutInsideTheConnectionForAsLongAsRetryAfterSays()
    {
        _server.EnqueueRestAnswer(429, BinanceFrames.RestError(-1003, "Too much request weight used."), ("Retry-After", "7"));
        StartRefused();

        await _feed.Time.WaitForTimersAsync(TimeSpan.FromSeconds(7));
        var whileWaiting = (_server.RestQueries.Count, _feed.Sink.ConnectedDetails.Count, _feed.Sink.Signals.Count);
        _feed.Time.Advance(TimeSpan.FromSeconds(7));
        var signals = await _feed.Sink.WaitForSignalsAsync(3);

        Assert.Multiple(() =>
        {
            Assert.That(whileWaiting, Is.EqualTo((1, 0, 0)), "no request, no data until Retry-After has passed");
            Assert.That(signals, Is.EqualTo(Ticks(Start + TimeSpan.FromSeconds(7))));
            Assert.That(_feed.Running.IsCompleted, Is.False);
            Assert.That(_feed.Logs.GetSnapshot().Select(r => r.Message), Has.One.EqualTo("Binance REST answered 429 (rate limited): waiting 7 s before the next poll"));
        });
    }

    [Test]
    public async Task A429WithoutRetryAfterWaitsTheConfiguredTime()
    {
        StartRefused(settings: ("Ingest:Binance:RateLimitedWaitSeconds", "4"));
        await _feed.Sink.WaitForSignalsAsync(3);

        _server.EnqueueRestAnswer(429, "");
        await _feed.Time.AdvanceWhenWaitingAsync(PollInterval);
        await _feed.Time.AdvanceWhenWaitingAsync(TimeSpan.FromSeconds(4));
        var signals = await _feed.Sink.WaitForSignalsAsync(6);

        Assert.Multiple(() =>
        {
            Assert.That(signals.Skip(3), Is.EqualTo(Ticks(Start + TimeSpan.FromSeconds(6))));
            Assert.That(_feed.Sink.ConnectedDetails, Has.Count.EqualTo(1), "still the same connection");
        });
    }

    [Test]
    public async Task A429LongerThanTheConnectionCanWaitEndsItSoTheNextAttemptWaitsThatLong()
    {
        _server.EnqueueRestAnswer(429, BinanceFrames.RestError(-1003, "Too much request weight used."), ("Retry-After", "120"));
        StartRefused();

        var failure = await _feed.FailureAsync();

        Assert.Multiple(() =>
        {
            Assert.That(failure, Is.TypeOf<UpstreamThrottledException>());
            Assert.That(((UpstreamThrottledException)failure).RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(120)));
            Assert.That(failure.Message, Is.EqualTo($"{Refused451}; REST fallback: HTTP 429 rate limited by 127.0.0.1, retry after 2 min"));
        });
    }

    [TestCase("7200", 7200, "2 h")]
    [TestCase(null, 900, "15 min")]
    public async Task A418IpBanEndsTheConnectionWithALongStayAway(string? retryAfter, int seconds, string said)
    {
        _server.EnqueueRestAnswer(418, BinanceFrames.RestError(-1003, "Way too much request weight used; IP banned."), retryAfter is null ? [] : [("Retry-After", retryAfter)]);
        StartRefused();

        var failure = await _feed.FailureAsync();

        Assert.Multiple(() =>
        {
            Assert.That(failure, Is.TypeOf<UpstreamThrottledException>());
            Assert.That(((UpstreamThrottledException)failure).RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(seconds)));
            Assert.That(failure.Message, Is.EqualTo($"{Refused451}; REST fallback: HTTP 418, 127.0.0.1 has banned this IP address for exceeding its rate limits; retry after {said}"));
            Assert.That(_server.RestQueries, Has.Count.EqualTo(1), "no retry of a 418");
        });
    }

    [Test]
    public async Task AnErrorAnswerEndsTheConnectionWithBinancesOwnExplanation()
    {
        _server.EnqueueRestAnswer(400, BinanceFrames.RestError(-1121, "Invalid symbol."));
        StartRefused();

        var failure = await _feed.FailureAsync();

        Assert.Multiple(() =>
        {
            Assert.That(failure, Is.TypeOf<HttpRequestException>());
            Assert.That(((HttpRequestException)failure).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(failure.Message, Is.EqualTo($"{Refused451}; REST fallback answered HTTP 400 Bad Request: Invalid symbol."));
        });
    }

    [Test]
    public async Task AnUnusableAnswerIsRejectedAndPollingGoesOn()
    {
        _server.EnqueueRestAnswer(200, "<html><body>maintenance</body></html>");
        StartRefused();

        await _feed.Sink.WaitForRejectionsAsync(1);
        _server.EnqueueRestAnswer(200, """[{"symbol":"BTCUSDT","price":"NaN"},{"symbol":"ETHUSDT","price":"3120.45000000"}]""");
        await _feed.Time.AdvanceWhenWaitingAsync(PollInterval);
        await _feed.Sink.WaitForSignalsAsync(1);
        await _feed.Time.AdvanceWhenWaitingAsync(PollInterval, count: 2);
        var signals = await _feed.Sink.WaitForSignalsAsync(4);

        Assert.Multiple(() =>
        {
            Assert.That(_feed.Sink.Rejections, Is.EqualTo(new[] { BinanceRejections.InvalidJson, BinanceRejections.PriceNotFinite }));
            Assert.That(signals[0], Is.EqualTo(new PriceTick("ETHUSDT", 3120.45, Start + PollInterval)));
            Assert.That(signals.Skip(1), Is.EqualTo(Ticks(Start + (2 * PollInterval))));
            Assert.That(_feed.Sink.ConnectedDetails, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task AnAnswerOfSeveralMegabytesIsRejectedAndPollingGoesOn()
    {
        _server.EnqueueRestAnswer(200, "[" + new string(' ', 3 * 1024 * 1024) + "]");
        StartRefused();

        await _feed.Sink.WaitForRejectionsAsync(1);
        await _feed.Time.AdvanceWhenWaitingAsync(PollInterval);
        await _feed.Sink.WaitForSignalsAsync(3);

        Assert.That(_feed.Sink.Rejections, Is.EqualTo(new[] { "message larger than 65536 bytes" }));
    }

    [Test]
    public async Task ARestServerThatNeverAnswersTimesOutWithAPlainMessage()
    {
        _server.GoSilent();
        StartRefused();

        // The first 5 s timer was the handshake's; the second is the poll's.
        await _feed.Time.AdvanceWhenWaitingAsync(BinanceFeedHarness.ConnectTimeout, count: 2);
        var failure = await _feed.FailureAsync();

        Assert.Multiple(() =>
        {
            Assert.That(failure, Is.TypeOf<TimeoutException>());
            Assert.That(failure.Message, Is.EqualTo($"{Refused451}; REST fallback: no answer from 127.0.0.1:{_server.Port} within 5 s (Ingest:ConnectTimeoutSeconds)"));
        });
    }

    [Test]
    public async Task AServerErrorIsRetriedByTheHttpHandlerAfterItsRetryAfterWithoutEndingTheConnection()
    {
        _server.EnqueueRestAnswer(503, "", ("Retry-After", "1"));
        StartRefused();

        await _server.WaitForRestRequestsAsync(1);
        await _feed.Time.AdvanceWhenWaitingAsync(TimeSpan.FromSeconds(1));
        var signals = await _feed.Sink.WaitForSignalsAsync(3);

        Assert.Multiple(() =>
        {
            Assert.That(signals, Is.EqualTo(Ticks(Start + TimeSpan.FromSeconds(1))));
            Assert.That(_server.RestQueries, Has.Count.EqualTo(2));
            Assert.That(_feed.Sink.Rejections, Is.Empty);
            Assert.That(_feed.Sink.Messages, Is.EqualTo(1), "the handler's retry is one answer to the feed");
        });
    }

    [Test]
    public async Task AServerErrorThatLastsEndsTheConnectionAfterTwoRetries()
    {
        for (var i = 0; i < 3; i++)
        {
            _server.EnqueueRestAnswer(500, BinanceFrames.RestError(-1000, "An unknown error occurred while processing the request."), ("Retry-After", "1"));
        }

        StartRefused();
        await _feed.Time.AdvanceWhenWaitingAsync(TimeSpan.FromSeconds(1));
        await _feed.Time.AdvanceWhenWaitingAsync(TimeSpan.FromSeconds(1), count: 2);
        var failure = await _feed.FailureAsync();

        Assert.Multiple(() =>
        {
            Assert.That(failure.Message, Is.EqualTo($"{Refused451}; REST fallback answered HTTP 500 Internal Server Error: An unknown error occurred while processing the request."));
            Assert.That(_server.RestQueries, Has.Count.EqualTo(3));
        });
    }

    [Test]
    public async Task ARestServerThatIsNotThereEndsTheConnectionSayingSo()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        _server.RefuseStreams(451);
        _feed = BinanceFeedHarness.Create(_server.StreamUrl, $"http://127.0.0.1:{port}");
        _feed.Start();

        // Timers 0 and 1 are the handshake's and the poll's timeouts; 2 and 3 the handler's two jittered retry delays.
        _feed.Time.Advance(await _feed.Time.WaitForTimerAsync(2));
        _feed.Time.Advance(await _feed.Time.WaitForTimerAsync(3));
        var failure = await _feed.FailureAsync();

        Assert.That(failure.Message, Is.EqualTo($"{Refused451}; REST fallback: connection refused by 127.0.0.1:{port} (nothing listens there)"));
    }
}
