using System.Text;
using RiskConsole.Ingest.Polymarket;
using static RiskConsole.Tests.Ingest.Polymarket.PolymarketFixtures;
using static RiskConsole.Tests.Ingest.Polymarket.PolymarketFrames;

namespace RiskConsole.Tests.Ingest.Polymarket;

/// <summary>The market channel's recorded events (../shared/fixtures/feeds) and variations, read into updates of the followed Yes tokens.</summary>
public sealed class ClobFrameParserTests
{
    private const long T0 = FixtureTimestampMs;

    private readonly ClobFrameParser _parser = new();
    private readonly List<ClobUpdate> _updates = [];
    private readonly List<string> _rejections = [];
    private readonly List<FollowedMarket> _resolved = [];
    private FollowedMarkets _markets = null!;

    [SetUp]
    public void FollowTheFixtureMarkets()
    {
        var list = GammaMarketListParser.Parse(Bytes("gamma_markets.json"), 10, null);
        _markets = new FollowedMarkets(list.Markets.Select(m => new FollowedMarket(m)));
        _updates.Clear();
        _rejections.Clear();
        _resolved.Clear();
    }

    [Test]
    public void TheFixtureBookGivesTheBestBidAndAskWhateverTheLevelOrder()
    {
        var kind = Parse(Text("polymarket_book.json"));

        Assert.Multiple(() =>
        {
            Assert.That(kind, Is.EqualTo("Events"));
            Assert.That(Updates(), Is.EqualTo(new[] { (ReachConditionId, true, 0.6, 0.61, double.NaN, 1763800004512L) }));
            Assert.That(_rejections, Is.Empty);
        });
    }

    [Test]
    public void TheFixturePriceChangeGivesOnlyItsYesEntry()
    {
        Parse(Text("polymarket_price_change.json"));

        Assert.That(Updates(), Is.EqualTo(new[] { (ReachConditionId, true, 0.6, 0.61, double.NaN, 1763800006823L) }));
    }

    [Test]
    public void TheFixtureLastTradePriceGivesATrade()
    {
        Parse(Text("polymarket_last_trade_price.json"));

        Assert.That(Updates(), Is.EqualTo(new[] { (ReachConditionId, false, double.NaN, double.NaN, 0.61, 1763800009632L) }));
    }

    [Test]
    public void TheFixtureBestBidAskGivesAQuote()
    {
        Parse(Text("polymarket_best_bid_ask.json"));

        Assert.That(Updates(), Is.EqualTo(new[] { (ReachConditionId, true, 0.6, 0.61, double.NaN, 1763800006824L) }));
    }

    [Test]
    public void TheFixtureTickSizeChangeIsAMessageWithNothingInIt()
    {
        var kind = Parse(Text("polymarket_tick_size_change.json"));

        Assert.Multiple(() =>
        {
            Assert.That(kind, Is.EqualTo("Events"));
            Assert.That(_updates, Is.Empty);
            Assert.That(_rejections, Is.Empty);
        });
    }

    [Test]
    public void PongIsTheAnswerToPing()
    {
        Assert.That(Parse("PONG"), Is.EqualTo("Pong"));
    }

    [Test]
    public void AnArrayGivesEachOfItsEventsInOrder()
    {
        Parse(Array(Text("polymarket_book.json"), Text("polymarket_last_trade_price.json"), Book(DipYesToken, "0.08", "0.09", T0, DipConditionId)));

        Assert.That(Updates().Select(u => u.Market), Is.EqualTo(new[] { ReachConditionId, ReachConditionId, DipConditionId }));
    }

    [Test]
    public void TheDocumentedLeadingDotPricesAndABookLastTradeAreRead()
    {
        // The channel's own documentation writes prices as ".48".
        var frame = $$"""{"event_type":"book","asset_id":"{{ReachYesToken}}","bids":[{"price":".48","size":"30"}],"asks":[{"price":".52","size":"25"}],"last_trade_price":".50","timestamp":"{{T0}}"}""";

        Parse(frame);

        Assert.That(Updates(), Is.EqualTo(new[] { (ReachConditionId, true, 0.48, 0.52, 0.5, T0) }));
    }

