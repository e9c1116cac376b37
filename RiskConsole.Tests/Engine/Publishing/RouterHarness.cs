using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RiskConsole.Ai;
using RiskConsole.Ai.Roasts;
using RiskConsole.Ai.Voice;
using RiskConsole.Core.Interrupts;
using RiskConsole.Core.Risk;
using RiskConsole.Core.Signals;
using RiskConsole.Ingest;
using RiskConsole.Server.Configuration;
using RiskConsole.Server.Legacy;
using RiskConsole.Engine;
using RiskConsole.Engine.Interrupts;
using RiskConsole.Engine.Publishing;
using RiskConsole.Engine.Scoring;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace RiskConsole.Tests.Engine.Publishing;

/// <summary>
/// The real event router with its real collaborators (signal channel, RiskMonitor over a real RiskEngine and
/// InterruptPolicy, RiskBroadcaster, InterruptWorkflow, ScoringHealth), on fake time: only SignalR's hub context
/// and the logger are test doubles, and both are framework seams. The router and the health tracker run on
/// <see cref="Clock"/>; the engine on <see cref="EngineClock"/>, the same clock unless a test gives its own.
/// </summary>
public sealed class RouterHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A generous bound on real time for work that fake time has already made due; never a wait for a condition.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private int _probes;

    public RouterHarness(RiskPublishOptions? options = null, TimeProvider? engineClock = null, InterruptPolicyOptions? policy = null)
    {
        Options = options ?? new RiskPublishOptions { PublishIntervalMs = 100, StallAfterSeconds = 10 };
        Clock = new FakeTimeProvider(Start);
        EngineClock = engineClock ?? Clock;
        Channel = new SignalChannel();
        Monitor = new RiskMonitor(new RiskEngine(new RiskModelOptions { BarSeconds = 1, LatenessSeconds = 0 }), new InterruptPolicy(policy ?? new InterruptPolicyOptions(), EngineClock), EngineClock);
        Hub = new RecordingClients();
        Outbound = new OutboundMailbox();
        var roasts = new OfflineRoastWriter(new Random(1));
        var voice = new SilentSpeechSynthesizer();
        Metrics = new EngineMetrics(Meters.Factory);
        var interrupts = new InterruptWorkflow(
            Monitor,
            roasts,
            new OfflineRoastWriter(new Random(2)),
            voice,
            Outbound,
            new AiStatusBoard(roasts, voice, MsOptions.Create(new OpenAIOptions()), MsOptions.Create(new ElevenLabsOptions()), Clock),
            Metrics,
            MsOptions.Create(new InterruptWorkflowOptions()),
            MsOptions.Create(new ElevenLabsOptions()),
            new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance),
            Clock,
            NullLogger<InterruptWorkflow>.Instance);
        Health = new ScoringHealth(Clock, MsOptions.Create(Options));
        Interrupts = interrupts;
        Router = new EventRouter(Channel, Monitor, Outbound, Hub, interrupts, Health, Metrics, MsOptions.Create(Options), Clock, Log);
    }

    public RiskPublishOptions Options { get; }

    public FakeTimeProvider Clock { get; }

    public TimeProvider EngineClock { get; }

    public SignalChannel Channel { get; }

    public RiskMonitor Monitor { get; }

    /// <summary>The engine's port: what it sends to the clients as a whole.</summary>
    public RecordingClients Hub { get; }

    public OutboundMailbox Outbound { get; }

    public RecordingLogger<EventRouter> Log { get; } = new();

    public ScoringHealth Health { get; }

    /// <summary>The meter factory the engine's instruments come from; collectors made from it see this harness only.</summary>
    public TestMeters Meters { get; } = new();

    public EngineMetrics Metrics { get; }

    public InterruptWorkflow Interrupts { get; }

    public EventRouter Router { get; }

    /// <summary>
    /// Starts the router and returns once its reader has handled a probe. The router starts its tick (and so its
    /// timer on the fake clock) before its reader, so from then on advancing the clock makes ticks due.
    /// </summary>
    public async Task StartAsync()
    {
        await Router.StartAsync(CancellationToken.None);
        await WriteAndWaitAsync();
    }

    /// <summary>
    /// Writes the signals, then a probe the engine rejects, and returns once the router has logged that rejection:
    /// the reader handles signals in order, so everything written before the probe has been handled too.
    /// </summary>
    public async Task WriteAndWaitAsync(params MarketSignal[] signals)
    {
        foreach (var signal in signals)
        {
            await Channel.Writer.WriteAsync(signal);
        }

        var probe = $"probe-{Interlocked.Increment(ref _probes)}";
        await Channel.Writer.WriteAsync(new PriceTick(probe, -1, EngineClock.GetUtcNow()));
        await Log.WaitFor(e => e.Message.Contains($"signal for {probe}:", StringComparison.Ordinal), $"the router handled {probe}");
    }

    /// <summary>Moves fake time one publish interval on, which makes the tick due.</summary>
    public void Tick() => Clock.Advance(TimeSpan.FromMilliseconds(Options.PublishIntervalMs));

    public async ValueTask DisposeAsync()
    {
        Log.Release();
        await Router.StopAsync(CancellationToken.None).WaitAsync(Timeout);
        Router.Dispose();
        Meters.Dispose();
    }
}
