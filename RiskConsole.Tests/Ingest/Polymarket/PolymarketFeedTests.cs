using Microsoft.Extensions.Time.Testing;
using RiskConsole.Core.Contracts;
using RiskConsole.Core.Signals;
using static RiskConsole.Tests.Ingest.Polymarket.PolymarketFixtures;
using static RiskConsole.Tests.Ingest.Polymarket.PolymarketFrames;

namespace RiskConsole.Tests.Ingest.Polymarket;

/// <summary>
/// The real listener against the local Polymarket stand-in: what it asks Gamma, the subscribe frame it sends, the
/// PING it keeps up, and which events become which probability signals.
/// </summary>
public sealed class PolymarketFeedTests
{
    private const long T0 = FixtureTimestampMs;

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
    public async Task AsksGammaForTheMostActiveOpenMarketsThenSendsExactlyTheDocumentedSubscribeFrame()
    {
        // With one market followed, the frame must be the fixture itself: its tokens are that market's Yes and No.
        _run = PolymarketFeedRun.Start(_server, settings: new Dictionary<string, string?> { ["Ingest:Polymarket:MaxMarkets"] = "1" });

        var connection = await _server.ConnectionAsync(0);
        var subscribe = await connection.SubscribeFrame;
        await _run.Sink.WaitForConnectedAsync();

        Assert.Multiple(() =>
        {
            Assert.That(_server.GammaRequests.Select(r => r.PathAndQuery), Is.EqualTo(new[]
            {
                "/markets?active=true&closed=false&order=volume24hr&ascending=false&limit=100",
            }));
            Assert.That(subscribe, Is.EqualTo(Compact("polymarket_subscribe.json")));
            Assert.That(_run.Sink.ConnectedDetails.Single(), Is.EqualTo($"CLOB market channel {_server.ClobWebSocketUrl}: 1 markets from Gamma (2 tokens)"));
            Assert.That(_run.Feed.Source, Is.EqualTo(DataSources.Polymarket));
            Assert.That(_run.Feed.Endpoint, Is.EqualTo(_server.ClobWebSocketUrl));
            Assert.That(_run.Feed.SilenceTimeout, Is.EqualTo(TimeSpan.FromSeconds(30)));
        });
    }

    [Test]
    public async Task TheSubscribeFrameCarriesBothTokensOfEveryFollowedMarketMostActiveFirst()
    {
        _run = PolymarketFeedRun.Start(_server);

        var subscribe = await (await _server.ConnectionAsync(0)).SubscribeFrame;

        Assert.That(subscribe, Is.EqualTo(
            $$"""{"assets_ids":["{{ReachYesToken}}","{{ReachNoToken}}","{{DipYesToken}}","{{DipNoToken}}"],"type":"market","custom_feature_enabled":true}"""));
    }

    [Test]
    public async Task AKeywordKeepsOnlyMarketsWhoseQuestionContainsIt()
    {
        _run = PolymarketFeedRun.Start(_server, settings: new Dictionary<string, string?> { ["Ingest:Polymarket:Keyword"] = "DIP" });

        var subscribe = await (await _server.ConnectionAsync(0)).SubscribeFrame;

        Assert.That(subscribe, Does.Contain($"[\"{DipYesToken}\",\"{DipNoToken}\"]"));
        Assert.That(subscribe, Does.Not.Contain(ReachYesToken));
    }

    [Test]
    public async Task TheFixtureBookPublishesTheMidpointOfTheYesTokenStampedWithTheEventTime()
    {
        _run = PolymarketFeedRun.Start(_server);
        var connection = await _server.ConnectionAsync(0);

        await connection.SendTextAsync(Text("polymarket_book.json"));
        await _run.Sink.WaitForSignalsAsync(1);

        Assert.Multiple(() =>
        {
            Assert.That(_run.Sink.Signals, Is.EqualTo(new MarketSignal[]
            {
                // Bids 0.58/0.59/0.6 and asks 0.63/0.62/0.61, in the fixture's own order: best bid 0.6, best ask 0.61.
                new MarketProbability(ReachConditionId, ReachQuestion, 0.605, DateTimeOffset.FromUnixTimeMilliseconds(1763800004512)),
            }));
            Assert.That(_run.Sink.Signals[0].IsMock, Is.False);
            Assert.That(_run.Sink.Rejections, Is.Empty);
        });
    }

    [Test]
    public async Task OnlyAChangedProbabilityIsPublished()
    {
        _run = PolymarketFeedRun.Start(_server);
        var connection = await _server.ConnectionAsync(0);

        // The fixtures all say 0.6 / 0.61 (the last trade 0.61 does not matter while the spread is narrow), so only the
        // first of them publishes; the last frame moves the quote.
        await connection.SendTextAsync(Text("polymarket_book.json"));
        await connection.SendTextAsync(Text("polymarket_best_bid_ask.json"));
        await connection.SendTextAsync(Text("polymarket_price_change.json"));
        await connection.SendTextAsync(Text("polymarket_last_trade_price.json"));
        await connection.SendTextAsync(BestBidAsk(ReachYesToken, "0.62", "0.64", 1763800010000));
        await _run.Sink.WaitForSignalsAsync(2);

        Assert.Multiple(() =>
        {
            Assert.That(_run.Sink.Signals.Cast<MarketProbability>().Select(s => (s.Probability, s.Timestamp.ToUnixTimeMilliseconds())), Is.EqualTo(new[]
            {
                (0.605, 1763800004512L),
                (0.63, 1763800010000L),
            }));
            Assert.That(_run.Sink.Messages, Is.EqualTo(5));
            Assert.That(_run.Sink.Rejections, Is.Empty);
        });
    }