    [TestCase("0", "1", double.NaN, double.NaN, TestName = "Best bid 0 and best ask 1 are empty sides")]
    [TestCase("0.4", "1", 0.4, double.NaN, TestName = "An ask of 1 is an empty ask side")]
    [TestCase("0", "0.6", double.NaN, 0.6, TestName = "A bid of 0 is an empty bid side")]
    public void TheChannelsPlaceholdersForAnEmptySideMeanNoPrice(string bid, string ask, double expectedBid, double expectedAsk)
    {
        Parse(BestBidAsk(ReachYesToken, bid, ask, T0));

        Assert.That(Updates().Select(u => (u.Bid, u.Ask)), Is.EqualTo(new[] { (expectedBid, expectedAsk) }));
    }

    [Test]
    public void LevelsOfSizeZeroAreNotTheBestPrice()
    {
        Parse(Book(ReachYesToken, ReachConditionId, [("0.55", "0"), ("0.50", "10")], [("0.56", "0"), ("0.60", "10")], T0));

        Assert.That(Updates().Select(u => (u.Bid, u.Ask)), Is.EqualTo(new[] { (0.5, 0.6) }));
    }

    [Test]
    public void EventsOfTheNoTokenAndOfTokensNotFollowedGiveNoUpdateAndNoRejection()
    {
        Parse(Array(Book(ReachNoToken, "0.3", "0.4", T0), Book("42", "0.3", "0.4", T0), LastTradePrice(DipNoToken, "0.9", T0)));

        Assert.Multiple(() =>
        {
            Assert.That(_updates, Is.Empty);
            Assert.That(_rejections, Is.Empty);
        });
    }

    [Test]
    public void UnknownEventTypesAreNotRejectionsWhateverTheyCarry()
    {
        Parse("""{"event_type":"new_market","price":{"odd":true},"assets_ids":["1","2"],"timestamp":"yesterday"}""");

        Assert.Multiple(() =>
        {
            Assert.That(_updates, Is.Empty);
            Assert.That(_rejections, Is.Empty);
        });
    }

    [Test]
    public void MarketResolvedNamesAFollowedMarketByItsConditionId()
    {
        Parse(Array(MarketResolved(DipConditionId, DipYesToken, T0), MarketResolved("0xnot-followed", "1", T0)));

        Assert.That(_resolved.Select(m => m.ConditionId), Is.EqualTo(new[] { DipConditionId }));
    }

    [Test]
    public void EscapedStringsAreReadToo()
    {
        var escapedToken = string.Concat(ReachYesToken.Select(c => $"\\u{(int)c:x4}"));
        var frame = $$"""{"event_type":"last_trade_price","asset_id":"{{escapedToken}}","price":"0\u002e42","timestamp":"{{T0}}"}""";

        Parse(frame);

        Assert.That(Updates(), Is.EqualTo(new[] { (ReachConditionId, false, double.NaN, double.NaN, 0.42, T0) }));
    }

