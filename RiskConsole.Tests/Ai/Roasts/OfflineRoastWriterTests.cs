using System.Collections.Immutable;
using RiskConsole.Ai.Roasts;
using RiskConsole.Core.Contracts;

namespace RiskConsole.Tests.Ai.Roasts;

public sealed class OfflineRoastWriterTests
{
    private static readonly IReadOnlyDictionary<string, double> NoPrices = ImmutableDictionary<string, double>.Empty;
    private static readonly IReadOnlyDictionary<string, double> NoMarkets = ImmutableDictionary<string, double>.Empty;
    private static readonly IReadOnlyList<(string Text, double Sentiment)> NoPosts = [];

    private static RiskComponents Components(
        double? crypto = null,
        double? polymarket = null,
        double? reddit = null,
        int elevated = 0,
        string? riskiestSymbol = null,
        double? cryptoVolatility = null,
        double? redditSentiment = null) =>
        new(crypto, polymarket, reddit, Raw: 0.5, Amplification: 1, elevated, riskiestSymbol, cryptoVolatility,
            PolymarketRepricing: 0, PolymarketShock: 0, redditSentiment, WarmingUp: false, CryptoStale: false, PolymarketStale: false, RedditStale: false);

    private static RoastContext CryptoDriven() => new(
        Score: 80.6,
        Components(crypto: 0.9, polymarket: 0.3, reddit: 0.4, elevated: 1, riskiestSymbol: "BTCUSDT", cryptoVolatility: 1.43),
        new Dictionary<string, double> { ["BTCUSDT"] = 67012.35, ["ETHUSDT"] = 3120.5 },
        NoMarkets,
        NoPosts,
        Forced: false);

    private static RoastContext RedditDriven() => new(
        Score: 78.2,
        Components(crypto: 0.2, polymarket: 0.3, reddit: 0.85, elevated: 1, riskiestSymbol: "ETHUSDT", redditSentiment: -0.7),
        new Dictionary<string, double> { ["ETHUSDT"] = 3120.5 },
        NoMarkets,
        [("YOLO into puts, see you on the other side", -0.8), ("fine day", 0.3)],
        Forced: false);

    private static RoastContext PolymarketDriven() => new(
        Score: 76,
        Components(crypto: 0.1, polymarket: 0.8, reddit: 0.3),
        NoPrices,
        new Dictionary<string, double> { ["Will BTC close above 100k?"] = 0.93, ["Rate cut in March?"] = 0.55 },
        NoPosts,
        Forced: false);

    private static RoastContext OnFire() => new(
        Score: 96.4,
        Components(crypto: 0.9, polymarket: 0.8, reddit: 0.85, elevated: 3, riskiestSymbol: "SOLUSDT", cryptoVolatility: 2.1, redditSentiment: -0.62),
        new Dictionary<string, double> { ["SOLUSDT"] = 142.257 },
        new Dictionary<string, double> { ["Recession in 2026?"] = 0.88 },
        [("we are so back, no wait", -0.5)],
        Forced: false);

    private static RoastContext CalmForced() => new(
        Score: 12.4,
        Components(crypto: 0.1, polymarket: 0.1, reddit: 0.2, riskiestSymbol: "BTCUSDT", cryptoVolatility: 0.2),
        new Dictionary<string, double> { ["BTCUSDT"] = 67012.35 },
        NoMarkets,
        NoPosts,
        Forced: true);

    public static IEnumerable<TestCaseData> Situations()
    {
        yield return new TestCaseData(CryptoDriven(), "81").SetName("crypto-driven");
        yield return new TestCaseData(RedditDriven(), "78").SetName("reddit-driven");
        yield return new TestCaseData(PolymarketDriven(), "76").SetName("polymarket-driven");
        yield return new TestCaseData(OnFire(), "96").SetName("everything on fire");
        yield return new TestCaseData(CalmForced(), "12").SetName("calm but forced");
    }

    [Test]
    public void NameIsOffline() => Assert.That(new OfflineRoastWriter().Name, Is.EqualTo("offline"));

    [TestCaseSource(nameof(Situations))]
    public async Task EveryRoastMentionsTheRoundedScoreAndFitsTheLimit(RoastContext context, string roundedScore)
    {
        var writer = new OfflineRoastWriter(new Random(7));
        for (var i = 0; i < 40; i++)
        {
            var roast = await writer.WriteAsync(context, CancellationToken.None);
            Assert.That(roast, Does.Contain(roundedScore + "/100"));
            Assert.That(roast, Has.Length.InRange(1, OfflineRoastWriter.MaxLength));
        }
    }

