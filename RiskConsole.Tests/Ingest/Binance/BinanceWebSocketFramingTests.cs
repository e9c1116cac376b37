using System.Text;
using RiskConsole.Core.Signals;

namespace RiskConsole.Tests.Ingest.Binance;

/// <summary>
/// The listener against a bare RFC 6455 server, for what Kestrel cannot send: Binance's pings (answered with the same
/// payload, by ClientWebSocket itself, while the listener's receive is pending) and hand-made fragments.
/// </summary>
public sealed class BinanceWebSocketFramingTests
{
    private const long T0 = 1763800000122;

    private RawWebSocketServer _raw = null!;
    private BinanceFeedHarness _feed = null!;
    private RawWebSocketConnection _connection = null!;

    [SetUp]
    public async Task Connect()
    {
        _raw = RawWebSocketServer.Start();
        _feed = BinanceFeedHarness.Create(_raw.Url, "http://127.0.0.1:9");
        _feed.Start();
        _connection = await _raw.AcceptAsync();
        await _feed.Sink.WaitForConnectedAsync();
    }

    [TearDown]
    public async Task Disconnect()
    {
        await _feed.DisposeAsync();
        _connection.Dispose();
        _raw.Dispose();
    }

    [Test]
    public async Task APingIsAnsweredWithAPongCarryingTheSamePayloadAndIsNoMessage()
    {
        var payload = Encoding.UTF8.GetBytes("binance-ping-1763800000123");

        await _connection.SendPingAsync(payload);
        var pong = await _connection.ReadFrameAsync(RawOpcode.Pong);
        await _connection.SendPingAsync([]);
        var emptyPong = await _connection.ReadFrameAsync(RawOpcode.Pong);
        await _connection.SendTextAsync(BinanceFrames.Trade("BTCUSDT", "84231.57000000", 1, T0));
        await _feed.Sink.WaitForSignalsAsync(1);

        Assert.Multiple(() =>
        {
            Assert.That(pong.Payload, Is.EqualTo(payload));
            Assert.That(pong.Fin, Is.True);
            Assert.That(pong.Masked, Is.True, "a client masks what it sends");
            Assert.That(emptyPong.Payload, Is.Empty);
            Assert.That(_feed.Sink.Messages, Is.EqualTo(1), "pings are not messages: only Binance's data proves the connection alive");
        });
    }

    [Test]
    public async Task AMessageInSeveralFragmentsIsOneMessage()
    {
        var frame = Encoding.UTF8.GetBytes(BinanceFrames.Trade("ETHUSDT", "3120.45000000", 1, T0));

        await _connection.SendFrameAsync(RawOpcode.Text, frame[..10], fin: false);
        await _connection.SendPingAsync([1, 2, 3]);
        await _connection.SendFrameAsync(RawOpcode.Continuation, frame[10..50], fin: false);
        await _connection.SendFrameAsync(RawOpcode.Continuation, frame[50..], fin: true);
        var signals = await _feed.Sink.WaitForSignalsAsync(1);
        var pong = await _connection.ReadFrameAsync(RawOpcode.Pong);

        Assert.Multiple(() =>
        {
            Assert.That(signals, Is.EqualTo(new MarketSignal[] { new PriceTick("ETHUSDT", 3120.45, DateTimeOffset.FromUnixTimeMilliseconds(T0)) }));
            Assert.That(pong.Payload, Is.EqualTo(new byte[] { 1, 2, 3 }), "a ping between fragments is answered too");
            Assert.That(_feed.Sink.Messages, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task ABinaryMessageInFragmentsIsRejectedOnceAndSkipped()
    {
        await _connection.SendFrameAsync(RawOpcode.Binary, [1, 2, 3], fin: false);
        await _connection.SendFrameAsync(RawOpcode.Continuation, [4, 5, 6], fin: true);
        await _connection.SendTextAsync(BinanceFrames.Trade("BTCUSDT", "84231.57000000", 1, T0));
        await _feed.Sink.WaitForSignalsAsync(1);

        Assert.That(_feed.Sink.Rejections, Is.EqualTo(new[] { "binary frame (Binance sends text)" }));
    }
}
