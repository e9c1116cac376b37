using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using RiskConsole.Core.Signals;
using RiskConsole.Engine.Publishing;

namespace RiskConsole.Tests.Engine.Publishing;

/// <summary>
/// Readiness through the real router: it fails, saying why, when accepted signals get no evaluated bar, when the
/// signal backlog is too large, and at once when a loop ends; and it recovers when scoring does. The router logs
/// each change, which is also what these tests await.
/// </summary>
public sealed class EventRouterReadinessTests
{
    private static readonly DateTimeOffset Start = RouterHarness.Start;

    [Test]
    public async Task AcceptedSignalsWithNoEvaluatedBarMakeReadinessUnhealthyUntilBarsAreEvaluatedAgain()
    {
        // The engine's clock stands still while the router's moves: every signal lands in the same open bar, so the
        // engine accepts them and never closes a bar — scoring has stalled although signals keep arriving.
        var engineClock = new FakeTimeProvider(Start.AddMilliseconds(500));
        await using var router = new RouterHarness(new RiskPublishOptions { PublishIntervalMs = 100, StallAfterSeconds = 10 }, engineClock);
        await router.StartAsync();

        for (var second = 0; second <= 11; second++)
        {
            await router.WriteAndWaitAsync(new SentimentSample("r/x", 0.01 * second, Start.AddMilliseconds(second), $"post {second}"));
            router.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        var unhealthy = await router.Log.WaitFor(e => e.Message.StartsWith("Scoring unhealthy", StringComparison.Ordinal), "the stall");
        var stalled = router.Health.Assess();

        engineClock.Advance(TimeSpan.FromSeconds(1));
        router.Tick();
        var recovered = await router.Log.WaitFor(e => e.Message.StartsWith("Scoring healthy again", StringComparison.Ordinal), "the recovery");
        var healthy = router.Health.Assess();

        Assert.Multiple(() =>
        {
            Assert.That(unhealthy.Level, Is.EqualTo(LogLevel.Error));
            Assert.That(unhealthy.Message, Does.Match(@"^Scoring unhealthy, readiness fails: scoring stalled: 1[0-2] signals accepted but no bar evaluated since the router started at 00:00:00Z, 1[0-2] s ago$"));
            Assert.That(stalled.Status, Is.EqualTo(HealthStatus.Unhealthy));
            Assert.That(stalled.Description, Is.EqualTo("scoring stalled: 12 signals accepted but no bar evaluated since the router started at 00:00:00Z, 12 s ago"));
            Assert.That(stalled.Data["signalsAccepted"], Is.EqualTo(12L));
            Assert.That(stalled.Data["signalsRead"], Is.EqualTo(25L), "each accepted signal, its probe, and the probe at start");
            Assert.That(stalled.Data["barsEvaluated"], Is.Zero);
            Assert.That(stalled.Data["lastEvaluationAt"], Is.EqualTo("never"));
            Assert.That(recovered.Level, Is.EqualTo(LogLevel.Information));
            Assert.That(healthy.Status, Is.EqualTo(HealthStatus.Healthy));
            Assert.That(healthy.Description, Is.EqualTo("event router running: 12 signals accepted, last bar evaluated at 00:00:12Z"));
            Assert.That(healthy.Data["barsEvaluated"], Is.EqualTo(1L));
        });
    }

    [Test]
    public async Task ABacklogAboveItsLimitMakesReadinessUnhealthyUntilTheReaderCatchesUp()
    {
        await using var router = new RouterHarness(new RiskPublishOptions { PublishIntervalMs = 100, StallAfterSeconds = 10, MaxHealthyBacklog = 50 });
        await router.StartAsync();

        // A log sink that blocks holds the reader, as any slow call on its path would.
        router.Log.HoldWhen(e => e.Message.Contains("signal for hold:", StringComparison.Ordinal));
        await router.Channel.Writer.WriteAsync(new PriceTick("hold", -1, Start));
        await router.Log.Holding.Task.WaitAsync(RouterHarness.Timeout);
        for (var i = 0; i < 60; i++)
        {
            await router.Channel.Writer.WriteAsync(new PriceTick("BTCUSDT", 100 + i, Start.AddMilliseconds(i + 1)));
        }

        router.Tick();
        var unhealthy = await router.Log.WaitFor(e => e.Message.StartsWith("Scoring unhealthy", StringComparison.Ordinal), "the backlog");
        var backedUp = router.Health.Assess();

        router.Log.Release();
        await router.WriteAndWaitAsync();
        router.Tick();
        await router.Log.WaitFor(e => e.Message.StartsWith("Scoring healthy again", StringComparison.Ordinal), "the recovery");

        Assert.Multiple(() =>
        {
            Assert.That(unhealthy.Message, Is.EqualTo("Scoring unhealthy, readiness fails: signal backlog at 60 waiting (Risk:MaxHealthyBacklog is 50)"));
            Assert.That(backedUp.Status, Is.EqualTo(HealthStatus.Unhealthy));
            Assert.That(backedUp.Data["backlog"], Is.EqualTo(60));
            Assert.That(router.Health.Assess().Status, Is.EqualTo(HealthStatus.Healthy));
        });
    }

    [Test]
    public async Task AReaderHeldForTheStallWindowWithSignalsWaitingIsReported()
    {
        await using var router = new RouterHarness(new RiskPublishOptions { PublishIntervalMs = 100, StallAfterSeconds = 10 });
        await router.StartAsync();
        router.Log.HoldWhen(e => e.Message.Contains("signal for hold:", StringComparison.Ordinal));
        await router.Channel.Writer.WriteAsync(new PriceTick("hold", -1, Start));
        await router.Log.Holding.Task.WaitAsync(RouterHarness.Timeout);
        for (var i = 0; i < 3; i++)
        {
            await router.Channel.Writer.WriteAsync(new PriceTick("BTCUSDT", 100 + i, Start.AddMilliseconds(i + 1)));
        }

        router.Clock.Advance(TimeSpan.FromSeconds(10));
        var unhealthy = await router.Log.WaitFor(e => e.Message.StartsWith("Scoring unhealthy", StringComparison.Ordinal), "the held reader");

        Assert.That(unhealthy.Message, Is.EqualTo("Scoring unhealthy, readiness fails: signal reader stalled: 3 signals waiting, none read for 10 s"));
    }

    [Test]
    public async Task ALoopThatEndsMakesReadinessUnhealthyAtOnceWhileTheOthersRun()
    {
        await using var router = new RouterHarness();
        await router.StartAsync();
        router.Channel.Writer.Complete(new InvalidOperationException("a listener tore the channel down"));

        var ended = await router.Log.WaitFor(e => e.Level == LogLevel.Critical, "the read loop's end");
        var report = router.Health.Assess();

        Assert.Multiple(() =>
        {
            Assert.That(ended.Message, Is.EqualTo("Event router read loop ended unexpectedly (a listener tore the channel down); readiness fails until restart"));
            Assert.That(report.Status, Is.EqualTo(HealthStatus.Unhealthy));
            Assert.That(report.Description, Is.EqualTo("read loop ended unexpectedly: InvalidOperationException: a listener tore the channel down"));
            Assert.That(report.Data["running"], Is.False);
            Assert.That(router.Health.IsRunning, Is.False);
            Assert.That(router.Router.ExecuteTask!.IsCompleted, Is.False, "the tick and the sender still run");
        });
    }
}
