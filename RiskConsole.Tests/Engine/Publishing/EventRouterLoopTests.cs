using Microsoft.Extensions.Logging;
using RiskConsole.Core.Contracts;
using RiskConsole.Core.Signals;
using RiskConsole.Engine;
using RiskConsole.Engine.Interrupts;
using RiskConsole.Engine.Publishing;
using RiskConsole.Engine.Scoring;

namespace RiskConsole.Tests.Engine.Publishing;

/// <summary>
/// Each of the router's loops survives a fault of one item — logged, counted, and the loop goes on — and only
/// shutdown ends them, promptly. The faults come from the real code path: a signal the engine takes badly, a
/// signal type whose own property throws, an engine clock that fails, a SignalR send that fails or hangs.
/// </summary>
public sealed class EventRouterLoopTests
{
    private static readonly DateTimeOffset Start = RouterHarness.Start;

    [Test]
    public async Task AMarketWithoutAQuestionDoesNotStopLaterSignalsFromBeingScoredOrPublished()
    {
        await using var router = new RouterHarness();
        await router.StartAsync();

        // Today RiskMonitor throws on it (a null dictionary key); an engine that rejects it instead is fine too.
        var bad = new MarketProbability("m1", null!, 0.5, Start.AddMilliseconds(5));
        await router.WriteAndWaitAsync(bad, new PriceTick("BTCUSDT", 100, Start.AddMilliseconds(10)), new MarketProbability("m2", "Will it rain?", 0.4, Start.AddMilliseconds(20)));
        router.Clock.Advance(TimeSpan.FromSeconds(1));

        var price = await router.Hub.Data(d => d.Data is PriceTick { Symbol: "BTCUSDT" });
        var market = await router.Hub.Data(d => d.Data is MarketProbability { MarketId: "m2" });
        var score = await router.Hub.Score();
        var faultLogged = router.Log.Entries.Any(e => e.Level == LogLevel.Error && e.Message.Contains("for m1", StringComparison.Ordinal));
        var rejectedLogged = router.Log.Entries.Any(e => e.Message.StartsWith("Rejected polymarket signal for m1:", StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            Assert.That(price.Source, Is.EqualTo(DataSources.Crypto), "data updates still flow after the bad signal");
            Assert.That(market.Source, Is.EqualTo(DataSources.Polymarket));
            Assert.That(score.Seq, Is.EqualTo(1), "the signals after the bad one were scored");
            Assert.That(router.Monitor.Statistics().TotalUpdates, Is.GreaterThan(0));
            Assert.That(faultLogged || rejectedLogged, Is.True, "the bad signal was either rejected or counted as a logged fault");
            Assert.That(router.Health.FaultCounts().Read, Is.EqualTo(faultLogged ? 1 : 0));
            Assert.That(router.Health.Assess().Status, Is.Not.EqualTo(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Unhealthy), "one bad signal is no stall");
        });
    }

    [Test]
    public async Task AReadFaultIsLoggedWithTheSignalsSourceAndTheReaderGoesOn()
    {
        await using var router = new RouterHarness();
        await router.StartAsync();

        await router.Channel.Writer.WriteAsync(new SignalWithUnsetKey(Start));
        // A post as well: a price alone has no return yet, and a bar without component data is not scored.
        await router.WriteAndWaitAsync(new PriceTick("BTCUSDT", 100, Start.AddMilliseconds(10)), new SentimentSample("r/x", 0.1, Start.AddMilliseconds(11), "gm"));
        var fault = await router.Log.WaitFor(e => e.Level == LogLevel.Error, "the read fault");
        router.Clock.Advance(TimeSpan.FromSeconds(1));
        var price = await router.Hub.Data(d => d.Data is PriceTick { Symbol: "BTCUSDT" });
        var score = await router.Hub.Score();

        Assert.Multiple(() =>
        {
            Assert.That(fault.Message, Does.StartWith("Event router read loop: a crypto signal for (unreadable: InvalidOperationException) (SignalWithUnsetKey) failed and was skipped"));
            Assert.That(fault.Message, Does.Contain("(read fault 1, 0 more since the last one logged)"));
            Assert.That(fault.Exception, Is.TypeOf<InvalidOperationException>().With.Message.EqualTo("the market id was never set"));
            Assert.That(router.Health.FaultCounts(), Is.EqualTo(new RouterFaultCounts(1, 0, 0)));
            Assert.That(price.Data, Is.TypeOf<PriceTick>(), "the signal after the fault was read and published");
            Assert.That(score.Seq, Is.EqualTo(1), "and scored");
            Assert.That(router.Health.IsRunning, Is.True);
        });
    }

