using RiskConsole.Core.Risk;
using RiskConsole.Core.Signals;
using RiskConsole.Ingest.Mock;

namespace RiskConsole.Tests.Ingest.Mock;

/// <summary>What a demo on mock data looks like end to end: all three generators through one real engine.</summary>
public sealed class MockScoreTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public void TheScoreMovesBetweenLowAndInterruptLevelsWithinHalfAnHour()
    {
        var options = new MockFeedOptions();
        var mood = new MockMarketMood(options, seed: 2026, Start);
        var prices = new MockPriceGenerator(options, mood);
        var markets = new MockMarketGenerator(options, mood);
        var posts = new MockRedditGenerator(options, mood);
        var engine = new RiskEngine(new RiskModelOptions());
        var readings = new List<RiskReading>();
        var evaluations = 0L;

        for (var now = Start.AddMilliseconds(100); now <= Start.AddMinutes(30); now = now.AddMilliseconds(100))
        {
            foreach (var signal in prices.Advance(now).Concat<MarketSignal>(markets.Advance(now)).Concat(posts.Advance(now)).OrderBy(s => s.Timestamp))
            {
                Assert.That(engine.Submit(signal), Is.EqualTo(SignalVerdict.Accepted), signal.ToString);
            }

            engine.AdvanceTo(now);
            if (engine.Current.Evaluations != evaluations)
            {
                evaluations = engine.Current.Evaluations;
                readings.Add(engine.Current);
            }
        }

        var settled = readings.Where(r => !r.WarmingUp).ToList();
        var scores = settled.Select(r => r.Score).Order().ToList();
        double Percentile(double p) => scores[(int)(p * (scores.Count - 1))];
        TestContext.Out.WriteLine(
            $"score p10 {Percentile(0.1):F0}, p50 {Percentile(0.5):F0}, p90 {Percentile(0.9):F0}, max {scores[^1]:F0}; " +
            $"bars at or above 75: {scores.Count(s => s >= 75) / (double)scores.Count:P1}; " +
            $"mean components (bars with data): crypto {settled.Where(r => !double.IsNaN(r.Crypto)).Average(r => r.Crypto):F2}, " +
            $"polymarket {settled.Where(r => !double.IsNaN(r.Polymarket)).Average(r => r.Polymarket):F2}, reddit {settled.Where(r => !double.IsNaN(r.Reddit)).Average(r => r.Reddit):F2}");
        foreach (var (name, values) in new[]
                 {
                     ("crypto", settled.Select(r => r.Crypto)), ("polymarket", settled.Select(r => r.Polymarket)),
                     ("reddit", settled.Select(r => r.Reddit)),
                 })
        {
            var sorted = values.Order().ToList();
            TestContext.Out.WriteLine($"{name}: p10 {sorted[sorted.Count / 10]:F2}, p50 {sorted[sorted.Count / 2]:F2}, p90 {sorted[sorted.Count * 9 / 10]:F2}");
        }

        Assert.Multiple(() =>
        {
            Assert.That(scores[0], Is.LessThan(40), "calm stretches score low");
            Assert.That(scores[^1], Is.GreaterThanOrEqualTo(75), "storms reach the default interrupt threshold");
        });
    }
}
