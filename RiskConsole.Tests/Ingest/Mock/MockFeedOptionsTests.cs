using Microsoft.Extensions.Configuration;
using RiskConsole.Ingest.Mock;

namespace RiskConsole.Tests.Ingest.Mock;

public sealed class MockFeedOptionsTests
{
    [Test]
    public void DefaultsAreValid() => Assert.That(new MockFeedOptions().Validate(), Is.Empty);

    public static IEnumerable<TestCaseData> BadSettings()
    {
        yield return new TestCaseData(new MockFeedOptions { PriceTicksPerSecond = 0 },
            "Ingest:Mock:PriceTicksPerSecond must be between 0.1 and 1000 (was 0).").SetName("no price ticks");
        yield return new TestCaseData(new MockFeedOptions { MarketUpdatesPerSecond = double.NaN },
            "Ingest:Mock:MarketUpdatesPerSecond must be between 0.01 and 1000 (was NaN).").SetName("NaN market rate");
        yield return new TestCaseData(new MockFeedOptions { RedditPostsPerSecond = 500 },
            "Ingest:Mock:RedditPostsPerSecond must be between 0.01 and 100 (was 500).").SetName("Reddit flood");
        yield return new TestCaseData(new MockFeedOptions { StormVolatilityMin = 5, StormVolatilityMax = 4 },
            "Ingest:Mock:StormVolatilityMin must not exceed Ingest:Mock:StormVolatilityMax (was 5 > 4).").SetName("storm range inverted");
        yield return new TestCaseData(new MockFeedOptions { MeanStormSeconds = 0 },
            "Ingest:Mock:MeanStormSeconds must be between 1 and 86400 (was 0).").SetName("zero storm");
        yield return new TestCaseData(new MockFeedOptions { Symbols = ["BTCUSDT", " "] },
            "Ingest:Mock:Symbols:1 must not be empty.").SetName("blank symbol");
        yield return new TestCaseData(new MockFeedOptions { Subreddits = ["Bitcoin", "bitcoin"] },
            "Ingest:Mock:Subreddits lists \"Bitcoin\" more than once.").SetName("duplicate subreddit");
        yield return new TestCaseData(new MockFeedOptions { StartPrices = new() { ["ADAUSDT"] = -1 } },
            "Ingest:Mock:StartPrices:ADAUSDT must be between 1E-06 and 1000000000 (was -1).").SetName("negative start price");
    }

    [TestCaseSource(nameof(BadSettings))]
    public void EachBadValueIsReportedByItsKey(MockFeedOptions options, string expected) =>
        Assert.That(options.Validate(), Does.Contain(expected));

    [Test]
    public void ConfiguredListsReplaceTheDefaultsAndStartPricesMergeOverThem()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ingest:Mock:Symbols:0"] = "ADAUSDT",
            ["Ingest:Mock:Subreddits:0"] = "ethtrader",
            ["Ingest:Mock:StartPrices:adausdt"] = "0.9",
            ["Ingest:Mock:Seed"] = "77",
        }).Build();

        var options = configuration.GetSection(MockFeedOptions.SectionName).Get<MockFeedOptions>()!;

        Assert.Multiple(() =>
        {
            Assert.That(options.EffectiveSymbols, Is.EqualTo(new[] { "ADAUSDT" }));
            Assert.That(options.EffectiveSubreddits, Is.EqualTo(new[] { "ethtrader" }));
            Assert.That(options.StartPriceOf("ADAUSDT"), Is.EqualTo(0.9));
            Assert.That(options.StartPriceOf("BTCUSDT"), Is.EqualTo(90_000));
            Assert.That(options.Seed, Is.EqualTo(77));
            Assert.That(new MockFeedOptions().EffectiveSymbols, Is.EqualTo(new[] { "BTCUSDT", "ETHUSDT", "SOLUSDT" }));
        });
    }
}
