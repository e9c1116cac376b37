using System.Text;
using RiskConsole.Ingest.Polymarket;
using static RiskConsole.Tests.Ingest.Polymarket.PolymarketFixtures;
using static RiskConsole.Tests.Ingest.Polymarket.PolymarketFrames;

namespace RiskConsole.Tests.Ingest.Polymarket;

/// <summary>Gamma's market list (gamma_markets.json and variations) into the markets to follow.</summary>
public sealed class GammaMarketListParserTests
{
    [Test]
    public void TheFixtureGivesItsTwoBinaryMarketsWithTheEncodedFieldsParsedTwice()
    {
        var list = GammaMarketListParser.Parse(Bytes("gamma_markets.json"), maxMarkets: 10, keyword: null);

        Assert.Multiple(() =>
        {
            Assert.That(list.Markets, Is.EqualTo(new[]
            {
                new GammaMarket("684512", ReachConditionId, ReachQuestion, ReachYesToken, ReachNoToken, 0.605, 734512.55),
                new GammaMarket("684513", DipConditionId, DipQuestion, DipYesToken, DipNoToken, 0.085, 81233.1),
            }));
            Assert.That(list.Listed, Is.EqualTo(2));
            Assert.That(list.Unusable, Is.Zero);
            Assert.That(list.FirstUnusableReason, Is.Null);
        });
    }

    [Test]
    public void TheMostActiveComeFirstAndNoMoreThanMaxMarkets()
    {
        // Listed least active first, as a Gamma that ignored "order" would.
        var json = GammaList([.. Enumerable.Range(1, 5).Select(n => NumberedMarket(n, volume24hr: n * 100))]);

        var list = Parse(json, maxMarkets: 3);

        Assert.That(list.Markets.Select(m => m.GammaId), Is.EqualTo(new[] { "5", "4", "3" }));
    }

    [Test]
    public void AKeywordMatchesTheQuestionIgnoringCaseBeforeTheCountIsTaken()
    {
        var list = GammaMarketListParser.Parse(Bytes("gamma_markets.json"), maxMarkets: 1, keyword: "DIP TO");

        Assert.That(list.Markets.Select(m => m.ConditionId), Is.EqualTo(new[] { DipConditionId }));
    }

    [Test]
    public void TheYesTokenIsTakenByTheIndexOfTheOutcomeYes()
    {
        var json = """[{"id":"9","question":"Q?","conditionId":"0x9","outcomes":"[\"No\", \"Yes\"]","outcomePrices":"[\"0.3\", \"0.7\"]","clobTokenIds":"[\"111\", \"222\"]"}]""";

        var market = Parse(json).Markets.Single();

        Assert.Multiple(() =>
        {
            Assert.That(market.YesTokenId, Is.EqualTo("222"));
            Assert.That(market.NoTokenId, Is.EqualTo("111"));
            Assert.That(market.YesPrice, Is.EqualTo(0.7));
        });
    }

    [Test]
    public void RealArraysAreTakenAsWellAsEncodedOnes()
    {
        var json = """[{"id":"9","question":"Q?","conditionId":"0x9","outcomes":["Yes","No"],"clobTokenIds":["111","222"]}]""";

        var market = Parse(json).Markets.Single();

        Assert.That((market.YesTokenId, market.NoTokenId, double.IsNaN(market.YesPrice)), Is.EqualTo(("111", "222", true)));
    }

