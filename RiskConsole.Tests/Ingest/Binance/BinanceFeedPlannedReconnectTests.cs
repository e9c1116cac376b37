using System.Net.WebSockets;
using RiskConsole.Core.Signals;

namespace RiskConsole.Tests.Ingest.Binance;

/// <summary>
/// <c>serverShutdown</c> and the 24 h limit are planned reconnects inside one RunConnectionAsync call: the next socket
/// opens before the old one closes, every event is published once, and the call goes on.
/// </summary>
public sealed class BinanceFeedPlannedReconnectTests
{
    private const long T0 = 1763800000122;
    private static readonly TimeSpan DefaultMaxAge = TimeSpan.FromHours(23.5);

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

    private async Task<FakeBinanceStreamConnection> ConnectAsync(params (string Key, string Value)[] settings)
    {
        _feed = BinanceFeedHarness.Create(_server, settings);
        _feed.Start();
        var connection = await _server.WaitForConnectionAsync(1);
        await _feed.Sink.WaitForConnectedAsync();
        return connection;
    }

    private static string Trade(string symbol, long id) => BinanceFrames.Trade(symbol, BinanceFrames.Price(100 + id), id, T0 + id);

    private static PriceTick Tick(string symbol, long id) => new(symbol, 100 + id, DateTimeOffset.FromUnixTimeMilliseconds(T0 + id));

    [Test]
    public async Task ServerShutdownOpensTheNextSocketFirstDrainsTheOldOneAndPublishesEachTradeOnce()
    {
        var first = await ConnectAsync();
        await first.SendAsync(Trade("BTCUSDT", 1));
        await first.SendAsync(Trade("BTCUSDT", 2));
        await first.SendAsync(Trade("ETHUSDT", 10));
        await _feed.Sink.WaitForSignalsAsync(3);

        // The old socket's close is held open so both sockets deliver at once, as they do while Binance answers.
        first.HoldCloseAnswer();
        await first.SendAsync(BinanceFrames.ServerShutdown(T0 + 20));
        var second = await _server.WaitForConnectionAsync(2);
        var closeStatus = await first.ClientClosed.WaitAsync(TimeSpan.FromSeconds(5));

        await second.SendAsync(Trade("BTCUSDT", 2));
        await second.SendAsync(Trade("BTCUSDT", 3));
        await second.SendAsync(Trade("ETHUSDT", 10));
        await second.SendAsync(Trade("ETHUSDT", 11));
        await first.SendAsync(Trade("BTCUSDT", 3));
        await _feed.Sink.WaitForMessagesAsync(4 + 4 + 1);
        var beforeTheOldSocketEnded = _feed.Sink.Signals;

        first.ReleaseCloseAnswer();
        var signals = await _feed.Sink.WaitForSignalsAsync(5);
        var connected = await _feed.Sink.WaitForConnectedAsync(2);
        await second.SendAsync(Trade("BTCUSDT", 4));
        var after = await _feed.Sink.WaitForSignalsAsync(6);

        Assert.Multiple(() =>
        {
            Assert.That(second.OpenedOrder, Is.LessThan(first.ClientClosedOrder), "the new socket opened before the old one was closed");
            Assert.That(closeStatus, Is.EqualTo(WebSocketCloseStatus.NormalClosure));
            Assert.That(beforeTheOldSocketEnded, Is.EqualTo(new MarketSignal[] { Tick("BTCUSDT", 1), Tick("BTCUSDT", 2), Tick("ETHUSDT", 10), Tick("BTCUSDT", 3) }),
                "the old socket publishes until it ends; the new one's events wait");
            Assert.That(signals, Is.EqualTo(new MarketSignal[] { Tick("BTCUSDT", 1), Tick("BTCUSDT", 2), Tick("ETHUSDT", 10), Tick("BTCUSDT", 3), Tick("ETHUSDT", 11) }),
                "per symbol, what the old socket delivered is dropped from the new one");
            Assert.That(after[^1], Is.EqualTo(Tick("BTCUSDT", 4)));
            Assert.That(connected[1], Is.EqualTo($"stream {_server.StreamUrl}/stream?streams=btcusdt@trade/ethusdt@trade/solusdt@trade (planned reconnect: Binance announced a server shutdown (serverShutdown))"));
            Assert.That(_feed.Sink.Rejections, Is.Empty);
            Assert.That(_feed.Running.IsCompleted, Is.False, "one call, still running");
            Assert.That(_server.HandshakeAttempts, Is.EqualTo(2));
            Assert.That(_feed.Logs.GetSnapshot().Select(r => r.Message), Has.One.EqualTo("Binance stream: connection 1 replaced by connection 2; 3 events both delivered were published once"));
        });
    }

