using RiskConsole.Core.Contracts;
using RiskConsole.Engine.Scoring;

namespace RiskConsole.Engine;

/// <summary>
/// All that the delivery side (hub, /ws, HTTP, health) may ask of the engine. Delivery calls the engine only through
/// this, and the engine reaches the clients only through its port (<see cref="IRiskClient"/>, the clients as a whole).
/// </summary>
public interface IRiskConsole
{
    /// <summary>The latest scored reading (what /stats and GetStatus report).</summary>
    RiskScoreUpdate LatestScore { get; }

    /// <summary>Whether the engine's loops are running.</summary>
    bool IsRunning { get; }

    /// <summary>Signals waiting for the router (a number that keeps growing means it cannot keep up).</summary>
    int SignalBacklog { get; }

    RiskStatistics Statistics();

    /// <summary>Whether scoring is healthy, and if not, exactly why (readiness reports this).</summary>
    ScoringHealthReport AssessScoring();

    /// <summary>Faults each router loop survived.</summary>
    RouterFaultCounts FaultCounts();

    /// <summary>Scores dropped because the sender was far behind (the newest is still sent), and interrupts that were due while one was running.</summary>
    (long DroppedScores, long UndeliveredInterrupts) Losses();

    /// <summary>Every source: live, mock, starting or stopped, and why.</summary>
    IReadOnlyList<SourceStatus> Sources();

    /// <summary>The AI services: provider, key configured or not, last success and last error.</summary>
    IReadOnlyList<AiServiceStatus> AiServices();

    /// <summary>Starts an interrupt now unless forced interrupts are rate-limited or one is already running.</summary>
    ForcedInterruptOutcome TryForceInterrupt();

    /// <summary>
    /// Adds a client to the audience in order with the broadcasts: <paramref name="join"/> runs on the engine's sender
    /// with the last score sent to everyone (see <see cref="Publishing.OutboundMailbox.JoinAsync"/>).
    /// </summary>
    Task JoinInOrderAsync(Func<RiskScoreUpdate, Task> join);
}
