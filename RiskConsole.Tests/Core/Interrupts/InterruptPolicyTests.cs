using Microsoft.Extensions.Time.Testing;
using RiskConsole.Core.Interrupts;

namespace RiskConsole.Tests.Core.Interrupts;

public sealed class InterruptPolicyTests
{
    private FakeTimeProvider _time = null!;
    private InterruptPolicy _policy = null!;

    [SetUp]
    public void SetUp()
    {
        _time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        _policy = new InterruptPolicy(new InterruptPolicyOptions { Threshold = 75, CooldownSeconds = 60, HysteresisPoints = 5, ForcedMinimumIntervalSeconds = 10 }, _time);
    }

    [Test]
    public void BelowThresholdNeverFires()
    {
        Assert.Multiple(() =>
        {
            Assert.That(_policy.Evaluate(74.999, warmingUp: false).Fire, Is.False);
            Assert.That(_policy.InterruptCount, Is.Zero);
        });
    }

    [Test]
    public void AtThresholdFiresAndRaisesTheUpwardCrossing()
    {
        var decision = _policy.Evaluate(75, warmingUp: false);
        Assert.Multiple(() =>
        {
            Assert.That(decision.Fire, Is.True);
            Assert.That(decision.Crossing, Is.EqualTo(ThresholdCrossing.Up));
            Assert.That(_policy.InterruptCount, Is.EqualTo(1));
            Assert.That(_policy.LastInterruptAt, Is.EqualTo(_time.GetUtcNow()));
        });
    }

    [Test]
    public void CooldownHoldsUntilItHasFullyPassed()
    {
        Assert.That(_policy.Evaluate(90, false).Fire, Is.True);
        _time.Advance(TimeSpan.FromSeconds(59.9));
        Assert.That(_policy.Evaluate(95, false).Fire, Is.False);
        _time.Advance(TimeSpan.FromSeconds(0.1));
        var again = _policy.Evaluate(95, false);
        Assert.Multiple(() =>
        {
            Assert.That(again.Fire, Is.True, "exactly the cooldown later");
            Assert.That(again.Crossing, Is.EqualTo(ThresholdCrossing.None), "still above: no second warning");
            Assert.That(_policy.InterruptCount, Is.EqualTo(2));
        });
    }

    [Test]
    public void WarmUpNeverFiresNorAlerts()
    {
        var decision = _policy.Evaluate(100, warmingUp: true);
        Assert.Multiple(() =>
        {
            Assert.That(decision.Fire, Is.False);
            Assert.That(decision.Crossing, Is.EqualTo(ThresholdCrossing.None));
            Assert.That(_policy.InterruptCount, Is.Zero);
        });
    }

    [Test]
    public void NonFiniteScoreIsIgnored() =>
        Assert.That(_policy.Evaluate(double.NaN, false), Is.EqualTo(default(InterruptDecision)));

    [Test]
    public void FallingBackNeedsHysteresisBeforeTheInfoCrossing()
    {
        _policy.Evaluate(80, false);
        Assert.Multiple(() =>
        {
            Assert.That(_policy.Evaluate(72, false).Crossing, Is.EqualTo(ThresholdCrossing.None), "within the 5-point band");
            Assert.That(_policy.Evaluate(76, false).Crossing, Is.EqualTo(ThresholdCrossing.None), "no second warning while hovering");
            Assert.That(_policy.Evaluate(69.9, false).Crossing, Is.EqualTo(ThresholdCrossing.Down));
            Assert.That(_policy.Evaluate(75, false).Crossing, Is.EqualTo(ThresholdCrossing.Up));
        });
    }

    [Test]
    public void ForcedSkipsTheThresholdCountsAndStartsTheCooldown()
    {
        var forced = _policy.TryForce();
        Assert.Multiple(() =>
        {
            Assert.That(forced.Allowed, Is.True);
            Assert.That(_policy.ForcedCount, Is.EqualTo(1));
            Assert.That(_policy.InterruptCount, Is.EqualTo(1));
            Assert.That(_policy.Evaluate(99, false).Fire, Is.False, "a forced interrupt counts for the cooldown");
        });
    }

