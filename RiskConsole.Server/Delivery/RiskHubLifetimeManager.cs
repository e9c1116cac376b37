using Microsoft.AspNetCore.SignalR;
using RiskConsole.Core.Contracts;
using RiskConsole.Server.Hubs;

namespace RiskConsole.Server.Delivery;

/// <summary>
/// SignalR's own lifetime manager, with the hub's topics (<see cref="RiskTopics"/>) served by the
/// <see cref="HubAudience"/>: each connection is registered with it when it opens (the only place SignalR hands out
/// the connection object that per-connection outboxes write to), and a send to a topic group or to all through
/// IHubContext goes through the same isolated outboxes as the engine's broadcasts, so no caller can wait for the
/// slowest client. Groups that are not topics, and sends to one connection or user, are SignalR's as before.
/// </summary>
public sealed class RiskHubLifetimeManager(HubAudience audience, ILogger<DefaultHubLifetimeManager<RiskHub>> logger)
    : DefaultHubLifetimeManager<RiskHub>(logger)
{
    public override async Task OnConnectedAsync(HubConnectionContext connection)
    {
        await base.OnConnectedAsync(connection);
        audience.Opened(connection);
    }

    public override async Task OnDisconnectedAsync(HubConnectionContext connection)
    {
        audience.Closed(connection);
        await base.OnDisconnectedAsync(connection);
    }

    public override Task SendAllAsync(string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        if (!TryBroadcastData(methodName, args))
        {
            audience.Broadcast(HubTopicMask.All, OutboxEntry.For(methodName, args));
        }

        return Task.CompletedTask;
    }

    public override Task SendGroupAsync(string groupName, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        if (!RiskTopics.IsKnown(groupName))
        {
            return base.SendGroupAsync(groupName, methodName, args, cancellationToken);
        }

        if (!(HubTopicMask.Of(groupName) != HubTopicMask.Risk && TryBroadcastData(methodName, args)))
        {
            audience.Broadcast(HubTopicMask.Of(groupName), OutboxEntry.For(methodName, args));
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Data sent to all or to a data topic reaches each connection in the form it chose (DataUpdate or DataBatch) and by
    /// each datum's own source topic, exactly as the engine's data does.
    /// </summary>
    private bool TryBroadcastData(string methodName, object?[] args)
    {
        switch (methodName)
        {
            case nameof(IRiskClient.DataUpdate) when args is [DataUpdate update]:
                audience.BroadcastData([update], update.At);
                return true;
            case nameof(IRiskClient.DataBatch) when args is [DataBatch batch]:
                audience.BroadcastData(batch.Updates, batch.At);
                return true;
            default:
                return false;
        }
    }

    public override Task AddToGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default) =>
        ChangeTopic(connectionId, groupName, add: true) ?? base.AddToGroupAsync(connectionId, groupName, cancellationToken);

    public override Task RemoveFromGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default) =>
        ChangeTopic(connectionId, groupName, add: false) ?? base.RemoveFromGroupAsync(connectionId, groupName, cancellationToken);

    /// <summary>Null when <paramref name="groupName"/> is not a topic (SignalR's own groups handle it).</summary>
    private Task? ChangeTopic(string connectionId, string groupName, bool add)
    {
        if (!RiskTopics.IsKnown(groupName))
        {
            return null;
        }

        audience.Find(connectionId)?.ChangeTopics(HubTopicMask.Of(groupName), add);
        return Task.CompletedTask;
    }
}
