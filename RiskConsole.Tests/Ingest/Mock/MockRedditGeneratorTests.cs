using RiskConsole.Core.Signals;
using RiskConsole.Ingest.Mock;

namespace RiskConsole.Tests.Ingest.Mock;

public sealed class MockRedditGeneratorTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public void SameSeedGivesIdenticalPostsAndADifferentSeedDoesNot()
    {
        var first = Generate(seed: 42, TimeSpan.FromMinutes(5), out _);
        Assert.Multiple(() =>
        {
            Assert.That(first, Is.Not.Empty);
            Assert.That(Generate(seed: 42, TimeSpan.FromMinutes(5), out _), Is.EqualTo(first));
            Assert.That(Generate(seed: 43, TimeSpan.FromMinutes(5), out _), Is.Not.EqualTo(first));
        });
    }

    [Test]
    public void PostsAreShortScoredMockAndAttributedToTheConfiguredSubreddits()
    {
        var span = TimeSpan.FromMinutes(30);
        var posts = Generate(seed: 1, span, out _);
        var gaps = posts.Zip(posts.Skip(1), (a, b) => (b.Timestamp - a.Timestamp).TotalSeconds).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(posts.Select(p => p.Compound), Is.All.InRange(-1.0, 1.0));
            Assert.That(posts.Select(p => p.IsMock), Is.All.True);
            Assert.That(posts.Select(p => p.Text.Length), Is.All.InRange(1, MockRedditGenerator.MaxTextLength));
            Assert.That(posts.Select(p => p.SourceId).Distinct(), Is.EquivalentTo(new[] { "r/CryptoCurrency", "r/Bitcoin", "r/wallstreetbets" }));
            Assert.That(gaps, Is.All.InRange(2.0, 3.0), "one post every 2–3 s by default");
            Assert.That(posts.Count(p => p.Compound > 0.05), Is.GreaterThan(posts.Count / 5), "bullish posts score positive");
            Assert.That(posts.Count(p => p.Compound < -0.05), Is.GreaterThan(posts.Count / 10), "bearish posts score negative");
        });
    }

    [Test]
    public void TheCrowdTurnsBearishInStorms()
    {
        var posts = Generate(seed: 11, TimeSpan.FromMinutes(60), out var mood);
        var stormy = posts.Where(p => mood.RegimeAt(p.Timestamp).Stormy).Select(p => p.Compound).ToList();
        var calm = posts.Where(p => mood.FearAt(p.Timestamp) < 0.05).Select(p => p.Compound).ToList();
        TestContext.Out.WriteLine($"mean compound: calm {calm.Average():F2} over {calm.Count} posts, stormy {stormy.Average():F2} over {stormy.Count}");

        Assert.Multiple(() =>
        {
            Assert.That(stormy, Is.Not.Empty);
            Assert.That(calm.Average(), Is.GreaterThan(0));
            Assert.That(stormy.Average(), Is.LessThan(calm.Average() - 0.3));
        });
    }

    [Test]
    public void UsesTheScorerItIsGivenAndKeepsItsOutputInRange()
    {
        var options = new MockFeedOptions { Subreddits = ["Bitcoin"] };
        var mood = new MockMarketMood(options, 3, Start);
        var posts = new MockRedditGenerator(options, mood, _ => 7.5).Advance(Start.AddMinutes(1));
        var nan = new MockRedditGenerator(options, mood, _ => double.NaN).Advance(Start.AddMinutes(1));

        Assert.Multiple(() =>
        {
            Assert.That(posts.Select(p => p.Compound), Is.All.EqualTo(1.0));
            Assert.That(nan.Select(p => p.Compound), Is.All.EqualTo(0.0));
            Assert.That(posts.Select(p => p.SourceId), Is.All.EqualTo("r/Bitcoin"));
        });
    }

    private static List<SentimentSample> Generate(int seed, TimeSpan span, out MockMarketMood mood)
    {
        var options = new MockFeedOptions();
        mood = new MockMarketMood(options, seed, Start);
        return [.. new MockRedditGenerator(options, mood).Advance(Start + span)];
    }
}