    [Test]
    public void ForcedIsRateLimitedAndSaysWhenToRetry()
    {
        _policy.TryForce();
        _time.Advance(TimeSpan.FromSeconds(4));
        var refused = _policy.TryForce();
        Assert.Multiple(() =>
        {
            Assert.That(refused.Allowed, Is.False);
            Assert.That(refused.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(6)));
            Assert.That(_policy.RefusedForcedCount, Is.EqualTo(1));
            Assert.That(_policy.ForcedCount, Is.EqualTo(1));
        });
        _time.Advance(TimeSpan.FromSeconds(6));
        Assert.That(_policy.TryForce().Allowed, Is.True);
    }

    [Test]
    public void ZeroCooldownFiresOnEveryEvaluationAbove()
    {
        var policy = new InterruptPolicy(new InterruptPolicyOptions { CooldownSeconds = 0 }, _time);
        Assert.Multiple(() =>
        {
            Assert.That(policy.Evaluate(80, false).Fire, Is.True);
            Assert.That(policy.Evaluate(80, false).Fire, Is.True);
        });
    }

    [Test]
    public void AWallClockSteppedBackDoesNotStretchTheCooldown()
    {
        var clock = new SteppableWallClock(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
        var policy = new InterruptPolicy(new InterruptPolicyOptions { CooldownSeconds = 60 }, clock);
        Assert.That(policy.Evaluate(99, false).Fire, Is.True);
        clock.StepWallClock(TimeSpan.FromHours(-1));
        clock.Advance(TimeSpan.FromSeconds(60));
        var again = policy.Evaluate(99, false);
        Assert.Multiple(() =>
        {
            Assert.That(again.Fire, Is.True, "60 s really passed, whatever the wall clock says");
            Assert.That(policy.LastInterruptAt, Is.EqualTo(new DateTimeOffset(2026, 1, 1, 11, 1, 0, TimeSpan.Zero)), "shown in wall-clock time");
        });
    }

    [Test]
    public void AWallClockSteppedForwardDoesNotCutTheCooldownShort()
    {
        var clock = new SteppableWallClock(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
        var policy = new InterruptPolicy(new InterruptPolicyOptions { CooldownSeconds = 60 }, clock);
        Assert.That(policy.Evaluate(99, false).Fire, Is.True);
        clock.StepWallClock(TimeSpan.FromHours(1));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.That(policy.Evaluate(99, false).Fire, Is.False, "only 1 s really passed");
    }

    [Test]
    public void TheForcedRateLimitIgnoresWallClockSteps()
    {
        var clock = new SteppableWallClock(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
        var policy = new InterruptPolicy(new InterruptPolicyOptions { ForcedMinimumIntervalSeconds = 10 }, clock);
        Assert.That(policy.TryForce().Allowed, Is.True);
        clock.StepWallClock(TimeSpan.FromHours(-1));
        clock.Advance(TimeSpan.FromSeconds(4));
        var refused = policy.TryForce();
        Assert.That(refused, Is.EqualTo(new ForcedInterruptDecision(false, TimeSpan.FromSeconds(6))));
        clock.Advance(TimeSpan.FromSeconds(6));
        Assert.That(policy.TryForce().Allowed, Is.True);
    }

    [TestCase(-1, "Risk:Threshold")]
    [TestCase(100.5, "Risk:Threshold")]
    [TestCase(double.NaN, "Risk:Threshold")]
    public void InvalidThresholdIsRefusedNamingTheKey(double threshold, string key)
    {
        var error = Assert.Throws<ArgumentException>(() => new InterruptPolicy(new InterruptPolicyOptions { Threshold = threshold }, _time));
        Assert.That(error!.Message, Does.Contain(key).And.Contain("between 0 and 100"));
    }

    [Test]
    public void InvalidCooldownIsReported() =>
        Assert.That(new InterruptPolicyOptions { CooldownSeconds = -1 }.Validate(), Has.One.Contains("Risk:CooldownSeconds"));

    [TestCase(5, 5)]
    [TestCase(10, 5)]
    [TestCase(100, 75)]
    public void HysteresisAtOrAboveTheThresholdIsRefusedNamingBothKeys(double hysteresis, double threshold) =>
        Assert.That(
            new InterruptPolicyOptions { Threshold = threshold, HysteresisPoints = hysteresis }.Validate(),
            Is.EqualTo(new[] { $"Risk:HysteresisPoints must be less than Risk:Threshold (was {hysteresis} >= {threshold})." }));

    [Test]
    public void HysteresisJustBelowTheThresholdIsAccepted() =>
        Assert.That(new InterruptPolicyOptions { Threshold = 5, HysteresisPoints = 4.9 }.Validate(), Is.Empty);

    [Test]
    public void ThresholdZeroMeansAlwaysAboveAndIsAcceptedWhateverTheHysteresis() =>
        Assert.That(new InterruptPolicyOptions { Threshold = 0, HysteresisPoints = 5 }.Validate(), Is.Empty);

    [TestCase(-1, 5, "Risk:Threshold")]
    [TestCase(101, 5, "Risk:Threshold")]
    [TestCase(75, 101, "Risk:HysteresisPoints must be between")]
    [TestCase(75, double.NaN, "Risk:HysteresisPoints must be between")]
    public void OneBadValueGivesOneMessage(double threshold, double hysteresis, string expected) =>
        Assert.That(
            new InterruptPolicyOptions { Threshold = threshold, HysteresisPoints = hysteresis }.Validate(),
            Has.Exactly(1).Items.And.One.StartsWith(expected));
}
