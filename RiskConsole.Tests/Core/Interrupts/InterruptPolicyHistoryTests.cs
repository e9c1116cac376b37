using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using RiskConsole.Core.Interrupts;
using RiskConsole.Core.Risk;
using RiskConsole.Core.Signals;

namespace RiskConsole.Tests.Core.Interrupts;

/// <summary>
/// The May 2021 crash day (real BTC one-minute candles, as in HistoryReplayTests) through the engine and the
/// policy: under the seed's fixed 60 s cooldown it interrupts every minute of the storm; the backoff must cut
/// that to something a person can live with without delaying the first warning.
/// </summary>
public sealed class InterruptPolicyHistoryTests
{
    private const string CrashDay = "btcusdt_perp_1m_2021-05-19_2021-05-20.csv";

    [Test]
    public void TheBackoffCutsACrashDayStormWithoutDelayingTheFirstInterrupt()
    {
        var seedRule = Replay(CrashDay, new InterruptPolicyOptions { CooldownBackoffFactor = 1 });
        var defaults = Replay(CrashDay, new InterruptPolicyOptions());
        TestContext.Out.WriteLine($"seed rule: {seedRule.Interrupts} interrupts; defaults: {defaults.Interrupts} interrupts, {defaults.Episodes} upward crossings");
        Assert.Multiple(() =>
        {
            Assert.That(seedRule.Interrupts, Is.GreaterThan(600), "the storm the issue describes");
            Assert.That(defaults.Interrupts, Is.LessThan(seedRule.Interrupts / 5));
            Assert.That(defaults.FirstInterrupt, Is.EqualTo(seedRule.FirstInterrupt), "the first warning is not delayed");
        });
    }

    private static ReplayResult Replay(string file, InterruptPolicyOptions options)
    {
        var path = Path.Combine(TestContext.CurrentContext.TestDirectory, "TestData", "history", file);
        var engine = new RiskEngine(new RiskModelOptions { BarSeconds = 60 });
        var time = new FakeTimeProvider();
        var policy = new InterruptPolicy(options, time);
        var evaluations = 0L;
        var result = new ReplayResult();
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            var columns = line.Split(',');
            // The candle closes just before the next one opens; its close is the bar's last price.
            var closeTime = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(columns[0], CultureInfo.InvariantCulture)).AddSeconds(59.999);
            engine.Submit(new PriceTick("BTCUSDT", double.Parse(columns[4], CultureInfo.InvariantCulture), closeTime));
            var reading = engine.Current;
            if (reading.Evaluations == evaluations)
            {
                continue;
            }

            evaluations = reading.Evaluations;
            time.SetUtcNow(reading.At);
            var decision = policy.Evaluate(reading.Score, reading.WarmingUp);
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

        return result;
    }

    private sealed class ReplayResult
    {
        public int Interrupts { get; set; }

        public int Episodes { get; set; }

        public DateTimeOffset? FirstInterrupt { get; set; }
    }
}
