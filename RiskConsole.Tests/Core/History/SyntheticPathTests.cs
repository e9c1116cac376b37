using RiskConsole.Core.Risk;

namespace RiskConsole.Tests.Core.History;

/// <summary>
/// The model on paths built to isolate one behaviour, at one-minute and hourly bars, through the same replay as the real
/// candles (default model, bar following the data, default interrupt policy): a steady grind must score high (volatility
/// alone gave it 0), a calm random walk must stay quiet, a sharp V must fire, and a cold start must not pass its warm-up
/// off as an early warning.
/// </summary>
public sealed class SyntheticPathTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    [TestCase(CandleReplay.Minute)]
    [TestCase(CandleReplay.Hour)]
    public void ASteadyGrindOfOnePercentAnHourScoresHighUntilItEnds(int bar)
    {
        // A calm day, then −1 %/h for 30 hours (−26 %): no volatility around the mean, only a fall.
        var prices = CalmWalk(bar, days: 1, seed: 11);
        var start = prices.Count;
        prices.AddRange(Trend(prices[^1], bar, hours: 30, percentPerHour: -1));
        var run = Replay(prices, bar);
        var before = Replay(prices, bar, new RiskModelOptions { DrawdownLookbackSeconds = 0 });

        var decline = Enumerable.Range(start, prices.Count - start).Select(i => run.ReadingOf(Candle(i, prices[i], bar))!.Value).ToList();
        var fromHourFive = decline.Skip(5 * 3600 / bar).ToList();
        var first = run.Interrupts.First(i => i.At > BarEnd(start - 1, bar));
        TestContext.Out.WriteLine(
            $"grind at {bar} s bars: first interrupt {(first.At - BarEnd(start - 1, bar)).TotalHours:F1} h into the decline, " +
            $"lowest score from hour 5 {fromHourFive.Min(r => r.Score):F0}, {run.Interrupts.Count} interrupts; previous model max {before.MaxScore:F0}");
        Assert.Multiple(() =>
        {
            Assert.That(fromHourFive.Min(r => r.Score), Is.GreaterThanOrEqualTo(75), "from −4.9 % on the score stays at or above the threshold");
            Assert.That(decline[^1].Score, Is.EqualTo(100), "−26 % at the end");
            Assert.That(first.At - BarEnd(start - 1, bar), Is.LessThanOrEqualTo(TimeSpan.FromHours(5)), "an interrupt by the time the fall reaches 5 %");
            Assert.That(run.InterruptsPerDay.Values.Max(), Is.LessThanOrEqualTo(12));
            Assert.That(before.MaxScore, Is.LessThan(30), "the previous model (volatility only) barely noticed");
        });
    }

    [TestCase(CandleReplay.Minute)]
    [TestCase(CandleReplay.Hour)]
    public void CalmRandomWalksStayQuiet(int bar)
    {
        // Ten calm markets of four days each, at the calm file's hourly volatility (0.25 %/h, ~23 %/yr).
        var perDay = new List<int>();
        var maxScore = 0.0;
        for (var seed = 1; seed <= 10; seed++)
        {
            var run = Replay(CalmWalk(bar, days: 4, seed), bar);
            perDay.AddRange(run.InterruptsPerDay.Values);
            maxScore = Math.Max(maxScore, run.MaxScore);
        }

        TestContext.Out.WriteLine($"calm walks at {bar} s bars: {perDay.Sum()} interrupts in {perDay.Count} days, max score {maxScore:F0}");
        Assert.That(perDay.Max(), Is.LessThanOrEqualTo(1));
    }

    [TestCase(CandleReplay.Minute, 5)]
    [TestCase(CandleReplay.Hour, 2)]
    public void ASharpVFiresOnTheWayDown(int bar, int deadlineBars)
    {
        // A calm day, −15 % in two hours, back up in two hours, a calm half day.
        var prices = CalmWalk(bar, days: 1, seed: 13);
        var start = prices.Count;
        prices.AddRange(Trend(prices[^1], bar, hours: 2, percentPerHour: -7.8));
        var bottom = prices.Count - 1;
        prices.AddRange(Trend(prices[^1], bar, hours: 2, percentPerHour: 8.5));
        prices.AddRange(CalmWalk(bar, days: 0.5, seed: 14, from: prices[^1]));
        var run = Replay(prices, bar);

        // The first close 5 % below the highest close of the 24 hours before it.
        var onset = Enumerable.Range(start, bottom - start + 1).First(i => prices[i] <= 0.95 * prices.Skip(Math.Max(0, i - (86_400 / bar) + 1)).Take(Math.Min(i + 1, 86_400 / bar)).Max());
        var first = run.Interrupts.FirstOrDefault(i => i.At > BarEnd(start - 1, bar));
        TestContext.Out.WriteLine($"sharp V at {bar} s bars: onset bar {onset - start}, first interrupt {(first.At - BarEnd(start - 1, bar)).TotalMinutes:F0} min into the fall, {run.Interrupts.Count} interrupts");
        Assert.Multiple(() =>
        {
            Assert.That(first.At, Is.GreaterThan(BarEnd(start - 1, bar)), "it fires");
            Assert.That(first.At, Is.LessThanOrEqualTo(BarEnd(onset + deadlineBars, bar)), "within the deadline of the onset");
            Assert.That(run.ReadingOf(Candle(bottom, prices[bottom], bar))!.Value.Score, Is.GreaterThanOrEqualTo(75), "at the bottom");
        });
    }

    [TestCase(CandleReplay.Minute)]
    [TestCase(CandleReplay.Hour)]
    public void AColdStartInAFallFiresOnlyOnTheMeasuredFallAndNoEarlierThanAWarmModel(int bar)
    {
        // −1 %/h from the very first price: the model has no history at all. The same fall after a flat day is what a
        // warmed-up model sees; the cold one can only measure a fall from the prices it has seen, so its floor, and the
        // first interrupt (a steady fall has no volatility), can be no earlier than the warm one's.
        var fall = Trend(30_000, bar, hours: 12, percentPerHour: -1);
        var cold = Replay(fall, bar);
        var flatDay = Enumerable.Repeat(30_000.0, 86_400 / bar).ToList();
        var warm = Replay([.. flatDay, .. fall], bar, offsetBars: -flatDay.Count);

        var firstCold = cold.Interrupts[0];
        var atFirst = cold.Readings.Single(r => r.At == firstCold.At);
        TestContext.Out.WriteLine($"cold start at {bar} s bars: first interrupt after {(firstCold.At - Start).TotalHours:F2} h at a drawdown of {atFirst.CryptoDrawdown:P2}; warm: {(warm.Interrupts[0].At - Start).TotalHours:F2} h");
        Assert.Multiple(() =>
        {
            Assert.That(atFirst.CryptoDrawdown, Is.GreaterThanOrEqualTo(0.0475 - 1e-12), "the fall term alone reaches 75 at −4.75 %");
            Assert.That(atFirst.Score, Is.EqualTo(100 * atFirst.FallRisk).Within(1e-9), "carried by the measured fall, not by the warm-up");
            Assert.That(firstCold.At, Is.GreaterThanOrEqualTo(warm.Interrupts[0].At), "never earlier than a model that had history");
            foreach (var reading in cold.Readings)
            {
                var same = warm.Readings.SingleOrDefault(r => r.At == reading.At);
                Assert.That(reading.FallRisk, Is.LessThanOrEqualTo(same.FallRisk + 1e-12), $"{reading.At:u}");
            }
        });
    }

    /// <summary>A calm market: a driftless random walk at 0.25 % an hour (the calm file's own hourly volatility).</summary>
    private static List<double> CalmWalk(int bar, double days, int seed, double from = 30_000)
    {
        var random = new Random(seed);
        var perBar = 0.0025 * Math.Sqrt(bar / 3600.0);
        var prices = new List<double>();
        var price = from;
        for (var i = 0; i < (int)(days * 86_400 / bar); i++)
        {
            // Box–Muller: a standard normal from two uniforms.
            var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            price *= Math.Exp(perBar * normal);
            prices.Add(price);
        }

        return prices;
    }

    private static List<double> Trend(double from, int bar, double hours, double percentPerHour)
    {
        var step = Math.Log(1 + (percentPerHour / 100)) * bar / 3600;
        return Enumerable.Range(1, (int)(hours * 3600 / bar)).Select(i => from * Math.Exp(step * i)).ToList();
    }

    private static CandleReplayResult Replay(IReadOnlyList<double> prices, int bar, RiskModelOptions? model = null, int offsetBars = 0)
    {
        if (model is not null)
        {
            var forBars = CandleReplay.ModelFor(bar);
            forBars.DrawdownLookbackSeconds = model.DrawdownLookbackSeconds;
            model = forBars;
        }

        return CandleReplay.Run([.. prices.Select((p, i) => Candle(i + offsetBars, p, bar))], bar, model);
    }

    private static Candle Candle(int index, double price, int bar) => new(Start.AddSeconds((long)index * bar), bar, price, price, price);

    private static DateTimeOffset BarEnd(int index, int bar) => Start.AddSeconds((long)(index + 1) * bar);
}