    [Test]
    public async Task ATickFaultIsCountedAndLoggedAndScoringResumesWhenItStops()
    {
        var engineClock = new FailingClock(RouterHarness.Start);
        await using var router = new RouterHarness(engineClock: engineClock);
        engineClock.Follow(router.Clock);
        await router.StartAsync();
        await router.WriteAndWaitAsync(new PriceTick("BTCUSDT", 100, Start.AddMilliseconds(10)), new SentimentSample("r/x", 0.1, Start.AddMilliseconds(11), "gm"));

        engineClock.Failing = true;
        router.Tick();
        var fault = await router.Log.WaitFor(e => e.Level == LogLevel.Error, "the tick fault");
        engineClock.Failing = false;
        router.Clock.Advance(TimeSpan.FromSeconds(1));
        var score = await router.Hub.Score();

        Assert.Multiple(() =>
        {
            Assert.That(fault.Message, Does.StartWith("Event router tick loop failed and goes on (fault 1 of this loop"));
            Assert.That(fault.Exception, Is.TypeOf<InvalidOperationException>().With.Message.EqualTo("the engine clock is unavailable"));
            Assert.That(router.Health.FaultCounts().Tick, Is.EqualTo(1));
            Assert.That(score.Seq, Is.EqualTo(1), "the next tick evaluated and published");
        });
    }

    [Test]
    public async Task ACancellationThatIsNotShutdownDoesNotEndPublishing()
    {
        await using var router = new RouterHarness();
        router.Hub.FailNextSend(new OperationCanceledException("the client's transport gave up"));
        await router.StartAsync();

        await router.WriteAndWaitAsync(new PriceTick("BTCUSDT", 100, Start.AddMilliseconds(10)));
        router.Tick();
        var fault = await router.Log.WaitFor(e => e.Level == LogLevel.Error, "the send fault");
        await router.WriteAndWaitAsync(new PriceTick("ETHUSDT", 10, Start.AddMilliseconds(20)));
        router.Tick();
        var later = await router.Hub.Data(d => d.Data is PriceTick { Symbol: "ETHUSDT" });

        Assert.Multiple(() =>
        {
            Assert.That(fault.Message, Does.StartWith("Event router send loop failed and goes on (fault 1 of this loop"));
            Assert.That(fault.Exception, Is.TypeOf<OperationCanceledException>());
            Assert.That(later.Source, Is.EqualTo(DataSources.Crypto), "publishing went on after the foreign cancellation");
            Assert.That(router.Health.FaultCounts(), Is.EqualTo(new RouterFaultCounts(0, 0, 1)));
            Assert.That(router.Health.IsRunning, Is.True);
        });
    }

    [Test]
    public async Task ShutdownStopsTheRouterPromptlyEvenWithASendStuckOnAClient()
    {
        await using var router = new RouterHarness();
        router.Hub.HangSends();
        await router.StartAsync();
        await router.WriteAndWaitAsync(new PriceTick("BTCUSDT", 100, Start.AddMilliseconds(10)));
        router.Tick();
        await router.Hub.SendHung.Task.WaitAsync(RouterHarness.Timeout);

        await router.Router.StopAsync(CancellationToken.None).WaitAsync(RouterHarness.Timeout);

        var report = router.Health.Assess();
        Assert.Multiple(() =>
        {
            Assert.That(router.Router.ExecuteTask!.IsCompleted, Is.True);
            Assert.That(router.Health.IsRunning, Is.False);
            Assert.That(report.Description, Is.EqualTo("event router not running"));
            Assert.That(router.Log.Entries.Where(e => e.Level >= LogLevel.Error), Is.Empty, "shutdown is neither a fault nor an unexpected end");
        });
    }

    /// <summary>A listener's own signal type whose key comes from a field it forgot to set.</summary>
    private sealed record SignalWithUnsetKey(DateTimeOffset At) : MarketSignal(At, false)
    {
        public override string Source => DataSources.Crypto;

        public override string Key => throw new InvalidOperationException("the market id was never set");
    }

    /// <summary>The engine's clock, following the router's fake clock, that a test can make throw.</summary>
    private sealed class FailingClock(DateTimeOffset start) : TimeProvider
    {
        private TimeProvider? _followed;
        private volatile bool _failing;

        public bool Failing
        {
            get => _failing;
            set => _failing = value;
        }

        public void Follow(TimeProvider clock) => _followed = clock;

        public override DateTimeOffset GetUtcNow() => _failing
            ? throw new InvalidOperationException("the engine clock is unavailable")
            : _followed?.GetUtcNow() ?? start;
    }
}