    [Test]
    public async Task CryptoDrivenRoastsNameTheRiskiestSymbolItsPriceAndVolatility()
    {
        var writer = new OfflineRoastWriter(new Random(1));
        for (var i = 0; i < 30; i++)
        {
            var roast = await writer.WriteAsync(CryptoDriven(), CancellationToken.None);
            Assert.That(roast, Does.Contain("BTCUSDT at $67,012"));
            Assert.That(roast, Does.Contain("143% annualized volatility"));
            Assert.That(roast, Does.Not.Contain("ETHUSDT"), "the riskiest symbol, not any symbol");
        }
    }

    [Test]
    public async Task OnFireAndCalmRoastsAlsoNameTheRiskiestSymbolAndPrice()
    {
        var writer = new OfflineRoastWriter(new Random(3));
        for (var i = 0; i < 30; i++)
        {
            Assert.That(await writer.WriteAsync(OnFire(), CancellationToken.None), Does.Contain("SOLUSDT at $142.26"));
            Assert.That(await writer.WriteAsync(CalmForced(), CancellationToken.None), Does.Contain("BTCUSDT at $67,012"));
        }
    }

    [Test]
    public async Task RedditDominantRoastsTalkAboutReddit()
    {
        var writer = new OfflineRoastWriter(new Random(2));
        var quotedThePost = 0;
        for (var i = 0; i < 30; i++)
        {
            var roast = await writer.WriteAsync(RedditDriven(), CancellationToken.None);
            Assert.That(roast, Does.Contain("Reddit"));
            Assert.That(roast, Does.Not.Contain("fine day"), "the gloomiest post is the one quoted");
            if (roast.Contains("YOLO into puts", StringComparison.Ordinal))
            {
                quotedThePost++;
            }
        }

        Assert.That(quotedThePost, Is.GreaterThan(15), "most Reddit templates quote the post");
    }

    [Test]
    public async Task PolymarketDominantRoastsQuoteTheMostExtremeMarketAndItsProbability()
    {
        var writer = new OfflineRoastWriter(new Random(4));
        for (var i = 0; i < 30; i++)
        {
            var roast = await writer.WriteAsync(PolymarketDriven(), CancellationToken.None);
            Assert.That(roast, Does.Contain("\"Will BTC close above 100k?\" at 93%"));
            Assert.That(roast, Does.Match("(?i)prediction[- ]market"));
        }
    }

    [Test]
    public async Task ForcedCalmRoastsSayTheUserPressedTheButtonAndUnforcedOnesDoNot()
    {
        var writer = new OfflineRoastWriter(new Random(5));
        var unforced = CalmForced() with { Forced = false };
        for (var i = 0; i < 30; i++)
        {
            var forcedRoast = await writer.WriteAsync(CalmForced(), CancellationToken.None);
            var calmRoast = await writer.WriteAsync(unforced, CancellationToken.None);
            Assert.That(forcedRoast, Does.Match("(?i)forced|button|manual|summoned"));
            Assert.That(calmRoast, Does.Not.Match("(?i)forced|button|manual|summoned"));
        }
    }

    public static IEnumerable<TestCaseData> SparseContexts()
    {
        yield return new TestCaseData(new RoastContext(50, Components(), NoPrices, NoMarkets, NoPosts, Forced: false)).SetName("no data at all");
        yield return new TestCaseData(new RoastContext(99, Components(), NoPrices, NoMarkets, NoPosts, Forced: true)).SetName("no components, forced");
        yield return new TestCaseData(new RoastContext(double.NaN, Components(crypto: 0.9), NoPrices, NoMarkets, NoPosts, Forced: false)).SetName("NaN score");
        yield return new TestCaseData(new RoastContext(88, Components(crypto: 0.9, riskiestSymbol: "BTCUSDT"), NoPrices, NoMarkets, NoPosts, Forced: false)).SetName("riskiest symbol without price");
        yield return new TestCaseData(new RoastContext(88, Components(reddit: 0.9), NoPrices, NoMarkets, [("   ", -1), ("", double.NaN)], Forced: false)).SetName("blank posts");
        yield return new TestCaseData(new RoastContext(88, Components(polymarket: 0.9), NoPrices, new Dictionary<string, double> { ["Q?"] = double.NaN, [" "] = 0.9 }, NoPosts, Forced: false)).SetName("unusable markets");
        yield return new TestCaseData(new RoastContext(95, Components(crypto: 0.9, polymarket: 0.9, reddit: 0.9, elevated: 3), NoPrices, NoMarkets, NoPosts, Forced: false)).SetName("on fire without details");
        yield return new TestCaseData(new RoastContext(-20, null!, null!, null!, null!, Forced: false)).SetName("null members from a careless caller");
    }

