using RiskConsole.Core.Risk;
using RiskConsole.Core.Signals;
using RiskConsole.Ingest.Mock;

namespace RiskConsole.Tests.Ingest.Mock;

public sealed class MockPriceGeneratorTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public void SameSeedGivesIdenticalTicksAndADifferentSeedDoesNot()
    {
        var first = Generate(seed: 42, TimeSpan.FromMinutes(2));
        var again = Generate(seed: 42, TimeSpan.FromMinutes(2));
        var other = Generate(seed: 43, TimeSpan.FromMinutes(2));

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.Not.Empty);
            Assert.That(again, Is.EqualTo(first));
            Assert.That(other, Is.Not.EqualTo(first));
        });
    }

    [Test]
    public void TicksDoNotDependOnHowOftenTheGeneratorIsAsked()
    {
        var options = new MockFeedOptions();
        var everyTenthSecond = new MockPriceGenerator(options, new MockMarketMood(options, 9, Start));
        var fine = new List<PriceTick>();
        for (var t = Start; t <= Start.AddMinutes(3); t = t.AddMilliseconds(100))
        {
            fine.AddRange(everyTenthSecond.Advance(t));
        }

        var once = new MockPriceGenerator(options, new MockMarketMood(options, 9, Start)).Advance(Start.AddMinutes(3));

        Assert.That(once, Is.EqualTo(fine));
    }

    [Test]
    public void PricesArePositiveFiniteMockAndStrictlyOrderedPerSymbolAtAboutTheConfiguredRate()
    {
        var span = TimeSpan.FromMinutes(30);
        var ticks = Generate(seed: 1, span);
        var bySymbol = ticks.GroupBy(t => t.Symbol).ToDictionary(g => g.Key, g => g.ToList());

        Assert.Multiple(() =>
        {
            Assert.That(bySymbol.Keys, Is.EquivalentTo(MockFeedOptions.DefaultSymbols));
            Assert.That(ticks.Select(t => t.Price), Is.All.GreaterThan(0));
            Assert.That(ticks.All(t => double.IsFinite(t.Price)), Is.True);
            Assert.That(ticks.Select(t => t.IsMock), Is.All.True);
            Assert.That(ticks.Select(t => t.Timestamp), Is.Ordered, "one time-ordered stream across symbols");
            foreach (var (symbol, series) in bySymbol)
            {
                Assert.That(series.Zip(series.Skip(1)).All(p => p.Second.Timestamp > p.First.Timestamp), Is.True, symbol);
                Assert.That(series.Count / span.TotalSeconds, Is.InRange(4.5, 5.5), symbol + " ticks per second");
            }

            Assert.That(bySymbol["BTCUSDT"][0].Price, Is.InRange(85_000, 95_000));
            Assert.That(bySymbol["ETHUSDT"][0].Price, Is.InRange(2_800, 3_200));
            Assert.That(bySymbol["SOLUSDT"][0].Price, Is.InRange(130, 150));
        });
    }

    [Test]
    public void SymbolsMoveTogetherThroughTheMarketFactor()
    {
        var returns = OneSecondReturns(Generate(seed: 2, TimeSpan.FromHours(2)));
        var correlation = Correlation(returns["BTCUSDT"], returns["SOLUSDT"]);
        TestContext.Out.WriteLine($"BTC/SOL correlation of 1 s returns: {correlation:F2}");

        Assert.That(correlation, Is.InRange(0.5, 0.95));
    }

    [Test]
    public void CalmAndStormyBarsBothOccurInAnHourAsTheRiskEngineSeesThem()
    {
        var options = new MockFeedOptions();
        var mood = new MockMarketMood(options, seed: 2026, Start);
        var generator = new MockPriceGenerator(options, mood);
        var engine = new RiskEngine(new RiskModelOptions());
        var crypto = new List<double>();
        var evaluations = 0L;

        for (var now = Start.AddMilliseconds(100); now <= Start.AddMinutes(60); now = now.AddMilliseconds(100))
        {
            foreach (var tick in generator.Advance(now))
            {
                Assert.That(engine.Submit(tick), Is.EqualTo(SignalVerdict.Accepted));
            }

            engine.AdvanceTo(now);
            if (engine.Current.Evaluations != evaluations && !double.IsNaN(engine.Current.Crypto))
            {
                evaluations = engine.Current.Evaluations;
                crypto.Add(engine.Current.Crypto);
            }
        }

        var calm = crypto.Count(c => c < 0.2) / (double)crypto.Count;
        var stormy = crypto.Count(c => c > 0.6) / (double)crypto.Count;
        var stormSeconds = MockMarketMoodTests.Spells(mood, TimeSpan.FromMinutes(30)).Where(s => s.Stormy)
            .Sum(s => (s.End - s.Start).TotalSeconds);
        TestContext.Out.WriteLine(
            $"{crypto.Count} bars: calm (crypto < 0.2) {calm:P1}, stormy (crypto > 0.6) {stormy:P1}, " +
            $"in between {1 - calm - stormy:P1}; the mood was stormy {stormSeconds / 1800:P1} of the time");

        Assert.Multiple(() =>
        {
            Assert.That(crypto, Has.Count.GreaterThan(1400), "every bar after the six minutes crypto needs to count");
            Assert.That(calm, Is.GreaterThan(0.15), "a storm stays in the 20-minute horizon for a while after it ends");
            Assert.That(stormy, Is.GreaterThan(0.05));
        });
    }

    private static List<PriceTick> Generate(int seed, TimeSpan span)
    {
        var options = new MockFeedOptions();
        var generator = new MockPriceGenerator(options, new MockMarketMood(options, seed, Start));
        return [.. generator.Advance(Start + span)];
    }

    private static Dictionary<string, double[]> OneSecondReturns(List<PriceTick> ticks) =>
        ticks.GroupBy(t => t.Symbol).ToDictionary(
            g => g.Key,
            g =>
            {
                // Last price of each second, carried forward over seconds without a trade.
                var closes = new double[1800];
                var series = g.ToList();
                var index = 0;
                var last = series[0].Price;
                for (var second = 0; second < closes.Length; second++)
                {
                    var end = Start.AddSeconds(second + 1);
                    while (index < series.Count && series[index].Timestamp < end)
                    {
                        last = series[index++].Price;
                    }

                    closes[second] = last;
                }

                return closes.Zip(closes.Skip(1), (a, b) => Math.Log(b / a)).ToArray();
            });

    private static double Correlation(double[] x, double[] y)
    {
        var mx = x.Average();
        var my = y.Average();
        var cov = x.Zip(y, (a, b) => (a - mx) * (b - my)).Sum();
        return cov / Math.Sqrt(x.Sum(a => (a - mx) * (a - mx)) * y.Sum(b => (b - my) * (b - my)));
    }
}
