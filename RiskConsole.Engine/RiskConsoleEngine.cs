using RiskConsole.Ai;
using RiskConsole.Core.Contracts;
using RiskConsole.Engine.Interrupts;
using RiskConsole.Engine.Publishing;
using RiskConsole.Engine.Scoring;
using RiskConsole.Ingest;

namespace RiskConsole.Engine;

/// <summary>The engine as the delivery side sees it (<see cref="IRiskConsole"/>): reads state, never reaches into it.</summary>
public sealed class RiskConsoleEngine(
    RiskMonitor monitor,
    InterruptWorkflow interrupts,
    SourceStatusBoard sources,
    ScoringHealth health,
    SignalChannel channel,
    OutboundMailbox outbound,
    AiStatusBoard ai) : IRiskConsole
{
    public RiskScoreUpdate LatestScore => monitor.Latest;

    public bool IsRunning => health.IsRunning;

    public int SignalBacklog => channel.Backlog;

    public RiskStatistics Statistics() => monitor.Statistics();

    public ScoringHealthReport AssessScoring() => health.Assess();

    public RouterFaultCounts FaultCounts() => health.FaultCounts();

    public (long DroppedScores, long UndeliveredInterrupts) Losses() => (outbound.DroppedScores, monitor.UndeliveredInterrupts);

    public IReadOnlyList<SourceStatus> Sources() => sources.Snapshot();

    public IReadOnlyList<AiServiceStatus> AiServices() => ai.Snapshot();

    public ForcedInterruptOutcome TryForceInterrupt()
    {
        if (interrupts.IsRunning)
        {
            // Busy says more than "rate-limited" while one is on its way; checked again (atomically) when starting.
            return new ForcedInterruptOutcome(ForcedInterruptStatus.Busy, TimeSpan.Zero);
        }

        // The workflow starts inside the policy's decision: a forced interrupt is counted (and spends the rate limit)
        // only if it really started, and two callers at once cannot both pass a check and then race to start.
        var decision = monitor.TryForce(() => interrupts.TryStart(forced: true));
        return decision switch
        {
            { Allowed: true } => new ForcedInterruptOutcome(ForcedInterruptStatus.Started, TimeSpan.Zero),
            { Busy: true } => new ForcedInterruptOutcome(ForcedInterruptStatus.Busy, TimeSpan.Zero),
            _ => new ForcedInterruptOutcome(ForcedInterruptStatus.RateLimited, decision.RetryAfter),
        };
    }

    public Task JoinInOrderAsync(Func<RiskScoreUpdate, Task> join) => outbound.JoinAsync(join);
}
