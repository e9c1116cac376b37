using System.Net.WebSockets;
using System.Text;
using RiskConsole.Core.Signals;
using RiskConsole.Ingest.Binance;

namespace RiskConsole.Tests.Ingest.Binance;

/// <summary>
/// The real listener on the combined stream of a local fake Binance: what it asks for, what it publishes, what it
/// rejects while staying connected, and how a connection ends.
/// </summary>
public sealed class BinanceFeedStreamTests
{
    private const long T0 = 1763800000122;

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

    private static PriceTick Tick(string symbol, double price, long timeMs) => new(symbol, price, DateTimeOffset.FromUnixTimeMilliseconds(timeMs));

    [Test]
    public async Task ItAsksForTheTradeStreamOfEachDefaultSymbolAndPublishesEachTradeAtItsTradeTime()
    {
        var connection = await ConnectAsync();

        await connection.SendAsync(BinanceFrames.Trade("BTCUSDT", "84231.57000000", 1, T0));
        await connection.SendAsync(BinanceFrames.Trade("ETHUSDT", "3120.45000000", 2, T0 + 5, combined: false));
        await connection.SendAsync(BinanceFrames.Trade("SOLUSDT", "141.23000000", 3, T0 + 9));
        var signals = await _feed.Sink.WaitForSignalsAsync(3);

        Assert.Multiple(() =>
        {
            Assert.That(connection.Query, Is.EqualTo("?streams=btcusdt@trade/ethusdt@trade/solusdt@trade"));
            Assert.That(_feed.Sink.ConnectedDetails, Is.EqualTo(new[] { $"stream {_server.StreamUrl}/stream?streams=btcusdt@trade/ethusdt@trade/solusdt@trade" }));
            Assert.That(signals, Is.EqualTo(new MarketSignal[] { Tick("BTCUSDT", 84231.57, T0), Tick("ETHUSDT", 3120.45, T0 + 5), Tick("SOLUSDT", 141.23, T0 + 9) }));
            Assert.That(signals.Select(s => s.IsMock), Is.All.False);
            Assert.That(_feed.Sink.Messages, Is.EqualTo(3));
            Assert.That(_feed.Sink.Rejections, Is.Empty);
        });
    }

    [Test]
    public async Task ConfiguredSymbolsAndStreamsNameTheStreamsAndTickerAndKlineGiveTheirPriceAtTheEventTime()
    {
        var connection = await ConnectAsync(
            ("Ingest:Binance:Symbols:0", "BTCUSDT"),
            ("Ingest:Binance:Symbols:1", "bnbusdt"),
            ("Ingest:Binance:Streams:0", "ticker"),
            ("Ingest:Binance:Streams:1", "kline_1m"));

        // The ticker's p (the 24 h change, -1876.43) would pass every check of a price: c is the price.
        await connection.SendAsync(BinanceFrames.Ticker("BTCUSDT", "84231.57000000", "-1876.43000000", T0));
        await connection.SendAsync(BinanceFrames.Kline("BNBUSDT", "612.40000000", T0 + 1000));
        var signals = await _feed.Sink.WaitForSignalsAsync(2);

        Assert.Multiple(() =>
        {
            Assert.That(connection.Streams, Is.EqualTo(new[] { "btcusdt@ticker", "btcusdt@kline_1m", "bnbusdt@ticker", "bnbusdt@kline_1m" }));
            Assert.That(signals, Is.EqualTo(new MarketSignal[] { Tick("BTCUSDT", 84231.57, T0), Tick("bnbusdt", 612.40, T0 + 1000) }), "the symbol as configured");
        });
    }

