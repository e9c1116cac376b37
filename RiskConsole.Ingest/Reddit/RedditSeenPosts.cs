namespace RiskConsole.Ingest.Reddit;

/// <summary>
/// The post names (<c>t3_...</c>) already handled, so a post listed again by the next poll, or by the first poll of a
/// new connection, is not published twice. Bounded: past <see cref="Capacity"/> the longest-known name is forgotten first,
/// which is safe while the capacity covers several listings (a forgotten post has long left the "new" page).
/// Lookups take the name as a span, so checking a post already seen costs no string. Not thread-safe: the listener
/// holds its lock around it.
/// </summary>
internal sealed class RedditSeenPosts
{
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly Queue<string> _order = new();

    public RedditSeenPosts(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _lookup = _names.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Capacity { get; }

    public int Count => _names.Count;

    public bool Contains(ReadOnlySpan<char> name) => _lookup.Contains(name);

    /// <summary>Remembers <paramref name="name"/>; false if it was already known.</summary>
    public bool Add(ReadOnlySpan<char> name)
    {
        if (_lookup.Contains(name))
        {
            return false;
        }

        var stored = name.ToString();
        _names.Add(stored);
        _order.Enqueue(stored);
        if (_order.Count > Capacity)
        {
            _names.Remove(_order.Dequeue());
        }

        return true;
    }
}
