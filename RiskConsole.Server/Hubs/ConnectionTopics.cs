using RiskConsole.Core.Contracts;

namespace RiskConsole.Server.Hubs;

/// <summary>
/// The topics one hub connection is in. Guarded, because the connection's own Subscribe/Unsubscribe calls and the
/// engine's sender (running the connection's join) both read it.
/// </summary>
public sealed class ConnectionTopics
{
    private readonly Lock _gate = new();
    private readonly SortedSet<string> _topics = new(RiskTopics.All, StringComparer.Ordinal);

    public IReadOnlyCollection<string> Snapshot()
    {
        lock (_gate)
        {
            return [.. _topics];
        }
    }

    /// <summary>Applies <paramref name="change"/> to each topic and returns the topics afterwards.</summary>
    public string[] Change(IEnumerable<string> topics, bool add)
    {
        lock (_gate)
        {
            foreach (var topic in topics)
            {
                if (add)
                {
                    _topics.Add(topic);
                }
                else
                {
                    _topics.Remove(topic);
                }
            }

            return [.. _topics];
        }
    }
}
