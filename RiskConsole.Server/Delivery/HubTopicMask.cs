using RiskConsole.Core.Contracts;

namespace RiskConsole.Server.Delivery;

/// <summary>
/// The topics a hub connection is in, as bits (one per entry of <see cref="RiskTopics.All"/>): a broadcast tests one
/// bit per connection instead of looking a group up, and a change is one atomic write.
/// </summary>
public static class HubTopicMask
{
    public static int All { get; } = (1 << RiskTopics.All.Count) - 1;

    public static int Risk { get; } = Of(RiskTopics.Risk);

    /// <summary>The data topics, one bit per source.</summary>
    public static int Data { get; } = All & ~Risk;

    public static int Of(string topic)
    {
        for (var i = 0; i < RiskTopics.All.Count; i++)
        {
            if (string.Equals(RiskTopics.All[i], topic, StringComparison.Ordinal))
            {
                return 1 << i;
            }
        }

        throw new ArgumentException($"Unknown topic '{topic}'.", nameof(topic));
    }

    public static int OfSource(string source) => Of(RiskTopics.ForSource(source));

    public static string[] Names(int mask) =>
        [.. RiskTopics.All.Where((_, i) => (mask & (1 << i)) != 0).Order(StringComparer.Ordinal)];
}
