using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using RiskConsole.Core.Interrupts;
using RiskConsole.Core.Risk;
using RiskConsole.Core.Signals;

namespace RiskConsole.Tests.Core.Risk;

/// <summary>
/// Real BTC one-minute candles replayed through the engine and the interrupt policy with default
/// settings (bars of 60 s to match the data): the score must tell a crash from a calm weekend, which
/// the seed's formula could not (it interrupted ~277 times a day on both).
/// </summary>
public sealed class HistoryReplayTests
{
    [Test]
    public void CalmDaysStayQuiet()
    {
        var result = Replay("btcusdt_binanceus_1m_2023-03-04_2023-03-06_calm.csv");
        TestContext.Out.WriteLine($"calm: {result.Interrupts} interrupts, {result.Episodes} episodes, max score {result.MaxScore:F1} over {result.Days:F1} days");
        Assert.Multiple(() =>
        {
            Assert.That(result.Interrupts, Is.Zero);
            Assert.That(result.MaxScore, Is.LessThan(70));
        });
    }

    [Test]
    public void TheMay2021CrashFiresEarly()
    {
        var result = Replay("btcusdt_perp_1m_2021-05-19_2021-05-20.csv");
        TestContext.Out.WriteLine($"crash: {result.Interrupts} interrupts, {result.Episodes} episodes, first at {result.FirstInterrupt:u}, max score {result.MaxScore:F1}");
        var low = new DateTimeOffset(2021, 5, 19, 13, 10, 0, TimeSpan.Zero);
        Assert.Multiple(() =>
        {
            Assert.That(result.FirstInterrupt, Is.Not.Null);
            Assert.That(result.FirstInterrupt, Is.LessThan(low.AddHours(-6)), "well before the day's low at 13:10");
            Assert.That(result.Episodes, Is.GreaterThanOrEqualTo(5));
            Assert.That(result.MaxScore, Is.EqualTo(100).Within(1));
        });
    }

    private static ReplayResult Replay(string file)
    {
        var path = Path.Combine(TestContext.CurrentContext.TestDirectory, "TestData", "history", file);
        var engine = new RiskEngine(new RiskModelOptions { BarSeconds = 60 });
        var time = new FakeTimeProvider();
        var policy = new InterruptPolicy(new InterruptPolicyOptions(), time);
        var evaluations = 0L;
        var result = new ReplayResult();
        DateTimeOffset? first = null, last = null;
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            var columns = line.Split(',');
            // The candle closes just before the next one opens; its close is the bar's last price.
            var closeTime = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(columns[0], CultureInfo.InvariantCulture)).AddSeconds(59.999);
            first ??= closeTime;
            last = closeTime;
            Assert.That(engine.Submit(new PriceTick("BTCUSDT", double.Parse(columns[4], CultureInfo.InvariantCulture), closeTime)), Is.EqualTo(SignalVerdict.Accepted));
            var reading = engine.Current;
            if (reading.Evaluations == evaluations)
            {
                continue;
            }

            evaluations = reading.Evaluations;
            time.SetUtcNow(reading.At);
            var decision = policy.Evaluate(reading.Score, reading.WarmingUp);
            if (!reading.WarmingUp)
            {
                result.MaxScore = Math.Max(result.MaxScore, reading.Score);
            }

            if (decision.Crossing == ThresholdCrossing.Up)
            {
                result.Episodes++;
            }

            if (decision.Fire)
            {
                result.Interrupts++;
                result.FirstInterrupt ??= reading.At;
            }
        }

        result.Days = (last!.Value - first!.Value).TotalDays;
        return result;
    }

    private sealed class ReplayResult
    {
        public int Interrupts { get; set; }

        public int Episodes { get; set; }

        public double MaxScore { get; set; }

        public DateTimeOffset? FirstInterrupt { get; set; }

        public double Days { get; set; }
    }
}