    [Test]
    public async Task TheRecordedFixturesSentOverTheSocketBecomeTicksAndTheSameTradeRawAndWrappedIsPublishedOnce()
    {
        var connection = await ConnectAsync(("Ingest:Binance:Streams:0", "trade"), ("Ingest:Binance:Streams:1", "ticker"), ("Ingest:Binance:Streams:2", "kline_1m"));

        foreach (var file in new[] { "binance_trade.json", "binance_trade_combined.json", "binance_ticker.json", "binance_kline_1m.json" })
        {
            await connection.SendAsync(BinanceFixtures.Compact(file));
        }

        await _feed.Sink.WaitForMessagesAsync(4);
        var signals = await _feed.Sink.WaitForSignalsAsync(3);

        Assert.Multiple(() =>
        {
            Assert.That(signals, Is.EqualTo(new MarketSignal[]
            {
                Tick("BTCUSDT", 84231.57, 1763800000122),
                Tick("BTCUSDT", 84231.57, 1763800001000),
                Tick("BTCUSDT", 84231.57, 1763800001623),
            }));
            Assert.That(_feed.Sink.Rejections, Is.Empty, "a repeated trade is no bad frame");
        });
    }

    [Test]
    public async Task ControlAnswersAreMessagesButNeitherRejectionsNorSignals()
    {
        var connection = await ConnectAsync();

        await connection.SendAsync(BinanceFrames.SubscribeResult(1));
        await connection.SendAsync(BinanceFrames.ListSubscriptionsResult(3, "btcusdt@trade", "btcusdt@ticker"));
        await connection.SendAsync(BinanceFrames.ControlError(3, "Invalid JSON: expected value at line 1 column 1"));
        await connection.SendAsync(BinanceFrames.Trade("BTCUSDT", "84231.57000000", 1, T0));
        await _feed.Sink.WaitForSignalsAsync(1);

        Assert.Multiple(() =>
        {
            Assert.That(_feed.Sink.Messages, Is.EqualTo(4));
            Assert.That(_feed.Sink.Rejections, Is.Empty);
            Assert.That(_feed.Sink.Signals, Has.Count.EqualTo(1));
            Assert.That(_feed.Logs.GetSnapshot().Select(r => r.Message), Has.One.Contains("error answer to a control request"));
        });
    }

    [Test]
    public async Task EveryBadFrameIsRejectedWithItsReasonAndTheConnectionStaysUp()
    {
        var connection = await ConnectAsync();
        var bad = new (string Frame, string Reason)[]
        {
            ("{\"e\":\"trade\",", BinanceRejections.InvalidJson),
            ("[]", BinanceRejections.NotAnObject),
            ("{\"hello\":\"world\"}", BinanceRejections.NoEventType),
            (BinanceFrames.Trade("DOGEUSDT", "0.10000000", 1, T0), BinanceRejections.UnknownSymbol),
            (BinanceFrames.Trade("BTCUSDT", "eighty thousand", 2, T0), BinanceRejections.PriceNotANumber),
            (BinanceFrames.Trade("BTCUSDT", "NaN", 3, T0), BinanceRejections.PriceNotFinite),
            (BinanceFrames.Trade("BTCUSDT", "-5.00000000", 4, T0), BinanceRejections.PriceNotPositive),
            (BinanceFrames.Trade("BTCUSDT", "99999999999.00000000", 5, T0), BinanceRejections.PriceOutOfRange),
            (BinanceFrames.Trade("BTCUSDT", "84231.57000000", 6, 0), BinanceRejections.TimeOutOfRange),
            (BinanceFrames.Ticker("BTCUSDT", "x", "-1876.43000000", T0), BinanceRejections.PriceNotANumber),
            (BinanceFrames.Trade("BTCUSDT", "84231.57000000", 7, T0).Replace("\"e\":\"trade\"", "\"e\":\"aggTrade\""), BinanceRejections.UnknownEventType),
        };

        foreach (var (frame, _) in bad)
        {
            await connection.SendAsync(frame);
        }

        await connection.SendAsync(BinanceFrames.Trade("BTCUSDT", "84231.57000000", 8, T0));
        var signals = await _feed.Sink.WaitForSignalsAsync(1);

        Assert.Multiple(() =>
        {
            Assert.That(_feed.Sink.Rejections, Is.EqualTo(bad.Select(b => b.Reason)));
            Assert.That(signals, Is.EqualTo(new MarketSignal[] { Tick("BTCUSDT", 84231.57, T0) }));
            Assert.That(_feed.Sink.Messages, Is.EqualTo(bad.Length + 1));
            Assert.That(_server.HandshakeAttempts, Is.EqualTo(1), "no reconnect for a bad frame");
            Assert.That(_feed.Running.IsCompleted, Is.False);
        });
    }

