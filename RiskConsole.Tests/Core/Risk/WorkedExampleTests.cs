using RiskConsole.Core.Risk;
using RiskConsole.Core.Signals;

namespace RiskConsole.Tests.Core.Risk;

/// <summary>
/// The worked example of docs/risk-model.md, step by step. The expected figures were computed
/// independently (a few lines of Python following the formulas in the doc), not copied from the engine.
/// </summary>
public sealed class WorkedExampleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Test]
    public void ReproducesTheDocumentedExample()
    {
        var engine = new RiskEngine(new RiskModelOptions { BarSeconds = 60, MinimumReturns = 3, WarmupValues = 3 });
        var scores = new List<double>();
        var raws = new List<double>();

        void Submit(MarketSignal signal)
        {
            var before = engine.Current.Evaluations;
            Assert.That(engine.Submit(signal), Is.EqualTo(SignalVerdict.Accepted));
            for (var i = before; i < engine.Current.Evaluations; i++)
            {
                scores.Add(engine.Current.Score);
                raws.Add(engine.Current.Raw);
            }
        }

        Submit(new PriceTick("BTCUSDT", 100.00, T0.AddSeconds(10)));
        Submit(new MarketProbability("fed-cut", "Will the Fed cut in March?", 0.70, T0.AddSeconds(15)));
        Submit(new SentimentSample("r/Bitcoin", -0.6, T0.AddSeconds(20), "this dip is brutal"));
        Submit(new PriceTick("BTCUSDT", 100.10, T0.AddSeconds(70)));
        Submit(new MarketProbability("fed-cut", "Will the Fed cut in March?", 0.75, T0.AddSeconds(80)));
        Submit(new PriceTick("BTCUSDT", 99.95, T0.AddSeconds(130)));
        Submit(new SentimentSample("r/Bitcoin", 0.2, T0.AddSeconds(140), "ok, bought some"));
        Submit(new PriceTick("BTCUSDT", 100.20, T0.AddSeconds(190)));
        Submit(new PriceTick("BTCUSDT", 100.05, T0.AddSeconds(250)));
        engine.AdvanceTo(T0.AddSeconds(302));
        scores.Add(engine.Current.Score);
        raws.Add(engine.Current.Raw);

        Assert.Multiple(() =>
        {
            Assert.That(raws, Is.EqualTo(new[] { 0.4, 0.5125, 0.4125, 0.41745181185322666, 0.40777084141815734 }).Within(1e-12));
            Assert.That(scores, Is.EqualTo(new[] { 40.0, 51.25, 2.5, 3.490362370645328, 1.554168283631463 }).Within(1e-9));
            Assert.That(engine.Current.CryptoVolatilityAnnualized, Is.EqualTo(1.4304058801373996).Within(1e-9));
            Assert.That(engine.Current.Crypto, Is.EqualTo(0.4004136303895104).Within(1e-12));
            Assert.That(engine.Current.Polymarket, Is.EqualTo(0.225).Within(1e-12));
            Assert.That(engine.Current.Amplification, Is.EqualTo(1.0002585189934439).Within(1e-12));
            Assert.That(engine.Current.Reddit, Is.EqualTo(0.6).Within(1e-12));
            Assert.That(engine.Current.WarmingUp, Is.False);
            Assert.That(engine.Normalizer.Low, Is.EqualTo(0.4).Within(1e-12));
            Assert.That(engine.Normalizer.High, Is.EqualTo(0.9).Within(1e-12));
        });
    }
}
