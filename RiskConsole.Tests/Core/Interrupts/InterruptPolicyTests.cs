using Microsoft.Extensions.Time.Testing;
using RiskConsole.Core.Interrupts;

namespace RiskConsole.Tests.Core.Interrupts;

public sealed class InterruptPolicyTests
{
    private FakeTimeProvider _time = null!;
    private InterruptPolicy _policy = null!;
    private long _start;

    [SetUp]
    public void SetUp()
    {
        _time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        _start = _time.GetTimestamp();
        // The seed's fixed cooldown (no backoff), so these tests pin the base rules; the backoff has its own below.
        _policy = new InterruptPolicy(new InterruptPolicyOptions { Threshold = 75, CooldownSeconds = 60, HysteresisPoints = 5, ForcedMinimumIntervalSeconds = 10, CooldownBackoffFactor = 1 }, _time);
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
        var policy = new InterruptPolicy(new InterruptPolicyOptions { CooldownSeconds = 60, CooldownBackoffFactor = 1 }, clock);
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

    [Test]
    public void TheDefaultsAreTheDocumentedOnes()
    {
        var options = new InterruptPolicyOptions();
        Assert.Multiple(() =>
        {
            Assert.That(options.Threshold, Is.EqualTo(75));
            Assert.That(options.CooldownSeconds, Is.EqualTo(60));
            Assert.That(options.HysteresisPoints, Is.EqualTo(5));
            Assert.That(options.ForcedMinimumIntervalSeconds, Is.EqualTo(10));
            Assert.That(options.CooldownBackoffFactor, Is.EqualTo(4));
            Assert.That(options.MaxCooldownSeconds, Is.EqualTo(14400));
            Assert.That(options.NewHighPoints, Is.EqualTo(10));
            Assert.That(options.EpisodeQuietSeconds, Is.EqualTo(7200));
            Assert.That(options.Validate(), Is.Empty);
        });
    }

    [Test]
    public void WithinAnEpisodeTheCooldownDoublesUpToTheCap()
    {
        var policy = Backoff(factor: 2, maxCooldownSeconds: 3600, newHighPoints: 5, episodeQuietSeconds: 600);
        var fired = HoldScore(policy, 90, seconds: 15_000);
        Assert.Multiple(() =>
        {
            // Gaps 120, 240, 480, 960, 1920, then 3840 capped at 3600.
            Assert.That(fired, Is.EqualTo(new double[] { 0, 120, 360, 840, 1800, 3720, 7320, 10920, 14520 }));
            Assert.That(policy.CurrentCooldown, Is.EqualTo(TimeSpan.FromSeconds(3600)));
            Assert.That(policy.EpisodeInterruptCount, Is.EqualTo(9));
        });
    }

    [Test]
    public void WithFactorFourTheCooldownStepsAreOneFourSixteenAndSixtyFourMinutesThenFourHours()
    {
        var policy = Backoff(factor: 4, maxCooldownSeconds: 14400, newHighPoints: 10, episodeQuietSeconds: 7200);
        var fired = HoldScore(policy, 90, seconds: 40_000);
        Assert.Multiple(() =>
        {
            // Gaps 240, 960, 3840, then 15360 capped at 14400.
            Assert.That(fired, Is.EqualTo(new double[] { 0, 240, 1200, 5040, 19440, 33840 }));
            Assert.That(policy.CurrentCooldown, Is.EqualTo(TimeSpan.FromHours(4)));
            Assert.That(policy.EpisodeInterruptCount, Is.EqualTo(6));
        });
    }

    [Test]
    public void TheCurrentCooldownSaysWhatTheNextInterruptNeeds()
    {
        var policy = new InterruptPolicy(new InterruptPolicyOptions { CooldownSeconds = 60, CooldownBackoffFactor = 3, MaxCooldownSeconds = 1000 }, _time);
        var cooldowns = new List<double> { policy.CurrentCooldown.TotalSeconds };
        for (var i = 0; i < 5; i++)
        {
            Assert.That(policy.Evaluate(90, false).Fire, Is.True);
            cooldowns.Add(policy.CurrentCooldown.TotalSeconds);
            _time.Advance(policy.CurrentCooldown);
        }

        Assert.That(cooldowns, Is.EqualTo(new double[] { 60, 180, 540, 1000, 1000, 1000 }));
    }

    [Test]
    public void FactorOneReproducesTheSeedRuleOfOneInterruptPerCooldown()
    {
        var policy = new InterruptPolicy(new InterruptPolicyOptions { CooldownBackoffFactor = 1 }, _time);
        var fired = HoldScore(policy, 90, seconds: 3600);
        Assert.Multiple(() =>
        {
            Assert.That(fired, Is.EqualTo(Enumerable.Range(0, 60).Select(i => i * 60.0)));
            Assert.That(policy.CurrentCooldown, Is.EqualTo(TimeSpan.FromSeconds(60)));
        });
    }

    [Test]
    public void ANewHighMayInterruptAfterTheBaseCooldownWithoutUndoingTheBackoff()
    {
        var policy = Backoff(factor: 2, maxCooldownSeconds: 3600, newHighPoints: 5, episodeQuietSeconds: 600);
        Assert.That(HoldScore(policy, 80, seconds: 130), Is.EqualTo(new double[] { 0, 120 }));
        Assert.That(policy.CurrentCooldown, Is.EqualTo(TimeSpan.FromSeconds(240)));

        Assert.That(policy.Evaluate(84.9, false).Fire, Is.False, "4.9 points above the highest interrupt is not news, and 240 s have not passed");
        Assert.That(policy.Evaluate(85, false).Fire, Is.False, "news, but the base cooldown since the last interrupt still holds");
        Assert.That(policy.CurrentCooldown, Is.EqualTo(TimeSpan.FromSeconds(240)), "news does not reset the backoff");

        // Still news once the base cooldown has passed: it interrupts 60 s after the last one, not 240 s.
        Assert.That(HoldScore(policy, 85, seconds: 60), Is.EqualTo(new double[] { 180 }));
        Assert.Multiple(() =>
        {
            Assert.That(policy.CurrentCooldown, Is.EqualTo(TimeSpan.FromSeconds(240)), "a new-high interrupt neither resets nor multiplies the backoff");
            Assert.That(policy.EpisodeInterruptCount, Is.EqualTo(3), "a new high does not start a new episode");
        });

        // 88 is only 3 above the new highest (85): the next interrupt needs the backed-off 240 s from 180 s, then 480 s.
        Assert.That(HoldScore(policy, 88, seconds: 300), Is.EqualTo(new double[] { 420 }));
        Assert.That(policy.CurrentCooldown, Is.EqualTo(TimeSpan.FromSeconds(480)));
    }

    [Test]
    public void ANewHighIsNewsOnlyWhileTheScoreIsThere()
    {
        var policy = Backoff(factor: 2, maxCooldownSeconds: 3600, newHighPoints: 5, episodeQuietSeconds: 600);
        Assert.That(HoldScore(policy, 80, seconds: 130), Is.EqualTo(new double[] { 0, 120 }));
        Assert.That(policy.Evaluate(85, false).Fire, Is.False, "news, but within the base cooldown");
        _time.Advance(TimeSpan.FromSeconds(1));

        // Back to 82 before the base cooldown has passed: nothing is left of the news, so 82 waits the backed-off 240 s.
        Assert.That(HoldScore(policy, 82, seconds: 300), Is.EqualTo(new double[] { 360 }));
    }

    [Test]
    public void ANewHighIsMeasuredFromTheHighestInterruptNotTheLatest()
    {
        var policy = Backoff(factor: 2, maxCooldownSeconds: 3600, newHighPoints: 5, episodeQuietSeconds: 600);
        Assert.That(policy.Evaluate(90, false).Fire, Is.True);
        _time.Advance(TimeSpan.FromSeconds(120));
        Assert.That(policy.Evaluate(80, false).Fire, Is.True);
        _time.Advance(TimeSpan.FromSeconds(1));

        // 6 above the last interrupt (80) but below the episode's 90: not news, so no interrupt at 180 s (the base
        // cooldown); it would need 240 s from 120 s.
        Assert.That(HoldScore(policy, 86, seconds: 100), Is.Empty);

        // 5 above the episode's 90 is news: the base cooldown (60 s since 120 s) has long passed.
        Assert.That(policy.Evaluate(95, false).Fire, Is.True);
    }

    [Test]
    public void APlateauIsNotNewsEvenWithNewHighPointsZero()
    {
        var policy = Backoff(factor: 2, maxCooldownSeconds: 3600, newHighPoints: 0, episodeQuietSeconds: 600);
        Assert.That(HoldScore(policy, 90, seconds: 400), Is.EqualTo(new double[] { 0, 120, 360 }), "news would interrupt every 60 s");

        // Any rise at all is news with NewHighPoints 0: 90.5 interrupts once 60 s have passed since 360 s.
        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.That(policy.Evaluate(90.5, false).Fire, Is.True);
    }

    [Test]
    public void ABriefDipBelowDoesNotEndTheEpisode()
    {
        var policy = Backoff(factor: 2, maxCooldownSeconds: 3600, newHighPoints: 5, episodeQuietSeconds: 600);
        Assert.That(HoldScore(policy, 90, seconds: 400), Is.EqualTo(new double[] { 0, 120, 360 }));
        Assert.That(policy.Evaluate(60, false).Crossing, Is.EqualTo(ThresholdCrossing.Down), "the info alert is unchanged");
        Assert.That(HoldScore(policy, 60, seconds: 100), Is.Empty);

        var back = policy.Evaluate(90, false);
        Assert.Multiple(() =>
        {
            Assert.That(back.Crossing, Is.EqualTo(ThresholdCrossing.Up), "the warning is unchanged");
            Assert.That(back.Fire, Is.False, "141 s since the last interrupt, the episode's 480 s not yet");
            Assert.That(policy.CurrentCooldown, Is.EqualTo(TimeSpan.FromSeconds(480)));
            Assert.That(policy.EpisodeInterruptCount, Is.EqualTo(3));
        });
        Assert.That(HoldScore(policy, 90, seconds: 400), Is.EqualTo(new double[] { 840 }));
    }

    [Test]
    public void AQuietPeriodBelowEndsTheEpisode()
    {
        var policy = Backoff(factor: 2, maxCooldownSeconds: 3600, newHighPoints: 5, episodeQuietSeconds: 600);
        Assert.That(HoldScore(policy, 90, seconds: 400), Is.EqualTo(new double[] { 0, 120, 360 }));
        HoldScore(policy, 60, seconds: 600);
        Assert.That(policy.CurrentCooldown, Is.EqualTo(TimeSpan.FromSeconds(480)), "599 s of quiet is not enough");

        policy.Evaluate(60, false);
        Assert.Multiple(() =>
        {
            Assert.That(policy.CurrentCooldown, Is.EqualTo(TimeSpan.FromSeconds(60)), "600 s of quiet");
            Assert.That(policy.EpisodeInterruptCount, Is.Zero);
        });

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.That(HoldScore(policy, 90, seconds: 200), Is.EqualTo(new double[] { 1001, 1121 }), "a new episode backs off from the base again");
    }

    [Test]
    public void AScoreBackInTheHysteresisBandRestartsTheQuietCount()
    {
        var policy = Backoff(factor: 2, maxCooldownSeconds: 3600, newHighPoints: 5, episodeQuietSeconds: 600);
        HoldScore(policy, 90, seconds: 400);
        HoldScore(policy, 60, seconds: 500);
        Assert.That(policy.Evaluate(72, false).Crossing, Is.EqualTo(ThresholdCrossing.None), "within the band: neither alert");
        _time.Advance(TimeSpan.FromSeconds(1));
        HoldScore(policy, 60, seconds: 500);
        Assert.That(policy.CurrentCooldown, Is.EqualTo(TimeSpan.FromSeconds(480)), "quiet for 500 s twice, never 600 s at a stretch");
    }

    [Test]
    public void QuietZeroEndsTheEpisodeAtTheDownCrossing()
    {
        var policy = Backoff(factor: 2, maxCooldownSeconds: 3600, newHighPoints: 5, episodeQuietSeconds: 0);
        HoldScore(policy, 90, seconds: 400);
        Assert.That(policy.Evaluate(69.9, false).Crossing, Is.EqualTo(ThresholdCrossing.Down));
        Assert.Multiple(() =>
        {
            Assert.That(policy.CurrentCooldown, Is.EqualTo(TimeSpan.FromSeconds(60)));
            Assert.That(policy.EpisodeInterruptCount, Is.Zero);
        });
    }

    [Test]
    public void ForcedInterruptsRestartTheCooldownButDoNotAdvanceTheBackoff()
    {
        var policy = Backoff(factor: 2, maxCooldownSeconds: 3600, newHighPoints: 5, episodeQuietSeconds: 600);
        Assert.That(policy.Evaluate(90, false).Fire, Is.True);
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.That(policy.TryForce().Allowed, Is.True);
        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.That(policy.TryForce().Allowed, Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(policy.CurrentCooldown, Is.EqualTo(TimeSpan.FromSeconds(120)));
            Assert.That(policy.EpisodeInterruptCount, Is.EqualTo(1), "automatic interrupts only");
            Assert.That(policy.InterruptCount, Is.EqualTo(3));
        });

        // The last forced one was at 50 s: the next automatic one needs 120 s from it, and then 240 s.
        Assert.That(HoldScore(policy, 90, seconds: 500), Is.EqualTo(new double[] { 170, 410 }));
    }

