using System.Globalization;
using System.Text.Json;

namespace RiskConsole.Ingest.Polymarket;

/// <summary>What one text frame of the market channel was.</summary>
internal enum ClobFrameKind
{
    /// <summary>The answer to our PING.</summary>
    Pong,

    /// <summary>One event object or an array of them (possibly empty, possibly with rejected elements).</summary>
    Events,

    /// <summary>Not usable as a whole (invalid JSON, not an object or array); the one reason is in the rejections.</summary>
    Rejected,
}

/// <summary>
/// What an event says about a followed market's "Yes" token: a new best bid and ask (NaN = that side is empty), a last
/// trade price (NaN = none in this event), and the event's time in Unix milliseconds.
/// </summary>
internal readonly record struct ClobUpdate(FollowedMarket Market, bool HasQuote, double BestBid, double BestAsk, double TradePrice, long TimestampMs);

/// <summary>
/// Reads market-channel frames with <see cref="Utf8JsonReader"/> straight from the receive buffer: property names are
/// compared as bytes, numbers parsed from the bytes of their strings, token ids matched to the followed markets through
/// a span lookup, so a valid frame allocates no string at all. A frame is one event object or an array of events; a
/// broken event in an array is rejected on its own, while invalid JSON rejects the whole frame and nothing of it is used.
/// Events for the "No" token are read (they must still be well-formed) but produce no update: the No book mirrors the
/// Yes book (a No bid at p is a Yes ask at 1 − p on the same matching engine), so the Yes token alone gives the
/// probability, and deriving it from both would make it flip between two readings of one book.
/// Not thread-safe: one parser per connection.
/// </summary>
internal sealed class ClobFrameParser
{
    /// <summary>Plausible event times: from 2015 (before Polymarket existed) to 2100, in Unix milliseconds.</summary>
    internal const long EarliestTimestampMs = 1_420_070_400_000;

    internal const long LatestTimestampMs = 4_102_444_800_000;

    /// <summary>No order size or volume comes near this; a bigger one is garbage.</summary>
    internal const double MaxSize = 1e12;

    private static ReadOnlySpan<byte> Pong => "PONG"u8;

    private readonly List<(FollowedMarket? Market, bool IsYes, double BestBid, double BestAsk)> _changes = [];

    private enum EventType
    {
        Missing,
        NotAString,
        Book,
        PriceChange,
        LastTradePrice,
        BestBidAsk,
        TickSizeChange,
        MarketResolved,
        Other,
    }

    /// <summary>
    /// Parses one text frame. Updates for followed Yes tokens go to <paramref name="updates"/>, reasons for anything
    /// dropped to <paramref name="rejections"/>, followed markets announced as resolved to <paramref name="resolved"/>.
    /// </summary>
    public ClobFrameKind Parse(ReadOnlySpan<byte> frame, FollowedMarkets markets, List<ClobUpdate> updates, List<string> rejections, List<FollowedMarket> resolved)
    {
        if (frame.SequenceEqual(Pong))
        {
            return ClobFrameKind.Pong;
        }

        if (frame.IsEmpty)
        {
            rejections.Add("empty frame");
            return ClobFrameKind.Rejected;
        }

        var updatesBefore = updates.Count;
        var rejectionsBefore = rejections.Count;
        var resolvedBefore = resolved.Count;
        try
        {
            var reader = new Utf8JsonReader(frame, new JsonReaderOptions { MaxDepth = 16 });
            reader.Read();

            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    ParseEvent(ref reader, markets, updates, rejections, resolved);
                    break;
                case JsonTokenType.StartArray:
                    var index = 0;
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        if (reader.TokenType == JsonTokenType.StartObject)
                        {
                            ParseEvent(ref reader, markets, updates, rejections, resolved);
                        }
                        else
                        {
                            rejections.Add($"array element {index} is not an event object");
                            reader.Skip();
                        }

                        index++;
                    }

                    break;
                default:
                    rejections.Add("frame is neither an event object nor an array of events");
                    return ClobFrameKind.Rejected;
            }

