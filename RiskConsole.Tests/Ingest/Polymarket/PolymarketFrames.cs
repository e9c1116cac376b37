using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RiskConsole.Tests.Ingest.Polymarket;

/// <summary>
/// Builders of upstream messages in the documented shapes (the fixtures' field names and string numbers), for tests that
/// need values of their own: Gamma markets and market-channel events.
/// </summary>
public static class PolymarketFrames
{
    /// <summary>The fixtures' first event time (2025-11-22T08:26:44.512Z), in Unix milliseconds.</summary>
    public const long FixtureTimestampMs = 1763800004512;

    /// <summary>One Gamma market object with its encoded string fields, as gamma_markets.json has them.</summary>
    public static JsonObject GammaMarket(
        string id,
        string question,
        string conditionId,
        string yesToken,
        string noToken,
        double volume24hr,
        string[]? outcomes = null,
        bool closed = false)
    {
        outcomes ??= ["Yes", "No"];
        var tokens = outcomes[0] == "Yes" || outcomes.Length != 2 ? new[] { yesToken, noToken } : [noToken, yesToken];
        return new JsonObject
        {
            ["id"] = id,
            ["question"] = question,
            ["conditionId"] = conditionId,
            ["slug"] = id,
            ["outcomes"] = JsonSerializer.Serialize(outcomes),
            ["outcomePrices"] = JsonSerializer.Serialize(outcomes.Select(_ => "0.5").ToArray()),
            ["clobTokenIds"] = JsonSerializer.Serialize(tokens),
            ["volume24hr"] = volume24hr,
            ["active"] = true,
            ["closed"] = closed,
            ["enableOrderBook"] = true,
        };
    }

    /// <summary>A Gamma <c>/markets</c> answer: the JSON array of the given markets.</summary>
    public static string GammaList(params JsonObject[] markets) => new JsonArray([.. markets]).ToJsonString();

    /// <summary>A market "M{n}" with token ids "{n}001" (Yes) and "{n}002" (No), for lists of many markets.</summary>
    public static JsonObject NumberedMarket(int n, double volume24hr) => GammaMarket(
        n.ToString(CultureInfo.InvariantCulture),
        $"Question {n}?",
        $"0xcondition{n}",
        $"{n}001",
        $"{n}002",
        volume24hr);

    public static string Book(string assetId, string market, (string Price, string Size)[] bids, (string Price, string Size)[] asks, long timestampMs) =>
        new JsonObject
        {
            ["event_type"] = "book",
            ["asset_id"] = assetId,
            ["market"] = market,
            ["bids"] = Levels(bids),
            ["asks"] = Levels(asks),
            ["timestamp"] = Ms(timestampMs),
            ["hash"] = "0xabc",
        }.ToJsonString();

    /// <summary>A book with one level on each side (an empty string leaves that side empty).</summary>
    public static string Book(string assetId, string bid, string ask, long timestampMs, string market = PolymarketFixtures.ReachConditionId) =>
        Book(assetId, market, bid.Length == 0 ? [] : [(bid, "100")], ask.Length == 0 ? [] : [(ask, "100")], timestampMs);

    public static string BestBidAsk(string assetId, string bestBid, string bestAsk, long timestampMs, string market = PolymarketFixtures.ReachConditionId) =>
        new JsonObject
        {
            ["event_type"] = "best_bid_ask",
            ["market"] = market,
            ["asset_id"] = assetId,
            ["best_bid"] = bestBid,
            ["best_ask"] = bestAsk,
            ["spread"] = "0.01",
            ["timestamp"] = Ms(timestampMs),
        }.ToJsonString();

    public static string LastTradePrice(string assetId, string price, long timestampMs, string market = PolymarketFixtures.ReachConditionId) =>
        new JsonObject
        {
            ["asset_id"] = assetId,
            ["event_type"] = "last_trade_price",
            ["fee_rate_bps"] = "0",
            ["market"] = market,
            ["price"] = price,
            ["side"] = "BUY",
            ["size"] = "10",
            ["timestamp"] = Ms(timestampMs),
        }.ToJsonString();

    /// <summary>A price_change in the <c>price_changes[]</c> schema: one entry per (asset, best bid, best ask).</summary>
    public static string PriceChange(string market, long timestampMs, params (string AssetId, string BestBid, string BestAsk)[] changes) =>
        new JsonObject
        {
            ["market"] = market,
            ["price_changes"] = new JsonArray([.. changes.Select(c => (JsonNode)new JsonObject
            {
                ["asset_id"] = c.AssetId,
                ["price"] = c.BestBid,
                ["size"] = "10",
                ["side"] = "BUY",
                ["hash"] = "a1",
                ["best_bid"] = c.BestBid,
                ["best_ask"] = c.BestAsk,
            })]),
            ["timestamp"] = Ms(timestampMs),
            ["event_type"] = "price_change",
        }.ToJsonString();

    /// <summary>The channel's announcement that a market has settled (sent with custom_feature_enabled).</summary>
    public static string MarketResolved(string market, string winningAssetId, long timestampMs) =>
        new JsonObject
        {
            ["id"] = "1",
            ["market"] = market,
            ["assets_ids"] = new JsonArray(winningAssetId),
            ["winning_asset_id"] = winningAssetId,
            ["winning_outcome"] = "Yes",
            ["timestamp"] = Ms(timestampMs),
            ["event_type"] = "market_resolved",
        }.ToJsonString();

    /// <summary>Several events in one frame, as the channel may send them.</summary>
    public static string Array(params string[] events) => $"[{string.Join(',', events)}]";

    private static JsonArray Levels((string Price, string Size)[] levels) =>
        [.. levels.Select(l => (JsonNode)new JsonObject { ["price"] = l.Price, ["size"] = l.Size })];

    private static string Ms(long milliseconds) => milliseconds.ToString(CultureInfo.InvariantCulture);
}