    [TestCase(0.5)]
    [TestCase(10.5)]
    [TestCase(double.NaN)]
    public void InvalidBackoffFactorIsReported(double factor) =>
        Assert.That(
            new InterruptPolicyOptions { CooldownBackoffFactor = factor }.Validate(),
            Is.EqualTo(new[] { $"Risk:CooldownBackoffFactor must be between 1 and 10 (was {factor})." }));

    [TestCase(-1)]
    [TestCase(86401)]
    [TestCase(double.PositiveInfinity)]
    public void InvalidMaxCooldownIsReported(double seconds) =>
        Assert.That(
            new InterruptPolicyOptions { MaxCooldownSeconds = seconds }.Validate(),
            Is.EqualTo(new[] { $"Risk:MaxCooldownSeconds must be between 0 and 86400 seconds (was {seconds})." }));

    [TestCase(-0.1)]
    [TestCase(100.1)]
    [TestCase(double.NaN)]
    public void InvalidNewHighPointsIsReported(double points) =>
        Assert.That(
            new InterruptPolicyOptions { NewHighPoints = points }.Validate(),
            Is.EqualTo(new[] { $"Risk:NewHighPoints must be between 0 and 100 (was {points})." }));

    [TestCase(-1)]
    [TestCase(86401)]
    [TestCase(double.NaN)]
    public void InvalidEpisodeQuietSecondsIsReported(double seconds) =>
        Assert.That(
            new InterruptPolicyOptions { EpisodeQuietSeconds = seconds }.Validate(),
            Is.EqualTo(new[] { $"Risk:EpisodeQuietSeconds must be between 0 and 86400 seconds (was {seconds})." }));