            // Data after the first value (a second object, garbage) makes the reader throw here.
            reader.Read();
            return ClobFrameKind.Events;
        }
        catch (JsonException)
        {
            // Nothing of a frame that is not JSON is used, not even the events before the point where it broke.
            updates.RemoveRange(updatesBefore, updates.Count - updatesBefore);
            rejections.RemoveRange(rejectionsBefore, rejections.Count - rejectionsBefore);
            resolved.RemoveRange(resolvedBefore, resolved.Count - resolvedBefore);
            rejections.Add("invalid JSON");
            return ClobFrameKind.Rejected;
        }
    }

    /// <summary>Reads one event object (reader on its StartObject, left on its EndObject).</summary>
    private void ParseEvent(ref Utf8JsonReader reader, FollowedMarkets markets, List<ClobUpdate> updates, List<string> rejections, List<FollowedMarket> resolved)
    {
        var type = EventType.Missing;
        string? error = null;
        FollowedMarket? asset = null;
        bool assetIsYes = false, hasAsset = false;
        FollowedMarket? conditionMarket = null;
        var hasCondition = false;
        double bookBid = double.NaN, bookAsk = double.NaN;
        bool hasBids = false, hasAsks = false;
        var price = double.NaN;
        var bestBid = double.NaN;
        var bestAsk = double.NaN;
        bool hasBestBid = false, hasBestAsk = false;
        var lastTradeInBook = double.NaN;
        long timestamp = 0;
        var hasTimestamp = false;
        var hasChanges = false;
        _changes.Clear();

        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader;
            reader.Read();
            if (name.ValueTextEquals("event_type"u8))
            {
                type = ReadEventType(ref reader);
            }
            else if (name.ValueTextEquals("asset_id"u8))
            {
                hasAsset = ReadToken(ref reader, markets, out asset, out assetIsYes, "asset_id", ref error);
            }
            else if (name.ValueTextEquals("market"u8))
            {
                hasCondition = ReadCondition(ref reader, markets, out conditionMarket, ref error);
            }
            else if (name.ValueTextEquals("bids"u8))
            {
                hasBids = ReadLevels(ref reader, bids: true, out bookBid, ref error);
            }
            else if (name.ValueTextEquals("asks"u8))
            {
                hasAsks = ReadLevels(ref reader, bids: false, out bookAsk, ref error);
            }
            else if (name.ValueTextEquals("price"u8))
            {
                price = ReadPrice(ref reader, "price", ref error);
            }
            else if (name.ValueTextEquals("size"u8))
            {
                ReadSize(ref reader, "size", ref error);
            }
            else if (name.ValueTextEquals("best_bid"u8))
            {
                bestBid = ReadPrice(ref reader, "best_bid", ref error);
                hasBestBid = true;
            }
            else if (name.ValueTextEquals("best_ask"u8))
            {
                bestAsk = ReadPrice(ref reader, "best_ask", ref error);
                hasBestAsk = true;
            }
            else if (name.ValueTextEquals("last_trade_price"u8))
            {
                lastTradeInBook = ReadPrice(ref reader, "last_trade_price", ref error);
            }
            else if (name.ValueTextEquals("timestamp"u8))
            {
                hasTimestamp = ReadTimestamp(ref reader, out timestamp, ref error);
            }
            else if (name.ValueTextEquals("price_changes"u8))
            {
                hasChanges = ReadPriceChanges(ref reader, markets, ref error);
            }
            else
            {
                reader.Skip();
            }
        }

        switch (type)
        {
            case EventType.Missing:
                rejections.Add("event without event_type");
                return;
            case EventType.NotAString:
                rejections.Add("event_type is not a string");
                return;
            case EventType.TickSizeChange or EventType.Other:
                // A tick size change moves no price; other types (new_market, types added later) are none of ours.
                // Neither is a broken frame, whatever fields they carry.
                return;
        }

        var what = Name(type);
        error ??= Missing(type, hasAsset, hasCondition, hasBids, hasAsks, price, hasBestBid, hasBestAsk, hasTimestamp, hasChanges);
        if (error is not null)
        {
            rejections.Add($"{what}: {error}");
            return;
        }

        switch (type)
        {
            case EventType.Book:
                if (Quote(bookBid, bookAsk, out var bid, out var ask) is { } crossed)
                {
                    rejections.Add($"{what}: {crossed}");
                }
                else if (asset is not null && assetIsYes)
                {
                    updates.Add(new ClobUpdate(asset, true, bid, ask, lastTradeInBook, timestamp));
                }

                break;
            case EventType.PriceChange:
                foreach (var change in _changes)
                {
                    if (Quote(change.BestBid, change.BestAsk, out _, out _) is { } crossedChange)
                    {
                        rejections.Add($"{what}: {crossedChange}");
                        return;
                    }
                }

                foreach (var change in _changes)
                {
                    if (change.Market is not null && change.IsYes)
                    {
                        Quote(change.BestBid, change.BestAsk, out var changeBid, out var changeAsk);
                        updates.Add(new ClobUpdate(change.Market, true, changeBid, changeAsk, double.NaN, timestamp));
                    }
                }

                break;
            case EventType.LastTradePrice:
                if (asset is not null && assetIsYes)
                {
                    updates.Add(new ClobUpdate(asset, false, double.NaN, double.NaN, price, timestamp));
                }

                break;
            case EventType.BestBidAsk:
                if (Quote(bestBid, bestAsk, out var quoteBid, out var quoteAsk) is { } crossedQuote)
                {
                    rejections.Add($"{what}: {crossedQuote}");
                }
                else if (asset is not null && assetIsYes)
                {
                    updates.Add(new ClobUpdate(asset, true, quoteBid, quoteAsk, double.NaN, timestamp));
                }

                break;
            case EventType.MarketResolved:
                if (conditionMarket is not null && !resolved.Contains(conditionMarket))
                {
                    resolved.Add(conditionMarket);
                }

                break;
        }
    }

    /// <summary>The first required field an event of <paramref name="type"/> lacks, or null.</summary>
    private static string? Missing(EventType type, bool asset, bool condition, bool bids, bool asks, double price, bool bestBid, bool bestAsk, bool timestamp, bool changes) => type switch
    {
        EventType.Book when !asset => "asset_id missing",
        EventType.Book when !bids || !asks => "bids or asks missing",
        EventType.PriceChange when !changes => "price_changes missing",
        EventType.LastTradePrice when !asset => "asset_id missing",
        EventType.LastTradePrice when double.IsNaN(price) => "price missing",
        EventType.BestBidAsk when !asset => "asset_id missing",
        EventType.BestBidAsk when !bestBid || !bestAsk => "best_bid or best_ask missing",
        EventType.MarketResolved when !condition => "market missing",
        EventType.Book or EventType.PriceChange or EventType.LastTradePrice or EventType.BestBidAsk when !timestamp => "timestamp missing",
        _ => null,
    };

    /// <summary>
    /// A best bid and ask as the channel states them, with an empty side as NaN: the channel reports an empty bid side
    /// as 0 and an empty ask side as 1, which are no prices anyone trades at. A crossed quote is a broken event.
    /// </summary>
    private static string? Quote(double statedBid, double statedAsk, out double bid, out double ask)
    {
        bid = statedBid > 0 ? statedBid : double.NaN;
        ask = statedAsk < 1 ? statedAsk : double.NaN;
        return bid > ask ? "best bid above best ask" : null;
    }

    private static EventType ReadEventType(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return EventType.NotAString;
        }

        if (reader.ValueTextEquals("book"u8))
        {
            return EventType.Book;
        }

        if (reader.ValueTextEquals("price_change"u8))
        {
            return EventType.PriceChange;
        }

        if (reader.ValueTextEquals("last_trade_price"u8))
        {
            return EventType.LastTradePrice;
        }

        if (reader.ValueTextEquals("best_bid_ask"u8))
        {
            return EventType.BestBidAsk;
        }

        if (reader.ValueTextEquals("tick_size_change"u8))
        {
            return EventType.TickSizeChange;
        }

        return reader.ValueTextEquals("market_resolved"u8) ? EventType.MarketResolved : EventType.Other;
    }

    private static string Name(EventType type) => type switch
    {
        EventType.Book => "book",
        EventType.PriceChange => "price_change",
        EventType.LastTradePrice => "last_trade_price",
        EventType.BestBidAsk => "best_bid_ask",
        EventType.MarketResolved => "market_resolved",
        _ => type.ToString(),
    };

    /// <summary>Reads a token id and finds its market (null when it is not followed). False when the value is not a string.</summary>
    private static bool ReadToken(ref Utf8JsonReader reader, FollowedMarkets markets, out FollowedMarket? market, out bool isYes, string field, ref string? error)
    {
        market = null;
        isYes = false;
        if (reader.TokenType != JsonTokenType.String)
        {
            error ??= $"{field} is not a string";
            reader.Skip();
            return false;
        }

        Span<char> chars = stackalloc char[GammaMarketListParser.MaxTokenIdLength];
        // A token id longer than any real one is simply not a followed token.
        if (!reader.ValueIsEscaped && reader.ValueSpan.Length <= chars.Length)
        {
            var length = reader.CopyString(chars);
            markets.TryFindToken(chars[..length], out market, out isYes);
        }
        else if (reader.ValueIsEscaped && reader.ValueSpan.Length <= 6 * chars.Length)
        {
            var escaped = new char[reader.ValueSpan.Length];
            var length = reader.CopyString(escaped);
            if (length <= chars.Length)
            {
                markets.TryFindToken(escaped.AsSpan(0, length), out market, out isYes);
            }
        }

        return true;
    }

    private static bool ReadCondition(ref Utf8JsonReader reader, FollowedMarkets markets, out FollowedMarket? market, ref string? error)
    {
        market = null;
        if (reader.TokenType != JsonTokenType.String)
        {
            error ??= "market is not a string";
            reader.Skip();
            return false;
        }

        Span<char> chars = stackalloc char[128];
        if (!reader.ValueIsEscaped && reader.ValueSpan.Length <= chars.Length)
        {
            var length = reader.CopyString(chars);
            market = markets.FindCondition(chars[..length]);
        }

        return true;
    }

    /// <summary>Reads a book side (an array of {price, size}) and returns its best price: the highest bid or the lowest ask; NaN when the side is empty.</summary>
    private static bool ReadLevels(ref Utf8JsonReader reader, bool bids, out double best, ref string? error)
    {
        best = double.NaN;
        var side = bids ? "bids" : "asks";
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            error ??= $"{side} is not an array";
            reader.Skip();
            return false;
        }

        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                error ??= $"{side}[{index}] is not a {{price, size}} object";
                reader.Skip();
                index++;
                continue;
            }

            var price = double.NaN;
            var size = double.NaN;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                var name = reader;
                reader.Read();
                if (name.ValueTextEquals("price"u8))
                {
                    price = ReadPrice(ref reader, bids ? "bid price" : "ask price", ref error);
                }
                else if (name.ValueTextEquals("size"u8))
                {
                    size = ReadSize(ref reader, bids ? "bid size" : "ask size", ref error);
                }
                else
                {
                    reader.Skip();
                }
            }

            if (double.IsNaN(price) || double.IsNaN(size))
            {
                error ??= $"{side}[{index}] lacks a price or a size";
            }
            else if (size > 0 && (double.IsNaN(best) || (bids ? price > best : price < best)))
            {
                best = price;
            }

            index++;
        }

        return true;
    }

    private bool ReadPriceChanges(ref Utf8JsonReader reader, FollowedMarkets markets, ref string? error)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            error ??= "price_changes is not an array";
            reader.Skip();
            return false;
        }

        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                error ??= $"price_changes[{index}] is not an object";
                reader.Skip();
                index++;
                continue;
            }

            FollowedMarket? market = null;
            bool isYes = false, hasAsset = false, hasBid = false, hasAsk = false;
            double bid = double.NaN, ask = double.NaN;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                var name = reader;
                reader.Read();
                if (name.ValueTextEquals("asset_id"u8))
                {
                    hasAsset = ReadToken(ref reader, markets, out market, out isYes, "price_changes asset_id", ref error);
                }
                else if (name.ValueTextEquals("best_bid"u8))
                {
                    bid = ReadPrice(ref reader, "price_changes best_bid", ref error);
                    hasBid = true;
                }
                else if (name.ValueTextEquals("best_ask"u8))
                {
                    ask = ReadPrice(ref reader, "price_changes best_ask", ref error);
                    hasAsk = true;
                }
                else if (name.ValueTextEquals("price"u8))
                {
                    ReadPrice(ref reader, "price_changes price", ref error);
                }
                else if (name.ValueTextEquals("size"u8))
                {
                    ReadSize(ref reader, "price_changes size", ref error);
                }
                else
                {
                    reader.Skip();
                }
            }

            if (!hasAsset || !hasBid || !hasAsk)
            {
                error ??= $"price_changes[{index}] lacks asset_id, best_bid or best_ask";
            }
            else
            {
                _changes.Add((market, isYes, bid, ask));
            }

            index++;
        }

        return true;
    }

    /// <summary>A price: a probability in [0, 1], sent as a string ("0.61", ".48") or a number. NaN and a reason when it is not.</summary>
    private static double ReadPrice(ref Utf8JsonReader reader, string field, ref string? error)
    {
        if (!TryReadNumber(ref reader, out var value))
        {
            error ??= $"{field} is not a number";
            return double.NaN;
        }

        if (!(value is >= 0 and <= 1))
        {
            error ??= double.IsFinite(value) ? $"{field} is outside [0, 1]" : $"{field} is not finite";
            return double.NaN;
        }

        return value;
    }

    /// <summary>A size: finite, not negative, not absurd. NaN and a reason when it is not.</summary>
    private static double ReadSize(ref Utf8JsonReader reader, string field, ref string? error)
    {
        if (!TryReadNumber(ref reader, out var value))
        {
            error ??= $"{field} is not a number";
            return double.NaN;
        }

        if (!(value is >= 0 and <= MaxSize))
        {
            error ??= double.IsFinite(value) ? $"{field} is negative or absurd" : $"{field} is not finite";
            return double.NaN;
        }

        return value;
    }

    /// <summary>Unix milliseconds, sent as a string of digits ("1763800004512") or a number, within <see cref="EarliestTimestampMs"/>..<see cref="LatestTimestampMs"/>.</summary>
    private static bool ReadTimestamp(ref Utf8JsonReader reader, out long milliseconds, ref string? error)
    {
        milliseconds = 0;
        var parsed = reader.TokenType switch
        {
            JsonTokenType.String => !reader.ValueIsEscaped && long.TryParse(reader.ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out milliseconds),
            JsonTokenType.Number => reader.TryGetInt64(out milliseconds),
            _ => false,
        };
        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            reader.Skip();
        }

        if (!parsed)
        {
            error ??= "timestamp is not a whole number of milliseconds";
            return false;
        }

        if (milliseconds is < EarliestTimestampMs or >= LatestTimestampMs)
        {
            error ??= "timestamp is not a plausible Unix time in milliseconds";
            return false;
        }

        return true;
    }

    /// <summary>A number sent as a JSON string (the channel's way) or a JSON number; false for anything else, NaN and Infinity included as parsed values.</summary>
    private static bool TryReadNumber(ref Utf8JsonReader reader, out double value)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                return reader.TryGetDouble(out value);
            case JsonTokenType.String:
                // Float style: no thousands separators, no currency; "NaN" and "Infinity" parse and are refused by the range checks.
                if (!reader.ValueIsEscaped)
                {
                    return double.TryParse(reader.ValueSpan, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
                }

                Span<byte> unescaped = stackalloc byte[64];
                if (reader.ValueSpan.Length > unescaped.Length)
                {
                    value = double.NaN;
                    return false;
                }

                var length = reader.CopyString(unescaped);
                return double.TryParse(unescaped[..length], NumberStyles.Float, CultureInfo.InvariantCulture, out value);
            default:
                reader.Skip();
                value = double.NaN;
                return false;
        }
    }
}
