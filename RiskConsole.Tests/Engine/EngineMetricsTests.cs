using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using RiskConsole.Ai;
using RiskConsole.Ai.Roasts;
using RiskConsole.Ai.Voice;
using RiskConsole.Core.Contracts;
using RiskConsole.Core.Signals;
using RiskConsole.Engine;
using RiskConsole.Engine.Interrupts;
using RiskConsole.Tests.Engine.Publishing;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace RiskConsole.Tests.Engine;

/// <summary>
/// Each instrument of the engine's meter, observed on the real code path (the router reading, ticking and sending,
/// the interrupt workflow calling its AI services) on fake time, so durations are exact.
/// </summary>
public sealed class EngineMetricsTests
{
    private static readonly DateTimeOffset Start = RouterHarness.Start;

    [Test]
    public async Task EverySignalReadIsCountedPerSourceAndEveryRefusalPerReason()
    {
        await using var router = new RouterHarness();
        using var received = router.Meters.Collect<long>(EngineMetrics.MeterName, "riskconsole.signals.received");
        using var rejected = router.Meters.Collect<long>(EngineMetrics.MeterName, "riskconsole.signals.rejected");

        // The harness writes a probe priced -1 (refused: non_positive_price) at start and after each batch.
        await router.StartAsync();
        await router.WriteAndWaitAsync(
            new PriceTick("BTCUSDT", 100, Start.AddMilliseconds(10)),
            new MarketProbability("m1", "Will it rain?", 1.5, Start.AddMilliseconds(11)),
            new SentimentSample("r/x", 0.1, Start.AddMilliseconds(12), "gm"));

        Assert.Multiple(() =>
        {
            Assert.That(Sum(received, "source"), Is.EquivalentTo(new Dictionary<string, long>
            {
                [DataSources.Crypto] = 3,
                [DataSources.Polymarket] = 1,
                [DataSources.Reddit] = 1,
            }));
            Assert.That(Sum(rejected, "source", "reason"), Is.EquivalentTo(new Dictionary<string, long>
            {
                [$"{DataSources.Crypto}/{SignalVerdict.NonPositivePrice.Name()}"] = 2,
                [$"{DataSources.Polymarket}/{SignalVerdict.ProbabilityOutOfRange.Name()}"] = 1,
            }));
        });
    }

    [Test]
    public async Task EachScoreSentToTheClientsIsCountedAndEachTickTimed()
    {
        await using var router = new RouterHarness();
        using var published = router.Meters.Collect<long>(EngineMetrics.MeterName, "riskconsole.scores.published");
        using var ticks = router.Meters.Collect<double>(EngineMetrics.MeterName, "riskconsole.publish.duration");
        await router.StartAsync();
        Assert.That(published.GetMeasurementSnapshot(), Is.Empty, "nothing is published before a tick");

        // A post as well: a price alone has no return yet, and a bar without component data is not scored.
        await router.WriteAndWaitAsync(new PriceTick("BTCUSDT", 100, Start.AddMilliseconds(10)), new SentimentSample("r/x", 0.1, Start.AddMilliseconds(11), "gm"));
        router.Clock.Advance(TimeSpan.FromSeconds(1));
        await router.Hub.Score();
        await published.WaitForMeasurementsAsync(1, RouterHarness.Timeout);
        await ticks.WaitForMeasurementsAsync(1, RouterHarness.Timeout);

        Assert.Multiple(() =>
        {
            Assert.That(published.GetMeasurementSnapshot().Sum(m => m.Value), Is.EqualTo(router.Hub.Sent.OfType<RiskScoreUpdate>().Count()));
            Assert.That(ticks.GetMeasurementSnapshot().Select(m => m.Value), Is.All.EqualTo(0.0), "fake time does not move inside a tick");
        });
    }

    [Test]
    public async Task AForcedInterruptIsCountedAndItsRoastAndVoiceAreTimed()
    {
        await using var router = new RouterHarness();
        using var interrupts = router.Meters.Collect<long>(EngineMetrics.MeterName, "riskconsole.interrupts");
        using var ai = router.Meters.Collect<double>(EngineMetrics.MeterName, "riskconsole.ai.duration");
        var workflow = Workflow(router, new TimedRoastWriter(router, TimeSpan.FromSeconds(1.5)), new TimedVoice(router, TimeSpan.FromSeconds(0.5)));

        Assert.That(workflow.TryStart(forced: true), Is.True);
        await interrupts.WaitForMeasurementsAsync(1, RouterHarness.Timeout);

        Assert.Multiple(() =>
        {
            Assert.That(interrupts.GetMeasurementSnapshot().Single().Tags["trigger"], Is.EqualTo(EngineMetrics.Forced));
            Assert.That(AiCalls(ai), Is.EqualTo(new[]
            {
                "roasts timed success 1.5",
                "voice timed-voice success 0.5",
            }));
        });
    }