    [Test]
    public async Task AnArrayFrameCarriesSeveralEvents()
    {
        _run = PolymarketFeedRun.Start(_server);
        var connection = await _server.ConnectionAsync(0);

        await connection.SendTextAsync(Array(
            Book(ReachYesToken, "0.40", "0.42", T0),
            Book(DipYesToken, "0.08", "0.09", T0, DipConditionId),
            Text("polymarket_tick_size_change.json")));
        await _run.Sink.WaitForSignalsAsync(2);

        Assert.Multiple(() =>
        {
            Assert.That(_run.Sink.Signals.Cast<MarketProbability>().Select(s => (s.MarketId, s.Question, s.Probability)), Is.EqualTo(new[]
            {
                (ReachConditionId, ReachQuestion, 0.41),
                (DipConditionId, DipQuestion, 0.085),
            }));
            Assert.That(_run.Sink.Messages, Is.EqualTo(1), "one frame is one message");
            Assert.That(_run.Sink.Rejections, Is.Empty);
        });
    }

    [Test]
    public async Task EventsOfTheNoTokenAndOfMarketsNotFollowedPublishNothing()
    {
        _run = PolymarketFeedRun.Start(_server);
        var connection = await _server.ConnectionAsync(0);

        await connection.SendTextAsync(Book(ReachNoToken, "0.30", "0.32", T0));
        await connection.SendTextAsync(LastTradePrice(ReachNoToken, "0.31", T0));
        await connection.SendTextAsync(Book("123456789", "0.50", "0.52", T0, "0xother"));
        await connection.SendTextAsync(Book(ReachYesToken, "0.70", "0.72", T0));
        await _run.Sink.WaitForSignalsAsync(1);

        Assert.Multiple(() =>
        {
            Assert.That(_run.Sink.Signals.Cast<MarketProbability>().Select(s => s.Probability), Is.EqualTo(new[] { 0.71 }));
            Assert.That(_run.Sink.Rejections, Is.Empty);
        });
    }

    [Test]
    public async Task TheLastTradeStandsInWhenTheBookIsOneSidedOrItsSpreadIsWide()
    {
        _run = PolymarketFeedRun.Start(_server);
        var connection = await _server.ConnectionAsync(0);

        await connection.SendTextAsync(Book(ReachYesToken, "0.40", "", T0));             // bids only: no probability yet
        await connection.SendTextAsync(LastTradePrice(ReachYesToken, "0.42", T0 + 1));    // → 0.42
        await connection.SendTextAsync(BestBidAsk(ReachYesToken, "0.30", "0.55", T0 + 2)); // spread 0.25: still the trade
        await connection.SendTextAsync(BestBidAsk(ReachYesToken, "0.40", "0.46", T0 + 3)); // spread 0.06: midpoint 0.43
        await connection.SendTextAsync(PriceChange(ReachConditionId, T0 + 4, (ReachYesToken, "0", "1"))); // both sides empty: the trade again
        await _run.Sink.WaitForSignalsAsync(3);

        Assert.That(_run.Sink.Signals.Cast<MarketProbability>().Select(s => (s.Probability, s.Timestamp.ToUnixTimeMilliseconds() - T0)), Is.EqualTo(new[]
        {
            (0.42, 1L),
            (0.43, 3L),
            (0.42, 4L),
        }));
    }

    [Test]
    public async Task APriceChangeTakesTheBestBidAndAskOfItsYesEntry()
    {
        _run = PolymarketFeedRun.Start(_server);
        var connection = await _server.ConnectionAsync(0);

        await connection.SendTextAsync(PriceChange(ReachConditionId, T0, (ReachNoToken, "0.47", "0.49"), (ReachYesToken, "0.51", "0.53")));
        await _run.Sink.WaitForSignalsAsync(1);

        Assert.That(((MarketProbability)_run.Sink.Signals.Single()).Probability, Is.EqualTo(0.52));
    }

