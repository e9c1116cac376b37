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

    [TestCase(0.5, 0.5, 0.0)]
    [TestCase(0.9, 0.5, 0.8)]
    [TestCase(0.02, 0.02, 0.0)]
    [TestCase(0.05, 0.02, 0.06)]
    [TestCase(0.5, 0.8, 0.6)]
    [TestCase(0.95, 0.7, 0.5)]
    [TestCase(0.95, 0.05, 1.0)]
    public void RepricingIsTheMoveFromTheMarketsOwnBaseline(double probability, double baseline, double expected) =>
        Assert.That(PolymarketScorer.Repricing(probability, baseline), Is.EqualTo(expected).Within(1e-12));

    [Test]
    public void ALongShotThatHasSatAtTwoPercentForWeeksDoesNotRaiseRisk()
    {
        var engine = new RiskEngine(RiskEngineTests.Instant());
        var t = Start;
        for (var i = 0; i < 3 * 24 * 60; i++, t = t.AddMinutes(10))
        {
            // Three weeks of a long shot ticking between 1.9 % and 2.1 %.
            engine.AdvanceTo(t);
            engine.Submit(new MarketProbability("btc-below-10k", "BTC below $10k?", 0.02 + ((i % 3) - 1) * 0.001, t));
        }

        engine.AdvanceTo(t);
        Assert.Multiple(() =>
        {
            Assert.That(PolymarketScorer.Extremity(0.02), Is.EqualTo(0.96).Within(1e-12), "the old reading: extreme");
            Assert.That(engine.Current.PolymarketRepricing, Is.LessThan(0.01));
            Assert.That(engine.Current.Polymarket, Is.LessThan(0.02));
        });
    }

    [Test]
    public void AMoveTowardCertaintyIsNewsUntilTheBaselineCatchesUp()
    {
        var options = RiskEngineTests.Instant(o => o.PolymarketMaxAgeSeconds = 86400);
        var engine = new RiskEngine(options);
        var t = Start;
        for (var i = 0; i < 60; i++, t = t.AddMinutes(1))
        {
            engine.AdvanceTo(t);
            engine.Submit(new MarketProbability("fed", "Fed cut?", 0.5, t));
        }

        for (var i = 0; i < 12; i++, t = t.AddMinutes(1))
        {
            engine.AdvanceTo(t);
            engine.Submit(new MarketProbability("fed", "Fed cut?", 0.8, t));
        }

        engine.AdvanceTo(t);
        var fresh = engine.Current.PolymarketRepricing;
        for (var i = 0; i < 6 * 60; i++, t = t.AddMinutes(1))
        {
            engine.AdvanceTo(t);
            engine.Submit(new MarketProbability("fed", "Fed cut?", 0.8 + (i % 2 * 0.001), t));
        }

        engine.AdvanceTo(t);
        Assert.Multiple(() =>
        {
            // After 11 minutes at 0.8 the baseline has moved 1 − e^(−11/60) ≈ 17 % of the way: 0.6 × 0.83 ≈ 0.5.
            Assert.That(fresh, Is.EqualTo(0.6 * Math.Exp(-11.0 / 60)).Within(0.01));
            Assert.That(engine.Current.PolymarketRepricing, Is.LessThan(0.01), "six hours later the new level is the baseline");
        });
    }

    [Test]
    public void ASharpMoveAddsShock()
    {
        var calm = new RiskEngine(RiskEngineTests.Instant());
        var jumpy = new RiskEngine(RiskEngineTests.Instant());
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
        var engine = new RiskEngine(RiskEngineTests.Instant());
        engine.Submit(new MarketProbability("m", "M?", 0.05, Start));
        engine.Submit(new MarketProbability("m", "M?", 0.95, Start.AddSeconds(0.5)));
        engine.AdvanceTo(Start.AddSeconds(1));
        Assert.Multiple(() =>
        {
            Assert.That(engine.Current.PolymarketShock, Is.EqualTo(1));
            Assert.That(engine.Current.PolymarketRepricing, Is.EqualTo(1).Within(1e-3), "a flip from 5 % to 95 % is a full repricing");
            Assert.That(engine.Current.Polymarket, Is.EqualTo(1), "component is capped at 1");
        });
    }
}