    [TestCase("", "empty frame")]
    [TestCase("{", "invalid JSON")]
    [TestCase("\"book\"", "frame is neither an event object nor an array of events")]
    [TestCase("null", "frame is neither an event object nor an array of events")]
    [TestCase("""{"event_type":null}""", "event_type is not a string")]
    [TestCase("""{"event_type":"book","asset_id":7,"bids":[],"asks":[],"timestamp":"1763800004512"}""", "book: asset_id is not a string")]
    [TestCase("""{"event_type":"book","asset_id":"1","bids":[5],"asks":[],"timestamp":"1763800004512"}""", "book: bids[0] is not a {price, size} object")]
    [TestCase("""{"event_type":"book","asset_id":"1","bids":[{"price":"0.5"}],"asks":[],"timestamp":"1763800004512"}""", "book: bids[0] lacks a price or a size")]
    [TestCase("""{"event_type":"book","asset_id":"1","bids":[],"timestamp":"1763800004512"}""", "book: bids or asks missing")]
    [TestCase("""{"event_type":"book","asset_id":"1","bids":[],"asks":[]}""", "book: timestamp missing")]
    [TestCase("""{"event_type":"book","asset_id":"1","bids":[{"price":"0.7","size":"1"}],"asks":[{"price":"0.6","size":"1"}],"timestamp":"1763800004512"}""", "book: best bid above best ask")]
    [TestCase("""{"event_type":"last_trade_price","asset_id":"1","timestamp":"1763800004512"}""", "last_trade_price: price missing")]
    [TestCase("""{"event_type":"last_trade_price","asset_id":"1","price":true,"timestamp":"1763800004512"}""", "last_trade_price: price is not a number")]
    [TestCase("""{"event_type":"last_trade_price","asset_id":"1","price":"1,5","timestamp":"1763800004512"}""", "last_trade_price: price is not a number")]
    [TestCase("""{"event_type":"last_trade_price","asset_id":"1","price":"0.5","timestamp":"-5"}""", "last_trade_price: timestamp is not a whole number of milliseconds")]
    [TestCase("""{"event_type":"last_trade_price","asset_id":"1","price":"0.5","timestamp":"1763800004.512"}""", "last_trade_price: timestamp is not a whole number of milliseconds")]
    [TestCase("""{"event_type":"last_trade_price","asset_id":"1","price":"0.5","timestamp":"1763800004"}""", "last_trade_price: timestamp is not a plausible Unix time in milliseconds")]
    [TestCase("""{"event_type":"best_bid_ask","asset_id":"1","best_bid":"0.5","timestamp":"1763800004512"}""", "best_bid_ask: best_bid or best_ask missing")]
    [TestCase("""{"event_type":"best_bid_ask","asset_id":"1","best_bid":"0.5","best_ask":"1.01","timestamp":"1763800004512"}""", "best_bid_ask: best_ask is outside [0, 1]")]
    [TestCase("""{"event_type":"price_change","market":"m","price_changes":{},"timestamp":"1763800004512"}""", "price_change: price_changes is not an array")]
    [TestCase("""{"event_type":"price_change","market":"m","price_changes":[3],"timestamp":"1763800004512"}""", "price_change: price_changes[0] is not an object")]
    [TestCase("""{"event_type":"price_change","market":"m","price_changes":[{"asset_id":"1","best_bid":"0.6","best_ask":"0.5"}],"timestamp":"1763800004512"}""", "price_change: best bid above best ask")]
    [TestCase("""{"event_type":"market_resolved","winning_asset_id":"1","timestamp":"1763800004512"}""", "market_resolved: market missing")]
    [TestCase("""{"event_type":"book","asset_id":"1","bids":[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]],"asks":[],"timestamp":"1763800004512"}""", "invalid JSON")]
    public void ABrokenEventIsRejectedWithAReasonThatNamesWhatIsWrong(string frame, string reason)
    {
        Parse(frame);

        Assert.Multiple(() =>
        {
            Assert.That(_rejections, Is.EqualTo(new[] { reason }));
            Assert.That(_updates, Is.Empty);
        });
    }

    [Test]
    public void NothingOfAFrameThatBreaksHalfwayIsUsed()
    {
        var kind = Parse($"[{Text("polymarket_book.json")},{{\"event_type\":\"book\",\"bids\":5}},{{");

        Assert.Multiple(() =>
        {
            Assert.That(kind, Is.EqualTo("Rejected"));
            Assert.That(_updates, Is.Empty);
            Assert.That(_rejections, Is.EqualTo(new[] { "invalid JSON" }), "not the element's reason as well");
        });
    }

    [Test]
    public void AValidFrameAllocatesNothing()
    {
        var book = Bytes("polymarket_book.json");
        var change = Bytes("polymarket_price_change.json");
        var updates = new List<ClobUpdate>(16);
        var rejections = new List<string>(16);
        var resolved = new List<FollowedMarket>(16);
        _parser.Parse(book, _markets, updates, rejections, resolved);
        _parser.Parse(change, _markets, updates, rejections, resolved);
        updates.Clear();

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            _parser.Parse(book, _markets, updates, rejections, resolved);
            _parser.Parse(change, _markets, updates, rejections, resolved);
            updates.Clear();
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(allocated, Is.Zero, "no string, no boxing, no list growth per frame");
    }

    private string Parse(string frame) =>
        _parser.Parse(Encoding.UTF8.GetBytes(frame), _markets, _updates, _rejections, _resolved).ToString();

    private List<(string Market, bool Quote, double Bid, double Ask, double Trade, long At)> Updates() =>
        [.. _updates.Select(u => (u.Market.ConditionId, u.HasQuote, u.BestBid, u.BestAsk, u.TradePrice, u.TimestampMs))];
}
