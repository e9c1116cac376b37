using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using RiskConsole.Core.Interrupts;
using RiskConsole.Core.Risk;
using RiskConsole.Core.Signals;

namespace RiskConsole.Tests.Core.History;

/// <summary>
/// Real BTC one-minute candles (TestData/history, from shared/fixtures/history) through the engine and the interrupt
/// policy on a virtual clock: each candle's close becomes a price stamped just before the next candle opens, and the
/// engine is advanced to it, as the live server advances to its clock.
/// </summary>
internal static class CandleReplay
{
    public const string Calm = "btcusdt_binanceus_1m_2023-03-04_2023-03-06_calm.csv";
    public const string Crash = "btcusdt_perp_1m_2021-05-19_2021-05-20.csv";

    public static CandleReplayResult Run(string file, RiskModelOptions? model = null, InterruptPolicyOptions? policyOptions = null)
    {
        var path = Path.Combine(TestContext.CurrentContext.TestDirectory, "TestData", "history", file);
        var engine = new RiskEngine(model ?? new RiskModelOptions { BarSeconds = 60 });
        var time = new FakeTimeProvider();
        var policy = new InterruptPolicy(policyOptions ?? new InterruptPolicyOptions(), time);
        var result = new CandleReplayResult();
        var first = true;
        engine.ReadingChanged += reading =>
        {
            if (reading.Evaluations == 0 || (result.Readings.Count > 0 && result.Readings[^1].Evaluations == reading.Evaluations))
            {
                return;
            }

            result.Readings.Add(reading);
            if (first)
            {
                time.SetUtcNow(reading.At);
                first = false;
            }
            else if (reading.At > time.GetUtcNow())
            {
                time.Advance(reading.At - time.GetUtcNow());
            }

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
                result.Interrupts.Add((reading.At, reading.Score));
            }
        };

        foreach (var line in File.ReadLines(path).Skip(1))
        {
            var columns = line.Split(',');
            // The candle closes just before the next one opens; its close is the bar's last price.
            var closeTime = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(columns[0], CultureInfo.InvariantCulture)).AddSeconds(59.999);
            result.First ??= closeTime;
            result.Last = closeTime;
            engine.AdvanceTo(closeTime);
            var verdict = engine.Submit(new PriceTick("BTCUSDT", double.Parse(columns[4], CultureInfo.InvariantCulture), closeTime));
            Assert.That(verdict, Is.EqualTo(SignalVerdict.Accepted), $"candle at {closeTime:u}");
        }

        return result;
    }
}

internal sealed class CandleReplayResult
{
    public List<RiskReading> Readings { get; } = [];

    public List<(DateTimeOffset At, double Score)> Interrupts { get; } = [];

    public int Episodes { get; set; }

    public double MaxScore { get; set; }

    public DateTimeOffset? First { get; set; }

    public DateTimeOffset? Last { get; set; }

    public DateTimeOffset? FirstInterrupt => Interrupts.Count > 0 ? Interrupts[0].At : null;

    public double Days => ((Last ?? default) - (First ?? default)).TotalDays;
}
