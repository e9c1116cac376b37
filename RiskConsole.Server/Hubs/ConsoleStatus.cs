using RiskConsole.Core.Contracts;
using RiskConsole.Ingest;
using RiskConsole.Server.Routing;

namespace RiskConsole.Server.Hubs;

/// <summary>What GetStatus, GetStatistics, /stats and the legacy STATUS answer with, and the connection counts.</summary>
public sealed class ConsoleStatus(RiskMonitor monitor, SourceStatusBoard sources, ScoringHealth router, TimeProvider time)
{
    private int _hubConnections;
    private int _legacyConnections;

    public int HubConnections => Volatile.Read(ref _hubConnections);

    public int LegacyConnections => Volatile.Read(ref _legacyConnections);

    public RiskScoreUpdate LatestScore => monitor.Latest;

    public void HubConnected() => Interlocked.Increment(ref _hubConnections);

    public void HubDisconnected() => Interlocked.Decrement(ref _hubConnections);

    public void LegacyConnected() => Interlocked.Increment(ref _legacyConnections);

    public void LegacyDisconnected() => Interlocked.Decrement(ref _legacyConnections);

    public RiskStatistics GetStatistics() => monitor.Statistics();

    public RiskStatus GetStatus() => new(
        router.IsRunning,
        monitor.Statistics(),
        HubConnections + LegacyConnections,
        sources.Snapshot(),
        time.GetUtcNow());
}
