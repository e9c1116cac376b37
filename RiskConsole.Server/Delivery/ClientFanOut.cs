using Microsoft.AspNetCore.SignalR;
using RiskConsole.Core.Contracts;
using RiskConsole.Engine;
using RiskConsole.Server.Hubs;
using RiskConsole.Server.Legacy;

namespace RiskConsole.Server.Delivery;

/// <summary>
/// The engine's port in this process: every message to the clients as a whole goes to the SignalR topic it belongs
/// to (serialized once per message and protocol by SignalR) and to the legacy /ws sockets (serialized once, queued
/// per socket). A Redis backplane, a journal tap or a benchmark sink is another <see cref="IRiskClient"/>.
/// </summary>
public sealed class ClientFanOut(IHubContext<RiskHub, IRiskClient> hub, LegacySocketRegistry legacy, IRiskConsole engine) : IRiskClient
{
    public Task RiskScore(RiskScoreUpdate update)
    {
        legacy.BroadcastScore(update);
        return hub.Clients.Group(RiskTopics.Risk).RiskScore(update);
    }

    public Task DataUpdate(DataUpdate update)
    {
        legacy.BroadcastData(update);
        return hub.Clients.Group(RiskTopics.ForSource(update.Source)).DataUpdate(update);
    }

    public Task Alert(AlertNotice alert)
    {
        legacy.BroadcastAlert(alert);
        return hub.Clients.Group(RiskTopics.Risk).Alert(alert);
    }

    public Task Interrupt(InterruptNotice notice)
    {
        legacy.BroadcastInterrupt(notice);
        return hub.Clients.Group(RiskTopics.Risk).Interrupt(notice);
    }

    /// <summary>
    /// Puts a new hub connection into its topics and sends it the last score everyone got, in order with the
    /// broadcasts, so its first scores have no gap or repeat in Seq. <paramref name="topics"/> is read when the join
    /// runs, so a Subscribe/Unsubscribe that came first is respected.
    /// </summary>
    public Task JoinAsync(string connectionId, Func<IReadOnlyCollection<string>> topics) =>
        engine.JoinInOrderAsync(async latest =>
        {
            var current = topics();
            foreach (var topic in current)
            {
                await hub.Groups.AddToGroupAsync(connectionId, topic);
            }

            if (current.Contains(RiskTopics.Risk))
            {
                await hub.Clients.Client(connectionId).RiskScore(latest);
            }
        });
}
