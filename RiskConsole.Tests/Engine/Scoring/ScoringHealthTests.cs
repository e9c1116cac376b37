using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RiskConsole.Server.Configuration;
using RiskConsole.Engine;
using RiskConsole.Engine.Interrupts;
using RiskConsole.Engine.Publishing;
using RiskConsole.Engine.Scoring;

namespace RiskConsole.Tests.Engine.Scoring;

/// <summary>The rules of <see cref="ScoringHealth"/> on fake time, each fed as the router feeds it.</summary>
public sealed class ScoringHealthTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 20, 41, 0, TimeSpan.Zero);
    private FakeTimeProvider _time = null!;
    private ScoringHealth _health = null!;

    [SetUp]
    public void SetUp()
    {
        _time = new FakeTimeProvider(Start);
        _health = new ScoringHealth(_time, Options.Create(new RiskPublishOptions { StallAfterSeconds = 30, MaxHealthyBacklog = 5000 }));
    }

    [Test]
    public void BeforeTheRouterStartsAndAfterItStopsReadinessFails()
    {
        var before = _health.Assess();
        _health.RouterStarted();
        var running = _health.Assess();
        _health.RouterStopped();
        Assert.Multiple(() =>
        {
            Assert.That(before.Status, Is.EqualTo(HealthStatus.Unhealthy));
            Assert.That(before.Description, Is.EqualTo("event router not running"));
            Assert.That(running.Status, Is.EqualTo(HealthStatus.Healthy));
            Assert.That(running.Description, Is.EqualTo("event router running: 0 signals accepted, no bar evaluated yet"));
            Assert.That(_health.Assess().Description, Is.EqualTo("event router not running"));
        });
    }

    [Test]
    public void AcceptedSignalsWithoutAnEvaluatedBarForTheWindowAreAStall()
    {
        _health.RouterStarted();
        Tick(barsEvaluated: 7);
        for (var second = 0; second < 45; second++)
        {
            for (var i = 0; i < 10; i++)
            {
                _health.SignalHandled(_health.SignalRead(), accepted: true);
            }

            _time.Advance(TimeSpan.FromSeconds(1));
            Tick(barsEvaluated: 7);
            if (second == 28)
            {
                Assert.That(_health.Assess().Status, Is.EqualTo(HealthStatus.Healthy), "29 s without a bar is inside the window");
            }
        }

        var report = _health.Assess();
        Assert.Multiple(() =>
        {
            Assert.That(report.Status, Is.EqualTo(HealthStatus.Unhealthy));
            Assert.That(report.Description, Is.EqualTo("scoring stalled: 450 signals accepted but no bar evaluated since 20:41:00Z, 45 s ago"));
            Assert.That(report.Data["lastEvaluationAt"], Is.EqualTo("2026-01-01T20:41:00.000Z"));
            Assert.That(report.Data["barsEvaluated"], Is.EqualTo(7L));
        });

        Tick(barsEvaluated: 8);
        Assert.That(_health.Assess().Status, Is.EqualTo(HealthStatus.Healthy), "a bar evaluated again");
    }

    [Test]
    public void NoEvaluatedBarIsNoStallWhileNoSignalIsAccepted()
    {
        // An engine evaluates nothing when no source has fresh data; that is quiet, not stalled.
        _health.RouterStarted();
        for (var second = 0; second < 120; second++)
        {
            _health.SignalHandled(_health.SignalRead(), accepted: false);
            _time.Advance(TimeSpan.FromSeconds(1));
            Tick(barsEvaluated: 0);
        }

        Assert.That(_health.Assess().Status, Is.EqualTo(HealthStatus.Healthy));
    }

    [Test]
    public void ABacklogRisingAtEveryCheckpointAcrossTheWindowIsReportedAsGrowing()
    {
        _health.RouterStarted();
        var backlogs = new[] { 200, 900, 2400, 4100, 4800 };
        var reports = new List<ScoringHealthReport>();
        foreach (var backlog in backlogs)
        {
            _health.SignalRead();
            _health.TickStarted(backlog);
            _health.TickCompleted(0);
            reports.Add(_health.Assess());
            _time.Advance(TimeSpan.FromSeconds(7.5));
        }

        Assert.Multiple(() =>
        {
            Assert.That(reports.Take(4).Select(r => r.Status), Is.All.EqualTo(HealthStatus.Healthy), "four checkpoints do not span the window yet");
            Assert.That(reports[^1].Status, Is.EqualTo(HealthStatus.Unhealthy));
            Assert.That(reports[^1].Description, Is.EqualTo("signal backlog growing: 4,800 waiting, up from 200 over the last 30 s"));
            Assert.That(reports[^1].Data["backlog"], Is.EqualTo(4800));
        });
    }

    [Test]
    public void BacklogJitterOfAReaderThatKeepsUpIsHealthy()
    {
        _health.RouterStarted();
        var seen = new List<HealthStatus>();
        foreach (var backlog in new[] { 0, 3, 12, 40, 90, 2, 0, 5, 9, 30, 60, 0 })
        {
            _health.SignalRead();
            _health.TickStarted(backlog);
            seen.Add(_health.Assess().Status);
            _time.Advance(TimeSpan.FromSeconds(7.5));
        }

        Assert.That(seen, Is.All.EqualTo(HealthStatus.Healthy), "rising at every checkpoint but by less than the growth floor, then falling");
    }

    [Test]
    public void FaultsAreCountedEveryTimeButLoggedFirstThenAtMostOnceAMinutePerLoop()
    {
        _health.RouterStarted();
        var first = _health.LoopFaulted(RouterLoop.Read, new InvalidOperationException("bad"));
        var burst = Enumerable.Range(0, 50).Select(_ => _health.LoopFaulted(RouterLoop.Read, new InvalidOperationException("bad"))).ToList();
        var otherLoop = _health.LoopFaulted(RouterLoop.Send, new TimeoutException("slow"));
        _time.Advance(TimeSpan.FromSeconds(61));
        var afterAMinute = _health.LoopFaulted(RouterLoop.Read, new InvalidOperationException("bad"));

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(new LoopFault(1, true, 0)));
            Assert.That(burst.Select(f => f.ShouldLog), Is.All.False);
            Assert.That(burst[^1].Count, Is.EqualTo(51));
            Assert.That(otherLoop.ShouldLog, Is.True, "each loop has its own budget");
            Assert.That(afterAMinute, Is.EqualTo(new LoopFault(52, true, 50)), "logged again, saying how many were not");
            Assert.That(_health.FaultCounts(), Is.EqualTo(new RouterFaultCounts(52, 0, 1)));
        });
    }

    [Test]
    public void ARecentFaultDegradesAndALoopThatOnlyFaultsForTheWindowIsUnhealthy()
    {
        _health.RouterStarted();
        var bars = 0L;
        _health.SignalHandled(_health.SignalRead(), accepted: true);
        _health.LoopFaulted(RouterLoop.Read, new ArgumentNullException("key"));
        _time.Advance(TimeSpan.FromSeconds(4));
        Tick(++bars);
        var degraded = _health.Assess();

        for (var second = 0; second < 30; second++)
        {
            _health.SignalRead();
            _health.LoopFaulted(RouterLoop.Read, new ArgumentNullException("key"));
            _time.Advance(TimeSpan.FromSeconds(1));
            Tick(++bars);
        }

        var failing = _health.Assess();
        _health.SignalHandled(_health.SignalRead(), accepted: true);
        var handledAgain = _health.Assess();
        _time.Advance(TimeSpan.FromSeconds(30));
        Tick(++bars);
        var quiet = _health.Assess();

        Assert.Multiple(() =>
        {
            Assert.That(degraded.Status, Is.EqualTo(HealthStatus.Degraded), "one bad signal is not a stall");
            Assert.That(degraded.Description, Is.EqualTo("read loop faulted once, last 4 s ago: ArgumentNullException: Value cannot be null. (Parameter 'key')"));
            Assert.That(failing.Status, Is.EqualTo(HealthStatus.Unhealthy));
            Assert.That(failing.Description, Is.EqualTo("read loop failing: 31 faults and no signal handled for 34 s; last: ArgumentNullException: Value cannot be null. (Parameter 'key')"));
            Assert.That(failing.Data["readFaults"], Is.EqualTo(31L));
            Assert.That(handledAgain.Status, Is.EqualTo(HealthStatus.Degraded));
            Assert.That(handledAgain.Description, Does.StartWith("read loop faulted 31 times, last 1 s ago"));
            Assert.That(quiet.Status, Is.EqualTo(HealthStatus.Healthy), "faults older than the window are history (still counted)");
            Assert.That(quiet.Data["readFaults"], Is.EqualTo(31L));
        });
    }

    [Test]
    public void ATickThatStopsComingAndASendThatNeverEndsAreReported()
    {
        _health.RouterStarted();
        Tick(barsEvaluated: 1);
        _health.SendStarted();
        _time.Advance(TimeSpan.FromSeconds(31));
        var report = _health.Assess();

        Assert.Multiple(() =>
        {
            Assert.That(report.Status, Is.EqualTo(HealthStatus.Unhealthy));
            Assert.That(report.Description, Is.EqualTo("publish tick stalled: none for 31 s; publishing slow: a send to clients has been in progress for 31 s"));
        });
    }

    [Test]
    public void ALoopThatEndedIsUnhealthyWhateverElseHappens()
    {
        _health.RouterStarted();
        _health.LoopEnded(RouterLoop.Send, "it returned before shutdown");
        Tick(barsEvaluated: 1);
        Assert.Multiple(() =>
        {
            Assert.That(_health.IsRunning, Is.False);
            Assert.That(_health.Assess().Description, Is.EqualTo("send loop ended unexpectedly: it returned before shutdown"));
        });
    }

    private void Tick(long barsEvaluated)
    {
        _health.TickStarted(0);
        _health.TickCompleted(barsEvaluated);
    }
}