    [Test]
    public async Task TheYesTokenIsTheOneWhoseOutcomeIsYesWhereverItIsListed()
    {
        _server.MarketsJson = GammaList(GammaMarket("7", "Flipped?", "0xflipped", yesToken: "7001", noToken: "7002", 10, outcomes: ["No", "Yes"]));
        _run = PolymarketFeedRun.Start(_server);
        var connection = await _server.ConnectionAsync(0);

        await connection.SendTextAsync(Book("7002", "0.20", "0.22", T0, "0xflipped"));
        await connection.SendTextAsync(Book("7001", "0.78", "0.80", T0, "0xflipped"));
        await _run.Sink.WaitForSignalsAsync(1);

        Assert.Multiple(() =>
        {
            Assert.That(_run.Sink.Signals, Is.EqualTo(new MarketSignal[] { new MarketProbability("0xflipped", "Flipped?", 0.79, DateTimeOffset.FromUnixTimeMilliseconds(T0)) }));
            Assert.That(connection.SubscribeFrame.Result, Does.StartWith("""{"assets_ids":["7001","7002"]"""), "Yes first, whatever Gamma's order");
        });
    }

    [Test]
    public async Task TickSizeChangesUnknownEventTypesAndPongAreMessagesNotRejections()
    {
        _run = PolymarketFeedRun.Start(_server);
        var connection = await _server.ConnectionAsync(0);

        await connection.SendTextAsync(Text("polymarket_tick_size_change.json"));
        await connection.SendTextAsync("""{"event_type":"new_market","id":"9","question":"New?","market":"0xnew","timestamp":"1763800004512"}""");
        await connection.SendTextAsync("PONG");
        await connection.SendTextAsync("[]");
        await connection.SendTextAsync(Text("polymarket_book.json"));
        await _run.Sink.WaitForSignalsAsync(1);

        Assert.Multiple(() =>
        {
            Assert.That(_run.Sink.Messages, Is.EqualTo(5));
            Assert.That(_run.Sink.Rejections, Is.Empty);
        });
    }

    [Test]
    public async Task SendsTheTextPingEveryTenSecondsOnTheInjectedClockAndCountsEachPong()
    {
        var time = new FakeTimeProvider(IngestTestClock.Start);
        _run = PolymarketFeedRun.Start(_server, time);
        var connection = await _server.ConnectionAsync(0);

        time.Advance(TimeSpan.FromSeconds(9.9));
        await connection.SendTextAsync(Text("polymarket_book.json"));
        await _run.Sink.WaitForMessagesAsync(1);
        var pingsBefore = connection.Pings;
        time.Advance(TimeSpan.FromSeconds(0.1));
        await connection.WaitForPingsAsync(1);
        await _run.Sink.WaitForMessagesAsync(2);
        time.Advance(TimeSpan.FromSeconds(10));
        await connection.WaitForPingsAsync(2);
        await _run.Sink.WaitForMessagesAsync(3);

        Assert.Multiple(() =>
        {
            Assert.That(pingsBefore, Is.Zero, "no PING before ten seconds");
            Assert.That(connection.Received.Where(f => f == "PING").Count(), Is.EqualTo(2));
            Assert.That(_run.Sink.Messages, Is.EqualTo(3), "the book and two PONGs");
            Assert.That(_run.Sink.Rejections, Is.Empty);
        });
    }

    [Test]
    public async Task AMarketTheChannelAnnouncesAsResolvedIsUnsubscribedAtOnce()
    {
        _run = PolymarketFeedRun.Start(_server);
        var connection = await _server.ConnectionAsync(0);

        await connection.SendTextAsync(MarketResolved(ReachConditionId, ReachYesToken, T0));
        var unsubscribe = await connection.WaitForFrameAsync(f => f.Contains("unsubscribe", StringComparison.Ordinal));
        await connection.SendTextAsync(Book(ReachYesToken, "0.98", "0.99", T0 + 1));
        await connection.SendTextAsync(Book(DipYesToken, "0.08", "0.09", T0 + 1, DipConditionId));
        await _run.Sink.WaitForSignalsAsync(1);

        Assert.Multiple(() =>
        {
            Assert.That(unsubscribe, Is.EqualTo($$"""{"assets_ids":["{{ReachYesToken}}","{{ReachNoToken}}"],"operation":"unsubscribe","custom_feature_enabled":true}"""));
            Assert.That(_run.Sink.Signals.Cast<MarketProbability>().Select(s => s.MarketId), Is.EqualTo(new[] { DipConditionId }));
        });
    }

    [Test]
    public async Task AfterTheUpstreamDiesAndComesBackOnTheSamePortANewConnectionGetsLiveDataAgain()
    {
        _server.FramesAfterSubscribe = [Text("polymarket_book.json")];
        _run = PolymarketFeedRun.Start(_server);
        await _run.Sink.WaitForSignalsAsync(1);

        await _server.DieAsync();
        var failure = await _run.FailureAsync();
        await _server.RestartAsync();
        await using var second = PolymarketFeedRun.Start(_server);
        await second.Sink.WaitForSignalsAsync(1);

        Assert.Multiple(() =>
        {
            Assert.That(failure.Message, Does.StartWith("CLOB stream lost: "));
            Assert.That(second.Sink.Signals.Cast<MarketProbability>().Single().Probability, Is.EqualTo(0.605), "a new connection starts from nothing");
            Assert.That(_server.Connections, Has.Count.EqualTo(2));
        });
    }
}
