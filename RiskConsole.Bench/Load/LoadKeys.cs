using System.Globalization;
using RiskConsole.Core.Contracts;

namespace RiskConsole.Bench.Load;

/// <summary>
/// The keys the injection spreads its signals over, as the server's default configuration has them: the three Binance
/// symbols, ten Polymarket markets (Ingest:Polymarket:MaxMarkets) and the three subreddits posts come from (a post's key
/// is its feed, so posts coalesce per subreddit). The injector and every client
/// number them the same way, so a client keeps the newest timestamp it saw per key in a plain array.
/// </summary>
public static class LoadKeys
{
    public static IReadOnlyList<string> Symbols { get; } =
        ["BTCUSDT", "ETHUSDT", "SOLUSDT"];

    public static IReadOnlyList<string> Markets { get; } =
        [.. Enumerable.Range(0, 10).Select(i => "0xload" + i.ToString("D2", CultureInfo.InvariantCulture))];

    /// <summary>Each market's question, made once (a signal carries it).</summary>
    public static IReadOnlyList<string> Questions { get; } = [.. Markets.Select(m => "Will load market " + m + " resolve yes?")];

    public static IReadOnlyList<string> Subreddits { get; } =
        ["r/CryptoCurrency", "r/Bitcoin", "r/wallstreetbets"];

    /// <summary>Symbols first, then markets, then subreddits.</summary>
    public static int Count => Symbols.Count + Markets.Count + Subreddits.Count;

    private static readonly Dictionary<string, int> SymbolIndex = Index(Symbols, 0);
    private static readonly Dictionary<string, int> MarketIndex = Index(Markets, Symbols.Count);
    private static readonly Dictionary<string, int> SubredditIndex = Index(Subreddits, Symbols.Count + Markets.Count);

    /// <summary>The keys of one source, as indexes into the shared numbering.</summary>
    public static Range RangeOf(string source) => source switch
    {
        DataSources.Crypto => new Range(0, Symbols.Count),
        DataSources.Polymarket => new Range(Symbols.Count, Symbols.Count + Markets.Count),
        DataSources.Reddit => new Range(Symbols.Count + Markets.Count, Count),
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, "not a data source"),
    };

    /// <summary>The source bit of <see cref="LoadSubscription"/> a key index belongs to.</summary>
    public static LoadSubscription SourceOf(int index) =>
        index < Symbols.Count ? LoadSubscription.Crypto : index < Symbols.Count + Markets.Count ? LoadSubscription.Polymarket : LoadSubscription.Reddit;

    /// <summary>The key index of the datum an update carries; −1 for a key the injection does not use (a server's own feed).</summary>
    public static int IndexOf(DataUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        return update switch
        {
            { Price: { } price } => SymbolIndex.GetValueOrDefault(price.Symbol, -1),
            { Probability: { } market } => MarketIndex.GetValueOrDefault(market.MarketId, -1),
            { Sentiment: { } post } => SubredditIndex.GetValueOrDefault(post.SourceId, -1),
            _ => -1,
        };
    }

    private static Dictionary<string, int> Index(IReadOnlyList<string> keys, int first) =>
        keys.Select((key, i) => (key, i)).ToDictionary(k => k.key, k => first + k.i, StringComparer.Ordinal);
}

/// <summary>The data topics a load client is subscribed to; every client is subscribed to "risk" (scores).</summary>
[Flags]
public enum LoadSubscription
{
    None = 0,
    Crypto = 1,
    Polymarket = 2,
    Reddit = 4,
    Everything = Crypto | Polymarket | Reddit,
}

public static class LoadSubscriptions
{
    /// <summary>
    /// As dashboards would be: 7 in 10 keep the default (everything), 1 in 10 watches only crypto, 1 in 10 everything but
    /// crypto, 1 in 10 only the score. Decided by the client's number, so every run and every worker split agree.
    /// </summary>
    public static LoadSubscription For(int clientIndex) => (clientIndex % 10) switch
    {
        7 => LoadSubscription.Crypto,
        8 => LoadSubscription.Polymarket | LoadSubscription.Reddit,
        9 => LoadSubscription.None,
        _ => LoadSubscription.Everything,
    };

    /// <summary>The topics a client with <paramref name="subscription"/> leaves after connecting (a new connection is in all).</summary>
    public static string[] TopicsToLeave(LoadSubscription subscription) =>
    [
        .. (subscription & LoadSubscription.Crypto) == 0 ? [RiskTopics.ForSource(DataSources.Crypto)] : Array.Empty<string>(),
        .. (subscription & LoadSubscription.Polymarket) == 0 ? [RiskTopics.ForSource(DataSources.Polymarket)] : Array.Empty<string>(),
        .. (subscription & LoadSubscription.Reddit) == 0 ? [RiskTopics.ForSource(DataSources.Reddit)] : Array.Empty<string>(),
    ];
}