    [TestCaseSource(nameof(SparseContexts))]
    public async Task SparseContextNeverThrowsAndStillWritesARoast(RoastContext context)
    {
        var writer = new OfflineRoastWriter(new Random(11));
        for (var i = 0; i < 20; i++)
        {
            var roast = await writer.WriteAsync(context, CancellationToken.None);
            Assert.That(roast, Is.Not.Empty.And.Not.Contains("{"));
            Assert.That(roast, Has.Length.AtMost(OfflineRoastWriter.MaxLength));
        }
    }

    [Test]
    public async Task HugeQuestionsPostsAndSymbolsAreShortenedToFitTheLimit()
    {
        var longText = string.Join(' ', Enumerable.Repeat("panic\n\"selling\"", 200));
        var context = new RoastContext(
            97,
            Components(crypto: 0.9, polymarket: 0.9, reddit: 0.9, elevated: 3, riskiestSymbol: new string('X', 300), cryptoVolatility: 5, redditSentiment: -1),
            new Dictionary<string, double> { [new string('X', 300)] = 1e12 },
            new Dictionary<string, double> { [longText] = 0.99 },
            [(longText, -1)],
            Forced: false);
        var writer = new OfflineRoastWriter(new Random(13));
        for (var i = 0; i < 50; i++)
        {
            var roast = await writer.WriteAsync(context, CancellationToken.None);
            Assert.That(roast, Has.Length.AtMost(OfflineRoastWriter.MaxLength));
            Assert.That(roast, Does.Contain("97/100"));
            Assert.That(roast, Does.Not.Contain("\n"));
        }
    }

    [Test]
    public async Task FiftyCallsWithAFixedSeedAreVariedAndNeverRepeatBackToBack()
    {
        var writer = new OfflineRoastWriter(new Random(42));
        var roasts = new List<string>();
        for (var i = 0; i < 50; i++)
        {
            roasts.Add(await writer.WriteAsync(CryptoDriven(), CancellationToken.None));
        }

        var distinct = roasts.Distinct(StringComparer.Ordinal).Count();
        await TestContext.Out.WriteLineAsync($"distinct crypto-driven roasts out of 50: {distinct}");

        // Measured: 33 distinct with seed 42 (seeds 0–999: min 24, mean 31.5, max 37) out of 6 × 8 = 48
        // fact/punchline pairs. The bound is just under the measurement so a real loss of variety fails.
        Assert.That(distinct, Is.GreaterThanOrEqualTo(30));
        for (var i = 1; i < roasts.Count; i++)
        {
            Assert.That(roasts[i], Is.Not.EqualTo(roasts[i - 1]), $"call {i} repeated call {i - 1}");
        }
    }

    [Test]
    public async Task TheSameSeedGivesTheSameSequence()
    {
        var first = new OfflineRoastWriter(new Random(99));
        var second = new OfflineRoastWriter(new Random(99));
        var contexts = new[] { CryptoDriven(), RedditDriven(), PolymarketDriven(), OnFire(), CalmForced() };
        for (var i = 0; i < 25; i++)
        {
            var context = contexts[i % contexts.Length];
            Assert.That(
                await second.WriteAsync(context, CancellationToken.None),
                Is.EqualTo(await first.WriteAsync(context, CancellationToken.None)));
        }
    }

    [Test]
    [SetCulture("de-DE")]
    public async Task NumbersAreFormattedCultureInvariantly()
    {
        var writer = new OfflineRoastWriter(new Random(6));
        for (var i = 0; i < 10; i++)
        {
            var crypto = await writer.WriteAsync(CryptoDriven(), CancellationToken.None);
            var fire = await writer.WriteAsync(OnFire(), CancellationToken.None);
            Assert.That(crypto, Does.Contain("$67,012").And.Not.Contain("67.012"));
            Assert.That(fire, Does.Contain("$142.26").And.Not.Contain("142,26"));
        }
    }

    [Test]
    public void ACancelledTokenIsHonoured()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.That(
            async () => await new OfflineRoastWriter().WriteAsync(CryptoDriven(), cancelled.Token),
            Throws.InstanceOf<OperationCanceledException>());
    }
}
