using RiskConsole.Core.Contracts;
using RiskConsole.Engine;

namespace RiskConsole.Server.Delivery;

/// <summary>What GetStatus, GetStatistics, /stats and the legacy STATUS answer with: the engine's state plus who is connected.</summary>
public sealed class ConsoleStatus(IRiskConsole engine, TimeProvider time)
{
    private int _hubConnections;
    private int _legacyConnections;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int HubConnections => Volatile.Read(ref _hubConnections);

    public int LegacyConnections => Volatile.Read(ref _legacyConnections);

    public RiskScoreUpdate LatestScore => engine.LatestScore;

    /// <summary>Completes at the next connect or disconnect: lets a caller await the counts instead of polling them.</summary>
    public Task NextChange => Volatile.Read(ref _changed).Task;

    public void HubConnected() => Changed(Interlocked.Increment(ref _hubConnections));

    public void HubDisconnected() => Changed(Interlocked.Decrement(ref _hubConnections));

    public void LegacyConnected() => Changed(Interlocked.Increment(ref _legacyConnections));

    public void LegacyDisconnected() => Changed(Interlocked.Decrement(ref _legacyConnections));

    public RiskStatistics GetStatistics() => engine.Statistics();

    private void Changed(int _) =>
        Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

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
