using RiskConsole.Core.Risk;
using RiskConsole.Core.Signals;

namespace RiskConsole.Tests.Core.Risk;

public sealed class PolymarketScorerTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [TestCase(0.5, 0.0)]
    [TestCase(0.0, 1.0)]
    [TestCase(1.0, 1.0)]
    [TestCase(0.75, 0.5)]
    [TestCase(0.1, 0.8)]
    public void ExtremityIsDistanceFromACoinFlip(double probability, double expected) =>
        Assert.That(PolymarketScorer.Extremity(probability), Is.EqualTo(expected).Within(1e-12));

    [Test]
    public void ExtremityIsARollingMeanPerMarketAveragedAcrossMarkets()
    {
        var engine = new RiskEngine(new RiskModelOptions { PolymarketWindow = 2, ShockWeight = 0 });
        // Market a: 0.9, 0.5, 0.6 → window of 2 keeps e = 0 and 0.2 → mean 0.1. Market b: 1.0 → e = 1.
        engine.Submit(new MarketProbability("a", "A?", 0.9, Start.AddSeconds(0.1)));
        engine.Submit(new MarketProbability("a", "A?", 0.5, Start.AddSeconds(0.2)));
        engine.Submit(new MarketProbability("a", "A?", 0.6, Start.AddSeconds(0.3)));
        engine.Submit(new MarketProbability("b", "B?", 1.0, Start.AddSeconds(0.4)));
        engine.AdvanceTo(Start.AddSeconds(1));
        Assert.Multiple(() =>
        {
            Assert.That(engine.Current.PolymarketExtremity, Is.EqualTo((0.1 + 1.0) / 2).Within(1e-12));
            Assert.That(engine.Current.Polymarket, Is.EqualTo(0.55).Within(1e-12));
        });
    }

    [Test]
    public void ASharpMoveAddsShock()
    {
        var calm = new RiskEngine(new RiskModelOptions());
        var jumpy = new RiskEngine(new RiskModelOptions());
        double[] steady = [0.50, 0.51, 0.50, 0.51, 0.50];
        double[] jump = [0.50, 0.51, 0.50, 0.51, 0.62];
        for (var i = 0; i < steady.Length; i++)
        {
            calm.Submit(new MarketProbability("m", "M?", steady[i], Start.AddSeconds(i * 0.1)));
            jumpy.Submit(new MarketProbability("m", "M?", jump[i], Start.AddSeconds(i * 0.1)));
        }

        calm.AdvanceTo(Start.AddSeconds(1));
        jumpy.AdvanceTo(Start.AddSeconds(1));
        Assert.Multiple(() =>
        {
            Assert.That(calm.Current.PolymarketShock, Is.Zero);
            Assert.That(jumpy.Current.PolymarketShock, Is.EqualTo(0.12 / 0.2).Within(1e-12));
            Assert.That(jumpy.Current.Polymarket, Is.GreaterThan(calm.Current.Polymarket + 0.25));
        });
    }

    [Test]
    public void ShockSaturatesAtOne()
    {
        var engine = new RiskEngine(new RiskModelOptions());
        engine.Submit(new MarketProbability("m", "M?", 0.05, Start));
        engine.Submit(new MarketProbability("m", "M?", 0.95, Start.AddSeconds(0.5)));
        engine.AdvanceTo(Start.AddSeconds(1));
        Assert.Multiple(() =>
        {
            Assert.That(engine.Current.PolymarketShock, Is.EqualTo(1));
            Assert.That(engine.Current.Polymarket, Is.EqualTo(1), "component is capped at 1");
        });
    }
}