    [Test]
    public async Task ABinaryFrameIsRejectedAndReadingGoesOn()
    {
        var connection = await ConnectAsync();

        await connection.SendBinaryAsync(Encoding.UTF8.GetBytes(BinanceFrames.Trade("BTCUSDT", "1.00000000", 1, T0)));
        await connection.SendAsync(BinanceFrames.Trade("BTCUSDT", "84231.57000000", 2, T0));
        var signals = await _feed.Sink.WaitForSignalsAsync(1);

        Assert.Multiple(() =>
        {
            Assert.That(_feed.Sink.Rejections, Is.EqualTo(new[] { BinanceRejections.BinaryFrame }));
            Assert.That(signals, Is.EqualTo(new MarketSignal[] { Tick("BTCUSDT", 84231.57, T0) }));
        });
    }

    [Test]
    public async Task AFrameOfSeveralMegabytesIsRejectedOnceAndSkippedAndTheNextFrameIsRead()
    {
        var connection = await ConnectAsync();
        var huge = BinanceFrames.Trade("BTCUSDT", "84231.57000000", 1, T0, quantity: new string('1', 3 * 1024 * 1024));

        await connection.SendAsync(huge);
        await connection.SendAsync(BinanceFrames.Trade("BTCUSDT", "84231.58000000", 2, T0 + 1));
        var signals = await _feed.Sink.WaitForSignalsAsync(1);

        Assert.Multiple(() =>
        {
            Assert.That(_feed.Sink.Rejections, Is.EqualTo(new[] { "message larger than 65536 bytes" }));
            Assert.That(signals, Is.EqualTo(new MarketSignal[] { Tick("BTCUSDT", 84231.58, T0 + 1) }));
            Assert.That(_feed.Sink.Messages, Is.EqualTo(2));
        });
    }

    [Test]
    public async Task AMessageOfExactlyTheLimitIsReadAndOneByteMoreIsRejected()
    {
        var connection = await ConnectAsync(("Ingest:Binance:MaxMessageBytes", "1024"));
        string Padded(long id, int size)
        {
            var frame = BinanceFrames.Trade("BTCUSDT", "84231.57000000", id, T0 + id, quantity: "1");
            return BinanceFrames.Trade("BTCUSDT", "84231.57000000", id, T0 + id, quantity: "1" + new string('0', size - Encoding.UTF8.GetByteCount(frame)));
        }

        await connection.SendAsync(Padded(1, 1024));
        await connection.SendAsync(Padded(2, 1025));
        await connection.SendAsync(Padded(3, 1024));
        var signals = await _feed.Sink.WaitForSignalsAsync(2);

        Assert.Multiple(() =>
        {
            Assert.That(signals, Is.EqualTo(new MarketSignal[] { Tick("BTCUSDT", 84231.57, T0 + 1), Tick("BTCUSDT", 84231.57, T0 + 3) }));
            Assert.That(_feed.Sink.Rejections, Is.EqualTo(new[] { "message larger than 1024 bytes" }));
        });
    }

