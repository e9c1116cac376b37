using Microsoft.AspNetCore.SignalR;
using RiskConsole.Core.Contracts;
using RiskConsole.Engine;
using RiskConsole.Server.Legacy;

namespace RiskConsole.Server.Delivery;

/// <summary>
/// The engine's port in this process: every message to the clients as a whole is serialized once (per protocol, by
/// SignalR's <see cref="SerializedHubMessage"/>) and queued to each hub connection in its topic
/// (<see cref="HubAudience"/>) and to each legacy /ws socket (<see cref="LegacySocketRegistry"/>). Nothing here waits
/// for a client: each connection has its own bounded queue and drain, so the engine's sender never waits for the
/// slowest one. A Redis backplane, a journal tap or a benchmark sink is another <see cref="IRiskClient"/>.
/// </summary>
public sealed class ClientFanOut(HubAudience audience, LegacySocketRegistry legacy, IRiskConsole engine) : IRiskClient
{
    public Task RiskScore(RiskScoreUpdate update)
    {
        legacy.BroadcastScore(update);
        audience.Broadcast(HubTopicMask.Risk, ScoreEntry(update));
        return Task.CompletedTask;
    }

    /// <summary>One datum: a DataUpdate to per-datum connections and /ws, a batch of one to batch connections.</summary>
    public Task DataUpdate(DataUpdate update)
    {
        legacy.BroadcastData(update);
        audience.BroadcastData([update], update.At);
        return Task.CompletedTask;
    }

    /// <summary>A tick's data: one frame to each batch connection (its topics' data), a DataUpdate per datum to the others and to /ws.</summary>
    public Task DataBatch(DataBatch batch)
    {
        foreach (var update in batch.Updates)
        {
            legacy.BroadcastData(update);
        }

        audience.BroadcastData(batch.Updates, batch.At);
        return Task.CompletedTask;
    }

    public Task Alert(AlertNotice alert)
    {
        legacy.BroadcastAlert(alert);
        audience.Broadcast(HubTopicMask.Risk, OutboxEntry.For(nameof(IRiskClient.Alert), [alert]));
        return Task.CompletedTask;
    }

    public Task Interrupt(InterruptNotice notice)
    {
        legacy.BroadcastInterrupt(notice);
        audience.Broadcast(HubTopicMask.Risk, OutboxEntry.For(nameof(IRiskClient.Interrupt), [notice]));
        return Task.CompletedTask;
    }

    /// <summary>
    /// Adds a new hub connection to the audience and queues it the last score everyone got, in order with the
    /// broadcasts, so its first scores have no gap or repeat in Seq. Its topics are read when the join runs, so a
    /// Subscribe/Unsubscribe that came first is respected.
    /// </summary>
    public Task JoinAsync(string connectionId) =>
        engine.JoinInOrderAsync(latest =>
        {
            audience.Join(connectionId, ScoreEntry(latest));
            return Task.CompletedTask;
        });

    private static OutboxEntry ScoreEntry(RiskScoreUpdate update) => OutboxEntry.For(nameof(IRiskClient.RiskScore), [update]);
}
