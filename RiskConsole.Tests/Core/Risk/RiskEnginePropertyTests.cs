using RiskConsole.Core.Risk;
using RiskConsole.Core.Signals;

namespace RiskConsole.Tests.Core.Risk;

/// <summary>Properties that must hold for any signal stream, checked over many seeded random streams.</summary>
public sealed class RiskEnginePropertyTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Test]
    public void ScoreIsAlwaysFiniteAndWithinBoundsEvenWithGarbageMixedIn([Range(1, 40)] int seed)
    {
        var random = new Random(seed);
        var engine = new RiskEngine(new RiskModelOptions { BarSeconds = 0.5 + random.NextDouble() });
        var t = Start;
        for (var i = 0; i < 3_000; i++)
        {
            // Mostly forward, sometimes backward (out of order), sometimes a big jump.
            t = t.AddMilliseconds(random.Next(10) == 0 ? -random.Next(5_000) : random.Next(400) * (random.Next(200) == 0 ? 100 : 1));
            engine.Submit(RandomSignal(random, t));
            var reading = engine.Current;
            Assert.That(double.IsFinite(reading.Score) && reading.Score is >= 0 and <= 100, Is.True, $"score {reading.Score} at step {i}");
            Assert.That(double.IsFinite(reading.Raw) && reading.Raw is >= 0 and <= 1, Is.True, $"raw {reading.Raw} at step {i}");
        }

        Assert.That(engine.AcceptedSignals + engine.RejectedSignals, Is.EqualTo(3_000));
    }

    [Test]
    public void MoreVolatilityNeverLowersTheCryptoComponent([Range(1, 25)] int seed)
    {
        var random = new Random(seed);
        var returns = Enumerable.Range(0, 40).Select(_ => (random.NextDouble() - 0.5) * 0.004).ToArray();
        var previous = -1.0;
        foreach (var scale in new[] { 0.0, 0.1, 0.5, 1, 1.5, 2, 4, 10 })
        {
            var engine = new RiskEngine(new RiskModelOptions());
            var price = 1_000.0;
            for (var bar = 0; bar < returns.Length; bar++)
            {
                price *= Math.Exp(returns[bar] * scale);
                engine.Submit(new PriceTick("BTCUSDT", price, Start.AddSeconds(bar + 0.5)));
            }

            engine.AdvanceTo(Start.AddSeconds(returns.Length + 1));
            Assert.That(engine.Current.Crypto, Is.GreaterThanOrEqualTo(previous), $"scale {scale}");
            previous = engine.Current.Crypto;
        }

        Assert.That(previous, Is.GreaterThan(0));
    }

    [Test]
    public void ReplayingTheSameSignalsGivesTheSameScores([Values(3, 17)] int seed)
    {
        var random = new Random(seed);
        var signals = Enumerable.Range(0, 2_000).Select(i => RandomSignal(random, Start.AddMilliseconds(i * 150))).ToArray();
        var first = Run(signals);
        var second = Run(signals);
        Assert.That(second, Is.EqualTo(first));

        static List<double> Run(MarketSignal[] signals)
        {
            var engine = new RiskEngine(new RiskModelOptions());
            var scores = new List<double>();
            foreach (var signal in signals)
            {
                engine.Submit(signal);
                scores.Add(engine.Current.Score);
            }

            return scores;
        }
    }

    private static MarketSignal RandomSignal(Random random, DateTimeOffset t)
    {
        var garbage = random.Next(15) == 0;
        return random.Next(3) switch
        {
            0 => new PriceTick(
                garbage ? "" : $"S{random.Next(3)}",
                garbage ? Pick(random, double.NaN, -1, 0, double.PositiveInfinity) : 100 * Math.Exp((random.NextDouble() - 0.5) * 0.1),
                t),
            1 => new MarketProbability(
                $"m{random.Next(4)}",
                "Q?",
                garbage ? Pick(random, 1.5, -0.2, double.NaN, double.NegativeInfinity) : random.NextDouble(),
                t),
            _ => new SentimentSample(
                $"r/{random.Next(3)}",
                garbage ? Pick(random, 2, -7, double.NaN, 0) : (random.NextDouble() * 2) - 1,
                t,
                garbage && random.Next(2) == 0 ? "" : "post"),
        };
    }

    private static double Pick(Random random, params double[] values) => values[random.Next(values.Length)];
}