    [Test]
    public async Task AnEndlessTrickleOfOneMessageIsNoMessageAndOnlyCancellationEndsIt()
    {
        var connection = await ConnectAsync();
        var chunk = "{\"e\":\"trade\",\"x\":\""u8.ToArray();
        await connection.SendFragmentAsync(chunk, endOfMessage: false);
        var filler = Encoding.UTF8.GetBytes(new string('7', 64));
        for (var i = 0; i < 200; i++)
        {
            await connection.SendFragmentAsync(filler, endOfMessage: false);
        }

        // A message that never ends is silence to the listener: LiveSource's silence timeout replaces the connection.
        await connection.SendFragmentAsync(filler, endOfMessage: false);
        Assert.Multiple(() =>
        {
            Assert.That(_feed.Sink.Messages, Is.Zero);
            Assert.That(_feed.Sink.Rejections, Is.Empty);
            Assert.That(_feed.Running.IsCompleted, Is.False);
        });

        await _feed.CancelAsync();
        var failure = await _feed.FailureAsync();
        await connection.Ended.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.That(failure, Is.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task ATrickleThatPassesTheLimitIsRejectedOnceAndItsRestSkipped()
    {
        var connection = await ConnectAsync(("Ingest:Binance:MaxMessageBytes", "1024"));
        var filler = Encoding.UTF8.GetBytes(new string('7', 100));
        for (var i = 0; i < 11; i++)
        {
            await connection.SendFragmentAsync(filler, endOfMessage: false);
        }

        await _feed.Sink.WaitForRejectionsAsync(1);
        for (var i = 0; i < 30; i++)
        {
            await connection.SendFragmentAsync(filler, endOfMessage: i == 29);
        }

        await connection.SendAsync(BinanceFrames.Trade("BTCUSDT", "84231.57000000", 1, T0));
        await _feed.Sink.WaitForSignalsAsync(1);

        Assert.Multiple(() =>
        {
            Assert.That(_feed.Sink.Rejections, Is.EqualTo(new[] { "message larger than 1024 bytes" }));
            Assert.That(_feed.Sink.Messages, Is.EqualTo(2), "the overflowing message once, the trade once");
        });
    }

    [Test]
    public async Task ACloseFromTheServerEndsTheCallWithItsCodeAndReasonAndIsAnswered()
    {
        var connection = await ConnectAsync();

        await connection.CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "maintenance");
        var failure = await _feed.FailureAsync();

        Assert.Multiple(async () =>
        {
            Assert.That(failure.Message, Is.EqualTo("closed by the server: 1001 going away: maintenance"));
            Assert.That(await connection.ClientClosed, Is.EqualTo(WebSocketCloseStatus.NormalClosure), "the client answered the close");
        });
    }

    [Test]
    public async Task AServerThatDiesEndsTheCallWithAPlainError()
    {
        await ConnectAsync();

        await _server.StopAsync();
        var failure = await _feed.FailureAsync();

        // Which of the two the client sees depends on how the kernel ends the TCP connection.
        Assert.That(failure.Message, Is.AnyOf(
            $"connection lost: 127.0.0.1:{_server.Port} reset it",
            $"connection lost: 127.0.0.1:{_server.Port} closed it without a WebSocket close frame"));
    }

    [Test]
    public async Task CancellingEndsTheCallAndDropsTheSocket()
    {
        var connection = await ConnectAsync();

        await _feed.CancelAsync();
        var failure = await _feed.FailureAsync();
        await connection.Ended.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.That(failure, Is.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task EachCallOpensANewSocketAndAServerBackOnTheSamePortIsReachedAgain()
    {
        var first = await ConnectAsync();
        await _server.StopAsync();
        await _feed.FailureAsync();

        await _server.RestartAsync();
        _feed.Start();
        var second = await _server.WaitForConnectionAsync(2);
        await second.SendAsync(BinanceFrames.Trade("BTCUSDT", "84231.57000000", 1, T0));
        await _feed.Sink.WaitForSignalsAsync(1);

        Assert.Multiple(() =>
        {
            Assert.That(second, Is.Not.SameAs(first));
            Assert.That(first.IsOpen, Is.False);
            Assert.That(_feed.Sink.ConnectedDetails, Has.Count.EqualTo(2));
        });
    }

    [Test]
    public async Task TradesTheServerStreamsByItselfArePublished()
    {
        await ConnectAsync();

        _server.StartTrades(TimeSpan.FromMilliseconds(10), "BTCUSDT", "ETHUSDT");
        var signals = await _feed.Sink.WaitForSignalsAsync(6);
        _server.GoSilent();

        Assert.Multiple(() =>
        {
            Assert.That(signals.OfType<PriceTick>().Select(t => t.Symbol).Distinct(), Is.EquivalentTo(new[] { "BTCUSDT", "ETHUSDT" }));
            Assert.That(signals.OfType<PriceTick>().Select(t => t.Price), Is.All.InRange(3000, 90000));
        });
    }
}
