using System.Reflection;
using BenchmarkDotNet.Attributes;
using RiskConsole.Core.Signals;
using RiskConsole.Ingest.Binance;
using RiskConsole.Ingest.Polymarket;
using RiskConsole.Ingest.Reddit;

namespace RiskConsole.Bench.Benchmarks;

/// <summary>
/// The listeners' parsers on the recorded frames in ../shared/fixtures/feeds (embedded in this assembly): a Binance
/// combined-stream trade read into the <see cref="PriceTick"/> the feed publishes, a Polymarket market-channel
/// price_change (two tokens, the followed Yes one kept) and a Reddit /new listing page (three posts).
/// </summary>
[MemoryDiagnoser]
public class ParserBenchmarks
{
    /// <summary>Just after the Reddit fixture's newest post (created_utc 1763799800), as the listing tests use.</summary>
    private static readonly DateTimeOffset RedditNow = DateTimeOffset.FromUnixTimeSeconds(1_763_799_860);

    private readonly BinanceStreamParser _binance = new(["BTCUSDT", "ETHUSDT", "SOLUSDT"]);
    private readonly string[] _binanceSymbols = ["BTCUSDT", "ETHUSDT", "SOLUSDT"];
    private readonly ClobFrameParser _clob = new();
    private readonly List<ClobUpdate> _clobUpdates = new(16);
    private readonly List<string> _clobRejections = new(16);
    private readonly List<FollowedMarket> _clobResolved = new(16);
    private readonly RedditListingParser _reddit = new(RedditOptions.DefaultSubreddits);
    private readonly List<RedditListingEntry> _redditEntries = new(RedditListingParser.MaxChildren);
    private byte[] _binanceTrade = [];
    private byte[] _priceChange = [];
    private byte[] _listing = [];
    private FollowedMarkets _markets = null!;

    public static byte[] Fixture(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("fixtures/" + name)
            ?? throw new InvalidOperationException($"fixture {name} is not embedded (see RiskConsole.Bench.csproj)");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    [GlobalSetup]
    public void Setup()
    {
        _binanceTrade = Fixture("binance_trade_combined.json");
        _priceChange = Fixture("polymarket_price_change.json");
        _listing = Fixture("reddit_new.json");
        var list = GammaMarketListParser.Parse(Fixture("gamma_markets.json"), 10, null);
        _markets = new FollowedMarkets(list.Markets.Select(m => new FollowedMarket(m)));

        // Each must read as the tests say it does, or the figures would time a rejection.
        if (BinanceTrade() is not { Price: > 0 })
        {
            throw new InvalidOperationException("the Binance trade fixture did not parse to a price");
        }

        if (PolymarketPriceChange() != 1 || RedditListing() != 3)
        {
            throw new InvalidOperationException($"fixtures did not parse: {_clobUpdates.Count} Polymarket updates, {_redditEntries.Count} Reddit posts");
        }
    }

    /// <summary>Parse and the signal the feed publishes (BinanceFeed: <c>new PriceTick(Symbols[i], price, timestamp)</c>).</summary>
    [Benchmark]
    public PriceTick? BinanceTrade()
    {
        var message = _binance.Parse(_binanceTrade);
        return message.Kind == BinanceMessageKind.Price
            ? new PriceTick(_binanceSymbols[message.SymbolIndex], message.Price, message.Timestamp)
            : null;
    }

    [Benchmark]
    public int PolymarketPriceChange()
    {
        _clobUpdates.Clear();
        _clob.Parse(_priceChange, _markets, _clobUpdates, _clobRejections, _clobResolved);
        return _clobUpdates.Count;
    }

    /// <summary>One page of /new (the fixture's three posts); the per-post figure is a third of it.</summary>
    [Benchmark]
    public int RedditListing()
    {
        _reddit.Parse(_listing, RedditNow, _redditEntries);
        return _redditEntries.Count;
    }
}
