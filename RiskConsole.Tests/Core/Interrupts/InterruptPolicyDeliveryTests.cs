using Microsoft.Extensions.Time.Testing;
using RiskConsole.Core.Interrupts;

namespace RiskConsole.Tests.Core.Interrupts;

/// <summary>
/// An interrupt counts only when the workflow accepted it: a due interrupt that could not start (one is already
/// running) is neither counted nor allowed to start the cooldown, and a forced one refused as busy spends no limit.
/// </summary>
public sealed class InterruptPolicyDeliveryTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Test]
    public void ADueInterruptTheWorkflowRefusedIsNotCountedAndDoesNotHoldOffTheNext()
    {
        var policy = new InterruptPolicy(new InterruptPolicyOptions { Threshold = 75, CooldownSeconds = 60 }, _time);
        var refused = policy.Evaluate(90, warmingUp: false, deliver: () => false);
        _time.Advance(TimeSpan.FromSeconds(1));
        var accepted = policy.Evaluate(90, warmingUp: false, deliver: () => true);
        Assert.Multiple(() =>
        {
            Assert.That(refused.Fire, Is.False);
            Assert.That(refused.Crossing, Is.EqualTo(ThresholdCrossing.Up), "the crossing is still reported once");
            Assert.That(accepted.Fire, Is.True, "one second later, not a cooldown later");
            Assert.That(policy.InterruptCount, Is.EqualTo(1));
            Assert.That(policy.UndeliveredCount, Is.EqualTo(1));
        });
    }

    [Test]
    public void AForcedInterruptRefusedAsBusyIsNotCountedAndSpendsNoLimit()
    {
        var policy = new InterruptPolicy(new InterruptPolicyOptions { ForcedMinimumIntervalSeconds = 10 }, _time);
        var busy = policy.TryForce(() => false);
        var started = policy.TryForce(() => true);
        Assert.Multiple(() =>
        {
            Assert.That(busy.Allowed, Is.False);
            Assert.That(busy.Busy, Is.True);
            Assert.That(started.Allowed, Is.True, "the busy refusal did not start the 10 s limit");
            Assert.That(policy.ForcedCount, Is.EqualTo(1));
            Assert.That(policy.InterruptCount, Is.EqualTo(1));
        });
    }

    [Test]
    public void TheWorkflowIsAskedOnlyWhenAnInterruptIsDue()
    {
        var policy = new InterruptPolicy(new InterruptPolicyOptions { Threshold = 75 }, _time);
        var asked = 0;
        policy.Evaluate(50, warmingUp: false, deliver: () => ++asked > 0);
        policy.Evaluate(90, warmingUp: true, deliver: () => ++asked > 0);
        Assert.That(asked, Is.Zero);
    }
}
