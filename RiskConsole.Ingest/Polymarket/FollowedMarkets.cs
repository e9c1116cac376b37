namespace RiskConsole.Ingest.Polymarket;

/// <summary>
/// The markets one connection follows, found by token id or condition id straight from a span of the frame being
/// parsed (alternate lookup), so matching an event to its market allocates nothing. Immutable: a refresh builds a new
/// table and swaps it in, and the receive loop reads whichever table is current.
/// </summary>
internal sealed class FollowedMarkets
{
    private readonly Dictionary<string, (FollowedMarket Market, bool IsYes)> _byToken = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FollowedMarket> _byCondition = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (FollowedMarket Market, bool IsYes)>.AlternateLookup<ReadOnlySpan<char>> _tokenLookup;
    private readonly Dictionary<string, FollowedMarket>.AlternateLookup<ReadOnlySpan<char>> _conditionLookup;

    public FollowedMarkets(IEnumerable<FollowedMarket> markets)
    {
        ArgumentNullException.ThrowIfNull(markets);
        var list = new List<FollowedMarket>();
        foreach (var market in markets)
        {
            // The Gamma list is deduplicated already; a repeat here would be a second object for one market.
            if (_byCondition.TryAdd(market.ConditionId, market))
            {
                _byToken[market.YesTokenId] = (market, true);
                _byToken[market.NoTokenId] = (market, false);
                list.Add(market);
            }
        }

        Markets = list;
        _tokenLookup = _byToken.GetAlternateLookup<ReadOnlySpan<char>>();
        _conditionLookup = _byCondition.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public IReadOnlyList<FollowedMarket> Markets { get; }

    public int Count => Markets.Count;

    /// <summary>Both tokens of every market (Yes, then No), in list order: what the subscribe frame carries.</summary>
    public static List<string> TokenIdsOf(IEnumerable<FollowedMarket> markets) =>
        [.. markets.SelectMany(m => new[] { m.YesTokenId, m.NoTokenId })];

    public bool TryFindToken(ReadOnlySpan<char> tokenId, out FollowedMarket? market, out bool isYes)
    {
        if (_tokenLookup.TryGetValue(tokenId, out var entry))
        {
            (market, isYes) = entry;
            return true;
        }

        market = null;
        isYes = false;
        return false;
    }

    public FollowedMarket? FindCondition(ReadOnlySpan<char> conditionId) =>
        _conditionLookup.TryGetValue(conditionId, out var market) ? market : null;

    public FollowedMarket? FindCondition(string conditionId) =>
        _byCondition.TryGetValue(conditionId, out var market) ? market : null;
}