    [Test]
    public async Task ACloseRightAfterServerShutdownIsStillAPlannedReconnect()
    {
        var first = await ConnectAsync();

        await first.SendAsync(BinanceFrames.ServerShutdown(T0, combined: false));
        await first.CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "server shutdown");
        var second = await _server.WaitForConnectionAsync(2);
        await _feed.Sink.WaitForConnectedAsync(2);
        await second.SendAsync(Trade("SOLUSDT", 1));
        var signals = await _feed.Sink.WaitForSignalsAsync(1);

        Assert.Multiple(() =>
        {
            Assert.That(signals, Is.EqualTo(new MarketSignal[] { Tick("SOLUSDT", 1) }));
            Assert.That(_feed.Running.IsCompleted, Is.False);
            Assert.That(first.IsOpen, Is.False);
        });
    }

    [Test]
    public async Task TheConnectionIsReplacedAtItsMaximumAgeAndTheNextOneCountsItsOwnAge()
    {
        var first = await ConnectAsync();
        await _feed.Time.WaitForTimersAsync(DefaultMaxAge);

        _feed.Time.Advance(DefaultMaxAge - TimeSpan.FromMinutes(1));
        await first.SendAsync(Trade("BTCUSDT", 1));
        await _feed.Sink.WaitForSignalsAsync(1);
        var beforeTheLimit = _server.Connections.Count;

        _feed.Time.Advance(TimeSpan.FromMinutes(1));
        var second = await _server.WaitForConnectionAsync(2);
        var connected = await _feed.Sink.WaitForConnectedAsync(2);
        await first.Ended.WaitAsync(TimeSpan.FromSeconds(5));
        await second.SendAsync(Trade("BTCUSDT", 2));
        await _feed.Sink.WaitForSignalsAsync(2);

        await _feed.Time.AdvanceWhenWaitingAsync(DefaultMaxAge, count: 2);
        await _server.WaitForConnectionAsync(3);
        await _feed.Sink.WaitForConnectedAsync(3);

        Assert.Multiple(async () =>
        {
            Assert.That(beforeTheLimit, Is.EqualTo(1), "a minute before the limit nothing happens");
            Assert.That(second.OpenedOrder, Is.LessThan(first.ClientClosedOrder), "the new socket opened before the old one was closed");
            Assert.That(await first.ClientClosed, Is.EqualTo(WebSocketCloseStatus.NormalClosure));
            Assert.That(connected[1], Does.EndWith("(planned reconnect: the connection reached its maximum age of 23.5 h)"));
            Assert.That(_feed.Sink.Signals, Is.EqualTo(new MarketSignal[] { Tick("BTCUSDT", 1), Tick("BTCUSDT", 2) }));
            Assert.That(_feed.Running.IsCompleted, Is.False);
        });
    }

    [Test]
    public async Task TheMaximumAgeIsConfigurable()
    {
        await ConnectAsync(("Ingest:Binance:MaxConnectionAgeMinutes", "60"));

        await _feed.Time.AdvanceWhenWaitingAsync(TimeSpan.FromMinutes(60));
        await _server.WaitForConnectionAsync(2);
        var connected = await _feed.Sink.WaitForConnectedAsync(2);

        Assert.That(connected[1], Does.EndWith("(planned reconnect: the connection reached its maximum age of 60 min)"));
    }

    [Test]
    public async Task APlannedReconnectThatCannotConnectEndsTheCallSayingWhy()
    {
        var first = await ConnectAsync();

        _server.RefuseStreams(500, BinanceFrames.RestError(-1000, "An unknown error occurred while processing the request."));
        await first.SendAsync(BinanceFrames.ServerShutdown(T0));
        var failure = await _feed.FailureAsync();
        await first.Ended.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.That(failure.Message, Is.EqualTo("planned reconnect (Binance announced a server shutdown (serverShutdown)) failed: stream refused: HTTP 500 Internal Server Error"));
    }
}
