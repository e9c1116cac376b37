using Microsoft.AspNetCore.SignalR;
using RiskConsole.Core.Contracts;
using RiskConsole.Engine;
using RiskConsole.Server.Delivery;
using RiskConsole.Server.Endpoints;
using RiskConsole.Server.Security;

namespace RiskConsole.Server.Hubs;

/// <summary>
/// The strongly typed hub at /hubs/risk. Thin on purpose: state lives in singletons (the engine behind
/// <see cref="ConsoleStatus"/>, <see cref="TestInterruptGate"/>, <see cref="ClientFanOut"/>, <see cref="HubAudience"/>); the hub only maps calls to
/// them and answers the caller alone.
/// </summary>
public sealed class RiskHub(ConsoleStatus status, TestInterruptGate testInterrupts, ClientFanOut fanOut, HubAudience audience, IRiskHistory history) : Hub<IRiskClient>, IRiskHub
{
    private const int MaxTopics = 16;

    public override async Task OnConnectedAsync()
    {
        status.HubConnected();

        // Not awaited: the join runs in order on the engine's sender (the first score arrives as soon as it has run),
        // and a connection must not wait for the engine before its handshake completes.
        _ = fanOut.JoinAsync(Context.ConnectionId);
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

    public Task<SubscriptionState> Subscribe(string[] topics) => ChangeTopicsAsync(nameof(Subscribe), topics, add: true);

    public Task<SubscriptionState> Unsubscribe(string[] topics) => ChangeTopicsAsync(nameof(Unsubscribe), topics, add: false);

    public Task<SubscriptionState> UseDataBatches()
    {
        var outbox = audience.Find(Context.ConnectionId) ?? throw new HubException("This connection is closing.");
        outbox.UseDataBatches();
        return Task.FromResult(new SubscriptionState(HubTopicMask.Names(outbox.Topics)));
    }

    public Task<ScoreHistory> GetHistory(DateTimeOffset from, DateTimeOffset until, int maxPoints)
    {
        if (HistoryRequest.Problem(from, until, maxPoints) is { } problem)
        {
            throw new HubException(problem);
        }

        return history.GetHistoryAsync(from, until, maxPoints, Context.ConnectionAborted);
    }

    private Task<SubscriptionState> ChangeTopicsAsync(string method, string[]? topics, bool add)
    {
        var mask = Validate(method, topics).Aggregate(0, (bits, topic) => bits | HubTopicMask.Of(topic));
        var outbox = audience.Find(Context.ConnectionId) ?? throw new HubException("This connection is closing.");
        return Task.FromResult(new SubscriptionState(HubTopicMask.Names(outbox.ChangeTopics(mask, add))));
    }

    /// <summary>An unknown, missing or excessive topic list is refused with a HubException that names the valid topics.</summary>
    private static string[] Validate(string method, string[]? topics)
    {
        if (topics is null || topics.Length == 0)
        {
            throw new HubException($"{method} needs a non-empty list of topics. Valid topics: {RiskTopics.Describe()}.");
        }

        if (topics.Length > MaxTopics)
        {
            throw new HubException($"{method} accepts at most {MaxTopics} topics. Valid topics: {RiskTopics.Describe()}.");
        }

        foreach (var topic in topics)
        {
            if (topic is null || !RiskTopics.IsKnown(topic))
            {
                var shown = topic is null ? "null" : $"'{(topic.Length > 40 ? topic[..40] + "…" : topic)}'";
                throw new HubException($"Unknown topic {shown}. Valid topics: {RiskTopics.Describe()}.");
            }
        }

        return [.. topics.Distinct(StringComparer.Ordinal)];
    }
}