    public static IEnumerable<TestCaseData> UnusableMarkets()
    {
        yield return Case("""{"id":"1","question":"Q?","conditionId":"0x1","outcomes":"[\"A\",\"B\",\"C\"]","clobTokenIds":"[\"1\",\"2\",\"3\"]"}""", "market 1 is not binary (3 outcomes)", "three outcomes");
        yield return Case("""{"id":"1","question":"Q?","conditionId":"0x1","outcomes":"[\"Up\",\"Down\"]","clobTokenIds":"[\"1\",\"2\"]"}""", "market 1 is not a Yes/No market (outcomes Up/Down)", "Up/Down");
        yield return Case("""{"id":"1","question":"Q?","conditionId":"0x1","outcomes":"[\"Yes\",\"No\"]"}""", "market 1 has no usable pair of clobTokenIds", "no token ids");
        yield return Case("""{"id":"1","question":"Q?","conditionId":"0x1","outcomes":"[\"Yes\",\"No\"]","clobTokenIds":"[\"1\",\"1\"]"}""", "market 1 has no usable pair of clobTokenIds", "the same token twice");
        yield return Case("""{"id":"1","question":"Q?","conditionId":"0x1","outcomes":"[\"Yes\",\"No\"]","clobTokenIds":"[\"1\",\"\"]"}""", "market 1 has no usable pair of clobTokenIds", "an empty token id");
        yield return Case("""{"id":"1","question":"Q?","conditionId":"0x1","outcomes":"[\"Yes\",\"No\"]","clobTokenIds":"[\"1\",\"2\"]","closed":true}""", "market 1 is closed or inactive", "closed");
        yield return Case("""{"id":"1","question":"Q?","conditionId":"0x1","outcomes":"[\"Yes\",\"No\"]","clobTokenIds":"[\"1\",\"2\"]","active":false}""", "market 1 is closed or inactive", "inactive");
        yield return Case("""{"id":"1","question":"Q?","conditionId":"0x1","outcomes":"[\"Yes\",\"No\"]","clobTokenIds":"[\"1\",\"2\"]","enableOrderBook":false}""", "market 1 has no order book", "no order book");
        yield return Case("""{"id":"1","question":"Q?","outcomes":"[\"Yes\",\"No\"]","clobTokenIds":"[\"1\",\"2\"]"}""", "market 1 has no usable conditionId", "no condition id");
        yield return Case("""{"id":"1","conditionId":"0x1","outcomes":"[\"Yes\",\"No\"]","clobTokenIds":"[\"1\",\"2\"]"}""", "market 1 has no question", "no question");
        yield return Case("""{"id":"1","question":"Q?","conditionId":"0x1","outcomes":7,"clobTokenIds":"[\"1\",\"2\"]"}""", "market 1: outcomes is a number, not a JSON-encoded list", "outcomes a number");
        yield return Case("""{"id":"1","question":"Q?","conditionId":"0x1","outcomes":"[\"Yes\",","clobTokenIds":"[\"1\",\"2\"]"}""", "market 1: outcomes is not valid JSON inside its string", "outcomes broken inside");
        yield return Case("""{"id":"1","question":"Q?","conditionId":"0x1","outcomes":"{\"a\":1}","clobTokenIds":"[\"1\",\"2\"]"}""", "market 1: outcomes is not a JSON-encoded list of strings", "outcomes an encoded object");
        yield return Case("""{"id":"1","question":"Q?","conditionId":"0x1","outcomes":"[\"Yes\",\"No\"]","clobTokenIds":"[{},\"2\"]"}""", "market 1: clobTokenIds is not a JSON-encoded list of strings", "token ids of objects");
        yield return Case("42", "list element 1 is a number, not a market object", "not an object");

        static TestCaseData Case(string market, string reason, string name) => new TestCaseData(market, reason).SetArgDisplayNames(name);
    }

    [TestCaseSource(nameof(UnusableMarkets))]
    public void AMarketThatCannotBeFollowedIsSkippedWithItsReasonAndTheOthersStay(string market, string reason)
    {
        var json = $"[{market},{NumberedMarket(2, 10).ToJsonString()}]";

        var list = Parse(json);

        Assert.Multiple(() =>
        {
            Assert.That(list.Markets.Select(m => m.GammaId), Is.EqualTo(new[] { "2" }));
            Assert.That(list.Listed, Is.EqualTo(2));
            Assert.That(list.Unusable, Is.EqualTo(1));
            Assert.That(list.FirstUnusableReason, Is.EqualTo(reason));
        });
    }

    [Test]
    public void AMarketListedTwiceIsFollowedOnce()
    {
        var list = Parse(GammaList(NumberedMarket(1, 20), NumberedMarket(1, 10), NumberedMarket(2, 5)));

        Assert.That(list.Markets.Select(m => m.GammaId), Is.EqualTo(new[] { "1", "2" }));
    }

    [Test]
    public void AnOverlongQuestionIsCut()
    {
        var market = NumberedMarket(1, 1);
        market["question"] = new string('q', 2000);

        var question = Parse(GammaList(market)).Markets.Single().Question;

        Assert.That(question, Has.Length.EqualTo(500).And.EndWith("…"));
    }

    [TestCase("", "Gamma's market list is empty (no JSON at all).")]
    [TestCase("nope", "Gamma's market list is not valid JSON (line 1, byte 2).")]
    [TestCase("""{"markets":[]}""", "Gamma's market list is not a JSON array of markets (it starts with an object).")]
    [TestCase("[] []", "Gamma's market list is not valid JSON (line 1, byte 4).")]
    [TestCase("[{\"id\":", "Gamma's market list is not valid JSON (line 1, byte 8).")]
    public void AnAnswerThatIsNotAJsonArrayIsAnError(string json, string message)
    {
        Assert.That(() => Parse(json), Throws.TypeOf<InvalidDataException>().With.Message.EqualTo(message));
    }

    private static GammaMarketList Parse(string json, int maxMarkets = 10) =>
        GammaMarketListParser.Parse(Encoding.UTF8.GetBytes(json), maxMarkets, keyword: null);
}
