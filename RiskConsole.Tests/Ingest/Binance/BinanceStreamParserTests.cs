using System.Text;
using RiskConsole.Ingest.Binance;
using static RiskConsole.Ingest.Binance.BinanceRejections;

namespace RiskConsole.Tests.Ingest.Binance;

/// <summary>The stream parser on the recorded shapes in ../shared/fixtures/feeds and on every kind of bad message.</summary>
public sealed class BinanceStreamParserTests
{
    // The second symbol is configured in lower case: Binance sends "ETHUSDT", the signal carries "ethusdt".
    private static readonly string[] Symbols = ["BTCUSDT", "ethusdt", "SOLUSDT"];

    private const string GoodTrade = """{"e":"trade","E":1763800000123,"s":"BTCUSDT","t":5512345678,"p":"84231.57000000","q":"0.00120000","T":1763800000122,"m":true,"M":true}""";
    private const string GoodTicker = """{"e":"24hrTicker","E":1763800001000,"s":"BTCUSDT","p":"-1876.43000000","c":"84231.57000000"}""";
    private const string GoodKline = """{"e":"kline","E":1763800001623,"s":"BTCUSDT","k":{"t":1763799960000,"c":"84231.57000000","x":false}}""";

    private readonly BinanceStreamParser _parser = new(Symbols);

    [TestCase("binance_trade.json")]
    [TestCase("binance_trade_combined.json")]
    public void TheTradeFixtureIsItsPriceAtItsTradeTimeWithItsTradeId(string file)
    {
        var message = _parser.Parse(BinanceFixtures.File(file));

        Assert.That(message, Is.EqualTo(new BinanceStreamMessage(BinanceMessageKind.Price, 0, BinancePriceEvent.Trade, 84231.57, 1763800000122, 5512345678, null)));
        Assert.That(message.Timestamp, Is.EqualTo(DateTimeOffset.FromUnixTimeMilliseconds(1763800000122)), "the trade time T, not the event time E");
    }

    [Test]
    public void TheTickerFixtureIsItsLastPriceCNotItsChangeP()
    {
        var message = _parser.Parse(BinanceFixtures.File("binance_ticker.json"));

        Assert.That(message, Is.EqualTo(new BinanceStreamMessage(BinanceMessageKind.Price, 0, BinancePriceEvent.Ticker, 84231.57, 1763800001000, 1763800001000, null)));
    }

    [Test]
    public void TheKlineFixtureIsItsCloseAtTheEventTime()
    {
        var message = _parser.Parse(BinanceFixtures.File("binance_kline_1m.json"));

        Assert.That(message, Is.EqualTo(new BinanceStreamMessage(BinanceMessageKind.Price, 0, BinancePriceEvent.Kline, 84231.57, 1763800001623, 1763800001623, null)));
    }

    [TestCase("subscribe_response", BinanceMessageKind.Control)]
    [TestCase("list_subscriptions_response", BinanceMessageKind.Control)]
    [TestCase("error_invalid_json", BinanceMessageKind.ControlError)]
    [TestCase("server_shutdown_raw", BinanceMessageKind.ServerShutdown)]
    [TestCase("server_shutdown_combined", BinanceMessageKind.ServerShutdown)]
    public void ControlMessagesAndServerShutdownAreToldApartAndNeverRejected(string member, BinanceMessageKind kind)
    {
        var message = _parser.Parse(BinanceFixtures.Member("binance_control_messages.json", member));

        Assert.Multiple(() =>
        {
            Assert.That(message.Kind, Is.EqualTo(kind));
            Assert.That(message.Rejection, Is.Null);
        });
    }

    [Test]
    public void WrappedTickerAndKlineFramesFromTheFrameBuilderReadLikeTheFixtures()
    {
        var ticker = _parser.Parse(Encoding.UTF8.GetBytes(BinanceFrames.Ticker("SOLUSDT", "141.23000000", "-3.10000000", 1763800005000)));
        var kline = _parser.Parse(Encoding.UTF8.GetBytes(BinanceFrames.Kline("SOLUSDT", "141.20000000", 1763800006000)));

        Assert.Multiple(() =>
        {
            Assert.That(ticker, Is.EqualTo(new BinanceStreamMessage(BinanceMessageKind.Price, 2, BinancePriceEvent.Ticker, 141.23, 1763800005000, 1763800005000, null)));
            Assert.That(kline, Is.EqualTo(new BinanceStreamMessage(BinanceMessageKind.Price, 2, BinancePriceEvent.Kline, 141.20, 1763800006000, 1763800006000, null)));
        });
    }