    [Test]
    public async Task AnAutomaticInterruptWhoseRoastRunsOutOfTimeIsTimedToItsBudget()
    {
        await using var router = new RouterHarness();
        using var interrupts = router.Meters.Collect<long>(EngineMetrics.MeterName, "riskconsole.interrupts");
        using var ai = router.Meters.Collect<double>(EngineMetrics.MeterName, "riskconsole.ai.duration");
        var hanging = new HangingRoastWriter();
        var workflow = Workflow(router, hanging, new FailingVoice());

        Assert.That(workflow.TryStart(forced: false), Is.True);
        await hanging.Started.WaitAsync(RouterHarness.Timeout);
        router.Clock.Advance(TimeSpan.FromSeconds(new InterruptWorkflowOptions().InterruptBudgetSeconds));
        await interrupts.WaitForMeasurementsAsync(1, RouterHarness.Timeout);

        Assert.Multiple(() =>
        {
            Assert.That(interrupts.GetMeasurementSnapshot().Single().Tags["trigger"], Is.EqualTo(EngineMetrics.Automatic));
            Assert.That(AiCalls(ai), Is.EqualTo(new[]
            {
                "roasts hanging timeout 20",
                "voice failing-voice timeout 0",
            }), "the voice is called with the spent budget, so it counts as a timeout too");
        });
    }

    [Test]
    public async Task AFailingVoiceIsRecordedAsAFailure()
    {
        await using var router = new RouterHarness();
        using var interrupts = router.Meters.Collect<long>(EngineMetrics.MeterName, "riskconsole.interrupts");
        using var ai = router.Meters.Collect<double>(EngineMetrics.MeterName, "riskconsole.ai.duration");
        var workflow = Workflow(router, new TimedRoastWriter(router, TimeSpan.Zero), new FailingVoice());

        Assert.That(workflow.TryStart(forced: true), Is.True);
        await interrupts.WaitForMeasurementsAsync(1, RouterHarness.Timeout);

        Assert.That(AiCalls(ai), Is.EqualTo(new[] { "roasts timed success 0", "voice failing-voice failure 0" }));
    }

    private static InterruptWorkflow Workflow(RouterHarness router, IRoastWriter roasts, ISpeechSynthesizer voice) =>
        new(
            router.Monitor,
            roasts,
            new OfflineRoastWriter(new Random(3)),
            voice,
            router.Outbound,
            new AiStatusBoard(roasts, voice, MsOptions.Create(new OpenAIOptions()), MsOptions.Create(new ElevenLabsOptions()), router.Clock),
            router.Metrics,
            MsOptions.Create(new InterruptWorkflowOptions()),
            MsOptions.Create(new ElevenLabsOptions()),
            new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance),
            router.Clock,
            NullLogger<InterruptWorkflow>.Instance);

    private static string[] AiCalls(MetricCollector<double> ai) =>
        [.. ai.GetMeasurementSnapshot().Select(m => FormattableString.Invariant($"{m.Tags["service"]} {m.Tags["provider"]} {m.Tags["outcome"]} {m.Value}"))];

    private static Dictionary<string, long> Sum(MetricCollector<long> collector, params string[] tags) =>
        collector.GetMeasurementSnapshot()
            .GroupBy(m => string.Join('/', tags.Select(t => m.Tags[t])), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(m => m.Value), StringComparer.Ordinal);

    /// <summary>A roast writer that takes <paramref name="takes"/> of the harness's fake time to answer.</summary>
    private sealed class TimedRoastWriter(RouterHarness router, TimeSpan takes) : IRoastWriter
    {
        public string Name => "timed";

        public Task<string> WriteAsync(RoastContext context, CancellationToken cancellationToken)
        {
            router.Clock.Advance(takes);
            return Task.FromResult("You call this risk management?");
        }
    }

    private sealed class TimedVoice(RouterHarness router, TimeSpan takes) : ISpeechSynthesizer
    {
        public string Name => "timed-voice";

        public Task<string?> SynthesizeAsync(string text, CancellationToken cancellationToken)
        {
            router.Clock.Advance(takes);
            return Task.FromResult<string?>("/audio/roast.mp3");
        }
    }

    private sealed class HangingRoastWriter : IRoastWriter
    {
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Started => _started.Task;

        public string Name => "hanging";

        public async Task<string> WriteAsync(RoastContext context, CancellationToken cancellationToken)
        {
            _started.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return "never";
        }
    }

    private sealed class FailingVoice : ISpeechSynthesizer
    {
        public string Name => "failing-voice";

        public Task<string?> SynthesizeAsync(string text, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return Task.FromException<string?>(new HttpRequestException("voice service said no"));
        }
    }
}