    [Test]
    public void MaxCooldownBelowTheCooldownIsRefusedNamingBothKeys() =>
        Assert.That(
            new InterruptPolicyOptions { CooldownSeconds = 120, MaxCooldownSeconds = 119 }.Validate(),
            Is.EqualTo(new[] { "Risk:MaxCooldownSeconds must be at least Risk:CooldownSeconds (was 119 < 120)." }));

    [Test]
    public void MaxCooldownEqualToTheCooldownIsAcceptedAndMeansNoBackoff()
    {
        var policy = new InterruptPolicy(new InterruptPolicyOptions { CooldownSeconds = 60, MaxCooldownSeconds = 60 }, _time);
        Assert.That(HoldScore(policy, 90, seconds: 200), Is.EqualTo(new double[] { 0, 60, 120, 180 }));
    }

    [TestCase(-1, 3600, "Risk:CooldownSeconds must be between")]
    [TestCase(90000, 3600, "Risk:CooldownSeconds must be between")]
    [TestCase(60, -5, "Risk:MaxCooldownSeconds must be between")]
    [TestCase(60, double.NaN, "Risk:MaxCooldownSeconds must be between")]
    public void OneBadCooldownValueGivesOneMessage(double cooldown, double maxCooldown, string expected) =>
        Assert.That(
            new InterruptPolicyOptions { CooldownSeconds = cooldown, MaxCooldownSeconds = maxCooldown }.Validate(),
            Has.Exactly(1).Items.And.One.StartsWith(expected));