    [Test]
    public void TheFrameBuilderWritesTheFixturesShapes()
    {
        // The fake server's frames are these; with the fixture's values they must be the fixture (field order included).
        Assert.Multiple(() =>
        {
            Assert.That(BinanceFrames.Trade("BTCUSDT", "84231.57000000", 5512345678, 1763800000122, combined: false), Is.EqualTo(BinanceFixtures.Compact("binance_trade.json")));
            Assert.That(BinanceFrames.Trade("BTCUSDT", "84231.57000000", 5512345678, 1763800000122), Is.EqualTo(BinanceFixtures.Compact("binance_trade_combined.json")));
            Assert.That(BinanceFrames.Ticker("BTCUSDT", "84231.57000000", "-1876.43000000", 1763800001000, combined: false), Is.EqualTo(BinanceFixtures.Compact("binance_ticker.json")));
            Assert.That(BinanceFrames.ServerShutdown(1763803600123), Is.EqualTo(Encoding.UTF8.GetString(BinanceFixtures.Member("binance_control_messages.json", "server_shutdown_combined"))));
            Assert.That(BinanceFrames.SubscribeResult(1), Is.EqualTo(Encoding.UTF8.GetString(BinanceFixtures.Member("binance_control_messages.json", "subscribe_response"))));
        });
    }

    [Test]
    public void TheSymbolIsMatchedIgnoringCaseAndGivenAsTheIndexOfTheConfiguredOne()
    {
        var message = _parser.Parse(Encoding.UTF8.GetBytes(GoodTrade.Replace("BTCUSDT", "ETHUSDT")));

        Assert.That(message.SymbolIndex, Is.EqualTo(1));
    }

    [Test]
    public void FieldsAreReadInAnyOrderAndEscapedDigitsAreStillDigits()
    {
        var shuffled = """{"data":{"T":1763800000122,"p":"8423\u0031.57","t":7,"s":"BTCUSDT","e":"trade"},"stream":"btcusdt@trade"}""";

        var message = _parser.Parse(Encoding.UTF8.GetBytes(shuffled));

        Assert.That(message, Is.EqualTo(new BinanceStreamMessage(BinanceMessageKind.Price, 0, BinancePriceEvent.Trade, 84231.57, 1763800000122, 7, null)));
    }

    [Test]
    public void AJsonNumberPriceIsTakenToo()
    {
        var message = _parser.Parse(Encoding.UTF8.GetBytes(GoodTrade.Replace("\"p\":\"84231.57000000\"", "\"p\":84231.57")));

        Assert.That(message.Price, Is.EqualTo(84231.57));
    }

