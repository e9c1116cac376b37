using Microsoft.AspNetCore.SignalR;

namespace RiskConsole.Server.Hubs;

/// <summary>
/// Validates the topic lists of Subscribe/Unsubscribe before the hub method runs, so the hub can trust its
/// arguments. An unknown topic is refused with a HubException that names the valid ones.
/// </summary>
public sealed class TopicArgumentsFilter : IHubFilter
{
    private const int MaxTopics = 16;

    public ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        if (invocationContext.HubMethodName is nameof(RiskHub.Subscribe) or nameof(RiskHub.Unsubscribe))
        {
            var topics = invocationContext.HubMethodArguments.Count == 1 ? invocationContext.HubMethodArguments[0] as string[] : null;
            if (topics is null || topics.Length == 0)
            {
                throw new HubException($"{invocationContext.HubMethodName} needs a non-empty list of topics. Valid topics: {RiskTopics.Describe()}.");
            }

            if (topics.Length > MaxTopics)
            {
                throw new HubException($"{invocationContext.HubMethodName} accepts at most {MaxTopics} topics. Valid topics: {RiskTopics.Describe()}.");
            }

            foreach (var topic in topics)
            {
                if (topic is null || !RiskTopics.IsKnown(topic))
                {
                    var shown = topic is null ? "null" : $"'{(topic.Length > 40 ? topic[..40] + "…" : topic)}'";
                    throw new HubException($"Unknown topic {shown}. Valid topics: {RiskTopics.Describe()}.");
                }
            }
        }

        return next(invocationContext);
    }
}
