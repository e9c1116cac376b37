using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using RiskConsole.Ingest.Live;

namespace RiskConsole.Tests.Ingest.Binance;

/// <summary>
/// Every way opening the stream can fail ends the call with a message a user can act on — the text LiveSource shows as
/// the source's last error and <c>probe binance</c> prints.
/// </summary>
public sealed class BinanceFeedConnectFailureTests
{
    private FakeBinanceServer _server = null!;
    private BinanceFeedHarness? _feed;

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

    private async Task<Exception> FailureAsync(string streamUrl)
    {
        _feed = BinanceFeedHarness.Create(streamUrl, _server.RestUrl);
        _feed.Start();
        return await _feed.FailureAsync();
    }

    [Test]
    public async Task AServerThatAcceptsTcpButNeverAnswersTheHandshakeTimesOutAfterTheConnectTimeout()
    {
        using var raw = RawWebSocketServer.Start();
        _feed = BinanceFeedHarness.Create(raw.Url, _server.RestUrl);
        _feed.Start();

        using var connection = await raw.AcceptAsync(answerHandshake: false);
        await _feed.Time.AdvanceWhenWaitingAsync(BinanceFeedHarness.ConnectTimeout);
        var failure = await _feed.FailureAsync();

        Assert.Multiple(() =>
        {
            Assert.That(failure, Is.TypeOf<TimeoutException>());
            Assert.That(failure.Message, Is.EqualTo($"no WebSocket handshake from 127.0.0.1:{raw.Port} within 5 s (Ingest:ConnectTimeoutSeconds)"));
            Assert.That(connection.RequestTarget, Is.EqualTo("/stream?streams=btcusdt@trade/ethusdt@trade/solusdt@trade"));
        });
    }

    [Test]
    public async Task AnHttpServerThatHoldsTheUpgradeRequestTimesOutTooAndNotBefore()
    {
        _server.HoldStreamHandshakes();
        _feed = BinanceFeedHarness.Create(_server);
        _feed.Start();

        await _server.WaitForHandshakeAttemptsAsync(1);
        await _feed.Time.WaitForTimersAsync(BinanceFeedHarness.ConnectTimeout);
        _feed.Time.Advance(BinanceFeedHarness.ConnectTimeout - TimeSpan.FromMilliseconds(1));
        var runningJustBefore = !_feed.Running.IsCompleted;
        _feed.Time.Advance(TimeSpan.FromMilliseconds(1));
        var failure = await _feed.FailureAsync();

        Assert.Multiple(() =>
        {
            Assert.That(runningJustBefore, Is.True);
            Assert.That(failure.Message, Is.EqualTo($"no WebSocket handshake from 127.0.0.1:{_server.Port} within 5 s (Ingest:ConnectTimeoutSeconds)"));
        });
    }

    [Test]
    public async Task AServerThatDiesDuringTheHandshakeEndsTheCallAtOnceSayingSo()
    {
        _server.HoldStreamHandshakes();
        _feed = BinanceFeedHarness.Create(_server);
        _feed.Start();

        await _server.WaitForHandshakeAttemptsAsync(1);
        await _server.StopAsync();
        var failure = await _feed.FailureAsync();

        // Which of the two the client sees depends on how the kernel ends the TCP connection.
        Assert.That(failure.Message, Is.AnyOf(
            $"connection reset by 127.0.0.1:{_server.Port}",
            $"127.0.0.1:{_server.Port} closed the connection before answering"));
    }

    [Test]
    public async Task NothingListeningIsAConnectionRefused()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var failure = await FailureAsync($"ws://127.0.0.1:{port}");

        Assert.That(failure.Message, Is.EqualTo($"connection refused by 127.0.0.1:{port} (nothing listens there)"));
    }

    [Test]
    public async Task AHostThatDoesNotExistIsADnsFailureNamingTheHost()
    {
        // .invalid is reserved (RFC 2606): no resolver anywhere answers it with an address.
        var failure = await FailureAsync("wss://stream.binance.invalid:9443");

        // "No such host" from a resolver that answers; "could not resolve" from one that cannot be reached (offline).
        Assert.That(failure.Message, Is.AnyOf(
            "DNS: no such host stream.binance.invalid",
            "DNS: could not resolve stream.binance.invalid (no answer from the name server)"));
    }

    [Test]
    public async Task TlsToAServerThatDoesNotSpeakItIsATlsFailure()
    {
        var failure = await FailureAsync($"wss://127.0.0.1:{_server.Port}");

        Assert.That(failure.Message, Does.StartWith($"TLS handshake with 127.0.0.1:{_server.Port} failed: "));
    }

    [TestCase(404, "stream refused: HTTP 404 Not Found")]
    [TestCase(500, "stream refused: HTTP 500 Internal Server Error")]
    [TestCase(400, "stream refused: HTTP 400 Bad Request")]
    public async Task AnotherRefusalNamesTheStatus(int status, string expected)
    {
        _server.RefuseStreams(status);

        var failure = await FailureAsync(_server.StreamUrl);

        Assert.Multiple(() =>
        {
            Assert.That(failure, Is.TypeOf<HttpRequestException>());
            Assert.That(((HttpRequestException)failure).StatusCode, Is.EqualTo((HttpStatusCode)status));
            Assert.That(failure.Message, Is.EqualTo(expected));
            Assert.That(_server.RestQueries, Is.Empty, "only 451 and 403 turn to REST");
        });
    }

    [TestCase("60", 60, "60 s")]
    [TestCase(null, 30, "30 s")]
    public async Task AHandshakeRefusedWith429EndsWithTheWaitItAsksFor(string? retryAfter, int seconds, string said)
    {
        _server.RefuseStreams(429, "", retryAfter is null ? [] : [("Retry-After", retryAfter)]);

        var failure = await FailureAsync(_server.StreamUrl);

        Assert.Multiple(() =>
        {
            Assert.That(failure, Is.TypeOf<UpstreamThrottledException>());
            Assert.That(((UpstreamThrottledException)failure).RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(seconds)));
            Assert.That(failure.Message, Is.EqualTo($"stream refused: HTTP 429 rate limited by 127.0.0.1:{_server.Port}, retry after {said}"));
        });
    }

    [Test]
    public async Task AHandshakeRefusedWith418EndsWithTheBanAsLongAsRetryAfterSaysEvenAsADate()
    {
        // Two hours after the fake clock's start, as an HTTP date.
        _server.RefuseStreams(418, "", ("Retry-After", "Thu, 01 Jan 2026 14:00:00 GMT"));

        var failure = await FailureAsync(_server.StreamUrl);

        Assert.Multiple(() =>
        {
            Assert.That(failure, Is.TypeOf<UpstreamThrottledException>());
            Assert.That(((UpstreamThrottledException)failure).RetryAfter, Is.EqualTo(TimeSpan.FromHours(2)));
            Assert.That(failure.Message, Is.EqualTo($"stream refused: HTTP 418, 127.0.0.1:{_server.Port} has banned this IP address for exceeding its rate limits; retry after 2 h"));
        });
    }
}
