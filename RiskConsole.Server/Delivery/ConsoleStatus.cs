using RiskConsole.Core.Contracts;
using RiskConsole.Engine;

namespace RiskConsole.Server.Delivery;

/// <summary>What GetStatus, GetStatistics, /stats and the legacy STATUS answer with: the engine's state plus who is connected.</summary>
public sealed class ConsoleStatus(IRiskConsole engine, TimeProvider time)
{
    private int _hubConnections;
    private int _legacyConnections;

    public int HubConnections => Volatile.Read(ref _hubConnections);

    public int LegacyConnections => Volatile.Read(ref _legacyConnections);

    public RiskScoreUpdate LatestScore => engine.LatestScore;

    public void HubConnected() => Interlocked.Increment(ref _hubConnections);

    public void HubDisconnected() => Interlocked.Decrement(ref _hubConnections);

    public void LegacyConnected() => Interlocked.Increment(ref _legacyConnections);

    public void LegacyDisconnected() => Interlocked.Decrement(ref _legacyConnections);

    public RiskStatistics GetStatistics() => engine.Statistics();

    public RiskStatus GetStatus() => new(
        engine.IsRunning,
        engine.Statistics(),
        HubConnections + LegacyConnections,
        engine.Sources(),
        time.GetUtcNow())
    {
        Ai = engine.AiServices(),
    };
}
