using RiskConsole.Core.Risk;
using RiskConsole.Core.Signals;

namespace RiskConsole.Tests.Core.Risk;

public sealed class RedditSentimentScorerTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [TestCase(-1.0, 1.0)]
    [TestCase(0.0, 0.5)]
    [TestCase(1.0, 0.0)]
    [TestCase(-0.4, 0.7)]
    public void NegativeSentimentIsHighRisk(double mean, double expected) =>
        Assert.That(RedditSentimentScorer.SentimentToRisk(mean), Is.EqualTo(expected).Within(1e-12));

    [Test]
    public void RiskFollowsTheMeanOfTheLastPostsAcrossFeeds()
    {
        var engine = new RiskEngine(RiskEngineTests.Instant(o => o.RedditWindow = 3));
        double[] compounds = [0.9, -0.5, -0.7, -0.3];
        for (var i = 0; i < compounds.Length; i++)
        {
            engine.Submit(new SentimentSample(i % 2 == 0 ? "r/Bitcoin" : "r/wallstreetbets", compounds[i], Start.AddSeconds(i * 0.1), $"post {i}"));
        }

        engine.AdvanceTo(Start.AddSeconds(1));
        var mean = (-0.5 - 0.7 - 0.3) / 3;
        Assert.Multiple(() =>
        {
            Assert.That(engine.Current.RedditSentiment, Is.EqualTo(mean).Within(1e-12));
            Assert.That(engine.Current.Reddit, Is.EqualTo((1 - mean) / 2).Within(1e-12));
            Assert.That(engine.Reddit.DataPoints, Is.EqualTo(3));
        });
    }
}
