using RiskConsole.Ingest.Polymarket;
using static RiskConsole.Tests.Ingest.Polymarket.PolymarketFixtures;

namespace RiskConsole.Tests.Ingest.Polymarket;

/// <summary>A followed market's probability of "Yes" and when it is worth publishing.</summary>
public sealed class FollowedMarketTests
{
    private const double MaxSpread = 0.10;

    [TestCase(0.60, 0.61, double.NaN, 0.605, TestName = "The midpoint of a narrow spread")]
    [TestCase(0.45, 0.55, 0.9, 0.5, TestName = "A spread of exactly 0.10 still gives the midpoint")]
    [TestCase(0.30, 0.55, 0.42, 0.42, TestName = "A wide spread gives the last trade")]
    [TestCase(0.30, 0.55, double.NaN, 0.425, TestName = "A wide spread with no trade yet gives its midpoint")]
    [TestCase(0.40, double.NaN, 0.41, 0.41, TestName = "A one-sided book gives the last trade")]
    [TestCase(double.NaN, 0.40, double.NaN, double.NaN, TestName = "A one-sided book with no trade gives nothing")]
    [TestCase(double.NaN, double.NaN, double.NaN, double.NaN, TestName = "Nothing known gives nothing")]
    public void TheProbabilityIsTheMidpointElseTheLastTrade(double bid, double ask, double trade, double expected)
    {
        Assert.That(FollowedMarket.Probability(bid, ask, trade, MaxSpread), Is.EqualTo(expected));
    }

    [Test]
    public void OnlyAChangeIsReturnedForPublishing()
    {
        var market = Market();

        var first = market.Apply(Quote(0.60, 0.61, 1000), MaxSpread);
        var same = market.Apply(Quote(0.60, 0.61, 2000), MaxSpread);
        var tradeInsideTheSpread = market.Apply(Trade(0.61, 3000), MaxSpread);
        var moved = market.Apply(Quote(0.62, 0.64, 4000), MaxSpread);

        Assert.That(new[] { first, same, tradeInsideTheSpread, moved }, Is.EqualTo(new[] { 0.605, double.NaN, double.NaN, 0.63 }));
    }

    [Test]
    public void AnEventOlderThanOneAlreadyAppliedChangesNothing()
    {
        var market = Market();
        market.Apply(Quote(0.60, 0.61, 2000), MaxSpread);

        var stale = market.Apply(Quote(0.10, 0.12, 1999), MaxSpread);
        var sameMillisecond = market.Apply(Quote(0.20, 0.22, 2000), MaxSpread);

        Assert.Multiple(() =>
        {
            Assert.That(stale, Is.NaN);
            Assert.That(sameMillisecond, Is.EqualTo(0.21), "events of one millisecond all count");
        });
    }

    [Test]
    public void ATradeKeepsTheQuoteAndAQuoteKeepsTheTrade()
    {
        var market = Market();
        market.Apply(Trade(0.55, 1000), MaxSpread);
        market.Apply(Quote(0.50, double.NaN, 2000), MaxSpread);

        Assert.Multiple(() =>
        {
            Assert.That((market.BestBid, market.BestAsk, market.LastTrade), Is.EqualTo((0.50, double.NaN, 0.55)));
            Assert.That(FollowedMarket.Probability(market.BestBid, market.BestAsk, market.LastTrade, MaxSpread), Is.EqualTo(0.55));
        });
    }

    private static FollowedMarket Market() =>
        new(new GammaMarket("684512", ReachConditionId, ReachQuestion, ReachYesToken, ReachNoToken, double.NaN, 0));

    private static ClobUpdate Quote(double bid, double ask, long at) => new(null!, true, bid, ask, double.NaN, at);

    private static ClobUpdate Trade(double price, long at) => new(null!, false, double.NaN, double.NaN, price, at);
}