    /// <summary>Threshold 75, cooldown 60 s, hysteresis 5 and the given backoff, so a test does not depend on the defaults.</summary>
    private InterruptPolicy Backoff(double factor, double maxCooldownSeconds, double newHighPoints, double episodeQuietSeconds) =>
        new(
            new InterruptPolicyOptions
            {
                Threshold = 75,
                CooldownSeconds = 60,
                HysteresisPoints = 5,
                ForcedMinimumIntervalSeconds = 10,
                CooldownBackoffFactor = factor,
                MaxCooldownSeconds = maxCooldownSeconds,
                NewHighPoints = newHighPoints,
                EpisodeQuietSeconds = episodeQuietSeconds,
            },
            _time);

    /// <summary>Evaluates <paramref name="score"/> once a second for <paramref name="seconds"/> seconds; returns when it fired, in seconds since the test began.</summary>
    private List<double> HoldScore(InterruptPolicy policy, double score, int seconds)
    {
        var fired = new List<double>();
        for (var i = 0; i < seconds; i++)
        {
            if (policy.Evaluate(score, warmingUp: false).Fire)
            {
                fired.Add(_time.GetElapsedTime(_start).TotalSeconds);
            }

            _time.Advance(TimeSpan.FromSeconds(1));
        }

        return fired;
    }
}
