using Microsoft.AspNetCore.SignalR;
using RiskConsole.Core.Contracts;
using RiskConsole.Server.Security;

namespace RiskConsole.Server.Hubs;

/// <summary>
/// The strongly typed hub at /hubs/risk. Thin on purpose: state lives in singletons (RiskMonitor,
/// ConsoleStatus, TestInterruptGate); the hub only maps calls to them and answers the caller alone.
/// Arguments are validated by <see cref="TopicArgumentsFilter"/> before a method runs.
/// </summary>
public sealed class RiskHub(ConsoleStatus status, TestInterruptGate testInterrupts) : Hub<IRiskClient>
{
    private const string TopicsItem = "topics";

    public override async Task OnConnectedAsync()
    {
        status.HubConnected();
        foreach (var topic in RiskTopics.All)
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, topic);
        }

        Context.Items[TopicsItem] = new HashSet<string>(RiskTopics.All, StringComparer.Ordinal);
        await Clients.Caller.RiskScore(status.LatestScore);
        await base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        status.HubDisconnected();
        return base.OnDisconnectedAsync(exception);
    }

    public RiskStatus GetStatus() => status.GetStatus();

    public RiskStatistics GetStatistics() => status.GetStatistics();

    public ForceInterruptResult ForceInterrupt()
    {
        var http = Context.GetHttpContext();
        var result = testInterrupts.TryForce(TestInterruptGate.PresentedKey(http), TestInterruptGate.ClientAddress(http));
        return result.Outcome == TestInterruptOutcome.Started
            ? new ForceInterruptResult(true, result.Message)
            : throw new HubException(result.Message);
    }

    public async Task<SubscriptionState> Subscribe(string[] topics)
    {
        var current = Topics();
        foreach (var topic in topics.Distinct(StringComparer.Ordinal))
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, topic);
            current.Add(topic);
        }

        return new SubscriptionState([.. current.Order(StringComparer.Ordinal)]);
    }

    public async Task<SubscriptionState> Unsubscribe(string[] topics)
    {
        var current = Topics();
        foreach (var topic in topics.Distinct(StringComparer.Ordinal))
        {
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, topic);
            current.Remove(topic);
        }

        return new SubscriptionState([.. current.Order(StringComparer.Ordinal)]);
    }

    private HashSet<string> Topics() => (HashSet<string>)Context.Items[TopicsItem]!;
}

/// <summary>The answer to Subscribe/Unsubscribe: the caller's topics afterwards.</summary>
public sealed record SubscriptionState(string[] Topics);

/// <summary>The answer to an accepted ForceInterrupt (a refusal is a HubException with the reason).</summary>
public sealed record ForceInterruptResult(bool Accepted, string Message);
