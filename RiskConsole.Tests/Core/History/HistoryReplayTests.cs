using RiskConsole.Core.Interrupts;
using RiskConsole.Core.Risk;

namespace RiskConsole.Tests.Core.History;

/// <summary>
/// Real BTC one-minute candles replayed through the engine and the interrupt policy with default settings (bars of
/// 60 s to match the data): the score must tell a crash from a calm weekend, which the seed's formula could not
/// (it interrupted ~277 times a day on both), and interrupt a person a dozen times on a crash day, not every minute.
/// </summary>
public sealed class HistoryReplayTests
{
    [Test]
    public void CalmDaysStayQuiet()
    {
        var result = CandleReplay.Run(CandleReplay.Calm);
        TestContext.Out.WriteLine($"calm: {result.Interrupts.Count} interrupts, {result.CrossingsUp} episodes, max score {result.MaxScore:F1} over {result.Duration.TotalDays:F1} days");
        Assert.Multiple(() =>
        {
            Assert.That(result.Interrupts, Is.Empty);
            Assert.That(result.MaxScore, Is.LessThan(70));
        });
    }

    [Test]
    public void TheMay2021CrashFiresEarlyAndAboutADozenTimes()
    {
        var result = CandleReplay.Run(CandleReplay.Crash);
        var seedRule = CandleReplay.Run(CandleReplay.Crash, policyOptions: new InterruptPolicyOptions { CooldownBackoffFactor = 1 });
        TestContext.Out.WriteLine(
            $"crash: {result.Interrupts.Count} interrupts ({seedRule.Interrupts.Count} with the seed's fixed cooldown), {result.CrossingsUp} episodes, " +
            $"max score {result.MaxScore:F1}; at {string.Join(", ", result.Interrupts.Select(i => $"{i.At:HH:mm} ({i.Score:F0})"))}");
        var low = new DateTimeOffset(2021, 5, 19, 13, 10, 0, TimeSpan.Zero);
        Assert.Multiple(() =>
        {
            Assert.That(result.FirstInterrupt, Is.Not.Null);
            Assert.That(result.FirstInterrupt, Is.LessThan(low.AddHours(-6)), "well before the day's low at 13:10");
            Assert.That(result.FirstInterrupt, Is.EqualTo(seedRule.FirstInterrupt), "the backoff does not delay the first warning");
            Assert.That(result.CrossingsUp, Is.GreaterThanOrEqualTo(5));
            Assert.That(result.MaxScore, Is.EqualTo(100).Within(1));
            Assert.That(seedRule.Interrupts, Has.Count.GreaterThan(600), "every minute of the storm under the seed's rule");
            Assert.That(result.Interrupts, Has.Count.LessThanOrEqualTo(13), "about a dozen over the 25 hours of the file");
        });
    }
}
