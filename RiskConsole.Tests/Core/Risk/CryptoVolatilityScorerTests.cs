using RiskConsole.Core.Risk;
using RiskConsole.Core.Signals;

namespace RiskConsole.Tests.Core.Risk;

public sealed class CryptoVolatilityScorerTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Test]
    public void ConstantPriceIsZeroRisk()
    {
        var engine = new RiskEngine(PerBar());
        for (var i = 0; i < 30; i++)
        {
            engine.Submit(new PriceTick("BTCUSDT", 50_000, Start.AddSeconds(i + 0.5)));
        }

        Assert.Multiple(() =>
        {
            Assert.That(engine.Current.Crypto, Is.Zero);
            Assert.That(engine.Current.CryptoVolatilityAnnualized, Is.Zero);
        });
    }

    [Test]
    public void TradeRateWithinABarDoesNotChangeTheFigure()
    {
        var closes = RandomWalk(40, 0.002, seed: 3);
        var sparse = new RiskEngine(PerBar());
        var dense = new RiskEngine(PerBar());
        for (var bar = 0; bar < closes.Length; bar++)
        {
            sparse.Submit(new PriceTick("BTCUSDT", closes[bar], Start.AddSeconds(bar + 0.9)));

            // Fifty trades inside the same bar wandering around; only the last one is the bar's close.
            for (var k = 0; k < 50; k++)
            {
                var price = k == 49 ? closes[bar] : closes[bar] * (1 + (((k % 7) - 3) * 0.001));
                dense.Submit(new PriceTick("BTCUSDT", price, Start.AddSeconds(bar + (k * 0.018))));
            }
        }

        sparse.AdvanceTo(Start.AddSeconds(closes.Length));
        dense.AdvanceTo(Start.AddSeconds(closes.Length));
        Assert.That(dense.Current.CryptoVolatilityAnnualized, Is.EqualTo(sparse.Current.CryptoVolatilityAnnualized).Within(1e-12));
        Assert.That(dense.Current.Crypto, Is.EqualTo(sparse.Current.Crypto).Within(1e-12));
    }

    [Test]
    public void VolatilityToRiskIsMonotoneAndBounded()
    {
        var previous = -1.0;
        for (var sigma = 0.0; sigma <= 20; sigma += 0.01)
        {
            var risk = CryptoVolatilityScorer.VolatilityToRisk(sigma, 2.0);
            Assert.That(risk, Is.InRange(0.0, 1.0));
            Assert.That(risk, Is.GreaterThanOrEqualTo(previous));
            previous = risk;
        }

        Assert.Multiple(() =>
        {
            Assert.That(CryptoVolatilityScorer.VolatilityToRisk(0, 2.0), Is.Zero);
            Assert.That(CryptoVolatilityScorer.VolatilityToRisk(2.0, 2.0), Is.EqualTo(1 - Math.Exp(-1)).Within(1e-15));
        });
    }

    [Test]
    public void TheRiskiestSymbolSetsTheComponent()
    {
        var engine = new RiskEngine(PerBar());
        var calm = RandomWalk(30, 0.00001, seed: 1);
        var wild = RandomWalk(30, 0.003, seed: 2);
        for (var bar = 0; bar < 30; bar++)
        {
            engine.Submit(new PriceTick("ETHUSDT", calm[bar], Start.AddSeconds(bar + 0.1)));
            engine.Submit(new PriceTick("SOLUSDT", wild[bar], Start.AddSeconds(bar + 0.2)));
        }

        engine.AdvanceTo(Start.AddSeconds(30));
        Assert.Multiple(() =>
        {
            Assert.That(engine.Current.RiskiestSymbol, Is.EqualTo("SOLUSDT"));
            Assert.That(engine.Current.Crypto, Is.GreaterThan(0.9));
            Assert.That(engine.Crypto.SymbolCount, Is.EqualTo(2));
        });
    }

    [Test]
    public void BarsWithoutTradesCountAsZeroReturnsSoSilenceCalmsDown()
    {
        var engine = new RiskEngine(PerBar());
        var wild = RandomWalk(25, 0.003, seed: 5);
        for (var bar = 0; bar < wild.Length; bar++)
        {
            engine.Submit(new PriceTick("BTCUSDT", wild[bar], Start.AddSeconds(bar + 0.5)));
        }

        engine.AdvanceTo(Start.AddSeconds(26));
        var stormy = engine.Current.Crypto;
        engine.AdvanceTo(Start.AddSeconds(26 + 40));
        Assert.Multiple(() =>
        {
            Assert.That(stormy, Is.GreaterThan(0.5));
            Assert.That(engine.Current.Crypto, Is.Zero.Within(1e-12), "a full window of bars with no trade has no volatility");
        });
    }

    [Test]
    public void NotEnoughReturnsMeansNoCryptoData()
    {
        var engine = new RiskEngine(PerBar());
        for (var bar = 0; bar < 4; bar++)
        {
            engine.Submit(new PriceTick("BTCUSDT", 100 + bar, Start.AddSeconds(bar + 0.5)));
        }

        engine.AdvanceTo(Start.AddSeconds(5));
        Assert.Multiple(() =>
        {
            Assert.That(double.IsNaN(engine.Current.Crypto), Is.True);
            Assert.That(engine.Current.ToComponents().Crypto, Is.Null);
        });
    }

    /// <summary>Returns over one bar and no lateness: the per-bar arithmetic these tests check, without the minute horizon.</summary>
    private static RiskModelOptions PerBar() => RiskEngineTests.Instant(o => o.CryptoReturnSeconds = o.BarSeconds);

    internal static double[] RandomWalk(int count, double sigma, int seed)
    {
        var random = new Random(seed);
        var prices = new double[count];
        var price = 100.0;
        for (var i = 0; i < count; i++)
        {
            var gaussian = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            price *= Math.Exp(sigma * gaussian);
            prices[i] = price;
        }

        return prices;
    }
}
