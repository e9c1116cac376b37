using Microsoft.AspNetCore.SignalR;
using RiskConsole.Core.Contracts;
using RiskConsole.Server.Hubs;
using RiskConsole.Server.Legacy;

namespace RiskConsole.Server.Routing;

/// <summary>
/// Sends every outbound message to both audiences: SignalR groups (serialized once per message and protocol
/// by SignalR) and the legacy /ws sockets (serialized once, queued per socket).
/// </summary>
public sealed class RiskBroadcaster(IHubContext<RiskHub, IRiskClient> hub, LegacySocketRegistry legacy)
{
    public async Task ScoreAsync(RiskScoreUpdate update)
    {
        legacy.BroadcastScore(update);
        await hub.Clients.Group(RiskTopics.Risk).RiskScore(update);
    }

    public async Task DataAsync(IReadOnlyList<DataUpdate> updates)
    {
        foreach (var update in updates)
        {
            legacy.BroadcastData(update);
            await hub.Clients.Group(RiskTopics.ForSource(update.Source)).DataUpdate(update);
        }
    }

    public async Task AlertAsync(AlertNotice alert)
    {
        legacy.BroadcastAlert(alert);
        await hub.Clients.Group(RiskTopics.Risk).Alert(alert);
    }

    public async Task InterruptAsync(InterruptNotice notice)
    {
        legacy.BroadcastInterrupt(notice);
        await hub.Clients.Group(RiskTopics.Risk).Interrupt(notice);
    }
}