    [Test]
    public void ParsingGoodMessagesAllocatesNothing()
    {
        var frames = new[]
        {
            BinanceFixtures.File("binance_trade_combined.json"),
            BinanceFixtures.File("binance_ticker.json"),
            BinanceFixtures.File("binance_kline_1m.json"),
            BinanceFixtures.Member("binance_control_messages.json", "subscribe_response"),
        };
        foreach (var frame in frames)
        {
            _parser.Parse(frame);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var total = 0.0;
        for (var i = 0; i < 1000; i++)
        {
            total += _parser.Parse(frames[i % frames.Length]).Price;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Multiple(() =>
        {
            Assert.That(allocated, Is.Zero, "bytes allocated by 1,000 parses");
            Assert.That(total, Is.GreaterThan(0));
        });
    }

    public static IEnumerable<TestCaseData> BadMessages()
    {
        TestCaseData Case(string json, string reason, string name) => new TestCaseData(json, reason).SetName($"{{m}}({name})");
        static string Trade(string from, string to) => GoodTrade.Replace(from, to, StringComparison.Ordinal);

        yield return Case("", EmptyFrame, "empty");
        yield return Case("not json", InvalidJson, "not JSON");
        yield return Case("""{"e":"trade","E":17638""", InvalidJson, "truncated");
        yield return Case(GoodTrade + GoodTrade, InvalidJson, "two objects in one frame");
        yield return Case(GoodTrade + "x", InvalidJson, "trailing garbage");
        yield return Case(new string('[', 100) + new string(']', 100), InvalidJson, "nested 100 deep");
        yield return Case("""{"e":"trade","e":}""", InvalidJson, "missing value");
        yield return Case("[1,2]", NotAnObject, "an array");
        yield return Case("42", NotAnObject, "a number");
        yield return Case("\"trade\"", NotAnObject, "a string");
        yield return Case("null", NotAnObject, "null");
        yield return Case("{}", NoEventType, "an empty object");
        yield return Case("""{"stream":"btcusdt@trade","data":[1]}""", DataNotAnObject, "data is an array");
        yield return Case("""{"stream":"btcusdt@trade","data":"trade"}""", DataNotAnObject, "data is a string");
        yield return Case(Trade("\"e\":\"trade\"", "\"e\":\"depthUpdate\""), UnknownEventType, "another event");
        yield return Case(Trade("\"e\":\"trade\"", "\"e\":5"), UnknownEventType, "event type a number");
        yield return Case(Trade("\"s\":\"BTCUSDT\",", ""), NoSymbol, "no symbol");
        yield return Case(Trade("BTCUSDT", "DOGEUSDT"), UnknownSymbol, "a symbol not configured");
        yield return Case(Trade("\"BTCUSDT\"", "7"), UnknownSymbol, "symbol a number");
        yield return Case(Trade("\"p\":\"84231.57000000\",", ""), NoPrice, "no price");
        yield return Case(Trade("84231.57000000", "abc"), PriceNotANumber, "price not a number");
        yield return Case(Trade("84231.57000000", ""), PriceNotANumber, "price empty");
        yield return Case(Trade("84231.57000000", "84,231.57"), PriceNotANumber, "price with a thousands separator");
        yield return Case(Trade("84231.57000000", "8.423157e4"), PriceNotANumber, "price with an exponent");
        yield return Case(Trade("84231.57000000", " 84231.57"), PriceNotANumber, "price with a space");
        yield return Case(Trade("84231.57000000", new string('9', 70)), PriceNotANumber, "price of 70 digits");
        yield return Case(Trade("\"84231.57000000\"", "true"), PriceNotANumber, "price a boolean");
        yield return Case(Trade("\"84231.57000000\"", "{\"v\":1}"), PriceNotANumber, "price an object");
        yield return Case(Trade("84231.57000000", "NaN"), PriceNotFinite, "price NaN");
        yield return Case(Trade("84231.57000000", "Infinity"), PriceNotFinite, "price Infinity");
        yield return Case(Trade("84231.57000000", "-84231.57"), PriceNotPositive, "price negative");
        yield return Case(Trade("84231.57000000", "0.00000000"), PriceNotPositive, "price zero");
        yield return Case(Trade("84231.57000000", "2000000000.00"), PriceOutOfRange, "price absurdly high");
        yield return Case(Trade("84231.57000000", "0.0000000001"), PriceOutOfRange, "price absurdly low");
        yield return Case(Trade(",\"T\":1763800000122", ""), NoTime, "no trade time");
        yield return Case(Trade("\"T\":1763800000122", "\"T\":\"1763800000122\""), TimeNotAnInteger, "trade time a string");
        yield return Case(Trade("\"T\":1763800000122", "\"T\":1763800000122.5"), TimeNotAnInteger, "trade time a fraction");
        yield return Case(Trade("\"T\":1763800000122", "\"T\":0"), TimeOutOfRange, "trade time 1970");
        yield return Case(Trade("\"T\":1763800000122", "\"T\":-1763800000122"), TimeOutOfRange, "trade time negative");
        yield return Case(Trade("\"T\":1763800000122", "\"T\":99999999999999"), TimeOutOfRange, "trade time in the year 5138");
        yield return Case(Trade("\"T\":1763800000122", "\"T\":1763800000122000"), TimeOutOfRange, "trade time in microseconds");
        yield return Case(Trade("\"t\":5512345678,", ""), NoTradeId, "no trade id");
        yield return Case(Trade("\"t\":5512345678", "\"t\":-1"), NoTradeId, "trade id negative");
        yield return Case(GoodTicker.Replace(",\"c\":\"84231.57000000\"", ""), NoPrice, "ticker without c (p is no price)");
        yield return Case(GoodTicker.Replace("\"c\":\"84231.57000000\"", "\"c\":\"x\""), PriceNotANumber, "ticker c not a number");
        yield return Case(GoodTicker.Replace("\"E\":1763800001000,", ""), NoTime, "ticker without event time");
        yield return Case(GoodKline.Replace(",\"k\":{\"t\":1763799960000,\"c\":\"84231.57000000\",\"x\":false}", ""), NoKline, "kline without k");
        yield return Case(GoodKline.Replace("{\"t\":1763799960000,\"c\":\"84231.57000000\",\"x\":false}", "[]"), NoKline, "kline k an array");
        yield return Case(GoodKline.Replace("\"c\":\"84231.57000000\"", "\"c\":\"-1\""), PriceNotPositive, "kline close negative");
        yield return Case(GoodKline.Replace(",\"c\":\"84231.57000000\"", ""), NoPrice, "kline without close");
    }

    [TestCaseSource(nameof(BadMessages))]
    public void EveryBadMessageIsRejectedWithItsReason(string json, string reason)
    {
        var message = _parser.Parse(Encoding.UTF8.GetBytes(json));

        Assert.That(message, Is.EqualTo(BinanceStreamMessage.Rejected(reason)));
    }

    [Test]
    public void InvalidUtf8InAStringIsRejected()
    {
        var bytes = Encoding.UTF8.GetBytes(GoodTrade.Replace("BTCUSDT", "BTC__DT"));
        var at = Array.IndexOf(bytes, (byte)'_');
        bytes[at] = 0xC3;
        bytes[at + 1] = 0x28;

        var message = _parser.Parse(bytes);

        Assert.That(message.Kind, Is.EqualTo(BinanceMessageKind.Rejected));
    }
}
