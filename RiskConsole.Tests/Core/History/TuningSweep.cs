using RiskConsole.Core.Interrupts;
using RiskConsole.Core.Risk;

namespace RiskConsole.Tests.Core.History;

[Explicit("scratch sweep")]
public sealed class TuningSweep
{
    [Test]
    public void Sweep()
    {
        foreach (var factor in new[] { 2.0, 3.0, 4.0 })
        foreach (var quiet in new[] { 3600, 7200 })
        foreach (var max in new[] { 7200, 10800, 14400 })
        foreach (var newHigh in new[] { 10 })
        {
            var p = new InterruptPolicyOptions { EpisodeQuietSeconds = quiet, CooldownBackoffFactor = factor, MaxCooldownSeconds = max, NewHighPoints = newHigh };
            var crash = CandleReplay.Run(CandleReplay.Crash, policyOptions: p);
            var calm = CandleReplay.Run(CandleReplay.Calm, policyOptions: p);
            TestContext.Out.WriteLine($"factor {factor} quiet {quiet} max {max} newHigh {newHigh}: crash {crash.Interrupts.Count} ({crash.Episodes} ep, first {crash.FirstInterrupt:HH:mm}) calm {calm.Interrupts.Count} times {string.Join(" ", crash.Interrupts.Select(i => i.At.ToString("HH:mm") + "@" + i.Score.ToString("F0")))}");
        }
    }
}
