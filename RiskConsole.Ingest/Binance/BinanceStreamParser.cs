using System.Text.Json;

namespace RiskConsole.Ingest.Binance;

/// <summary>
/// Reads one Binance market-stream message — a trade, 24hrTicker or kline event, raw or wrapped as
/// <c>{"stream":..,"data":{..}}</c> by the combined stream, a control answer, or <c>serverShutdown</c> — in one pass of
/// <see cref="Utf8JsonReader"/> over the received bytes. Nothing is allocated for a good message: the symbol is matched
/// against the configured symbols' UTF-8 bytes, numbers are parsed from the bytes in place. Binance puts fields in any
/// order it likes, so fields are collected first and judged once the object has ended.
/// </summary>
public sealed class BinanceStreamParser
{
    // 2017-01-01 and 2100-01-01 in Unix milliseconds: Binance did not exist before, and a later time is garbage.
    private const long EarliestTimeMs = 1_483_228_800_000;
    private const long LatestTimeMs = 4_102_444_800_000;

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 16 };

    private readonly BinanceSymbols _symbols;

    /// <param name="symbols">The configured symbols; a message's <c>s</c> is matched against them ignoring case.</param>
    public BinanceStreamParser(IReadOnlyList<string> symbols) => _symbols = new BinanceSymbols(symbols);

    public BinanceStreamMessage Parse(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return BinanceStreamMessage.Rejected(BinanceRejections.EmptyFrame);
        }

        try
        {
            var reader = new Utf8JsonReader(utf8, ReaderOptions);
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                // Reading past the value finds trailing garbage, which makes it invalid JSON rather than the wrong shape.
                return reader.Read() ? BinanceStreamMessage.Rejected(BinanceRejections.InvalidJson) : BinanceStreamMessage.Rejected(BinanceRejections.NotAnObject);
            }

            var fields = default(Fields);
            ReadObject(ref reader, ref fields, topLevel: true);
            // One value per message: a second one throws (invalid JSON), the end returns false.
            reader.Read();
            return Judge(ref fields);
        }
        catch (JsonException)
        {
            return BinanceStreamMessage.Rejected(BinanceRejections.InvalidJson);
        }
    }

    private void ReadObject(ref Utf8JsonReader reader, ref Fields fields, bool topLevel)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("e"u8))
            {
                reader.Read();
                fields.Event = ReadEventType(ref reader);
            }
            else if (reader.ValueTextEquals("E"u8))
            {
                reader.Read();
                fields.EventTime = ReadInteger(ref reader);
            }
            else if (reader.ValueTextEquals("T"u8))
            {
                reader.Read();
                fields.TradeTime = ReadInteger(ref reader);
            }
            else if (reader.ValueTextEquals("t"u8))
            {
                reader.Read();
                fields.TradeId = ReadInteger(ref reader);
            }
            else if (reader.ValueTextEquals("s"u8))
            {
                reader.Read();
                fields.Symbol = ReadSymbol(ref reader);
            }
            else if (reader.ValueTextEquals("p"u8))
            {
                reader.Read();
                fields.P = BinanceJson.ReadDecimal(ref reader);
            }
            else if (reader.ValueTextEquals("c"u8))
            {
                reader.Read();
                fields.C = BinanceJson.ReadDecimal(ref reader);
            }
            else if (reader.ValueTextEquals("k"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    fields.HasKline = true;
                    ReadKline(ref reader, ref fields);
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (topLevel && reader.ValueTextEquals("data"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    ReadObject(ref reader, ref fields, topLevel: false);
                }
                else
                {
                    fields.DataNotAnObject = true;
                    reader.Skip();
                }
            }
            else
            {
                // Control answers are told apart by their keys alone; their values are not needed.
                if (reader.ValueTextEquals("result"u8) || reader.ValueTextEquals("id"u8))
                {
                    fields.ControlAnswer = true;
                }
                else if (reader.ValueTextEquals("code"u8) || reader.ValueTextEquals("msg"u8) || reader.ValueTextEquals("error"u8))
                {
                    fields.ControlError = true;
                }

                reader.Read();
                reader.Skip();
            }
        }
    }

    private static void ReadKline(ref Utf8JsonReader reader, ref Fields fields)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("c"u8))
            {
                reader.Read();
                fields.KlineClose = BinanceJson.ReadDecimal(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private static BinanceStreamMessage Judge(ref Fields fields)
    {
        if (fields.DataNotAnObject)
        {
            return BinanceStreamMessage.Rejected(BinanceRejections.DataNotAnObject);
        }

        switch (fields.Event)
        {
            case EventType.None:
                // Binance's answers to SUBSCRIBE/LIST_SUBSCRIPTIONS carry result and id; its errors code and msg.
                return fields.ControlError
                    ? new BinanceStreamMessage(BinanceMessageKind.ControlError, -1, default, 0, 0, 0, null)
                    : fields.ControlAnswer
                        ? new BinanceStreamMessage(BinanceMessageKind.Control, -1, default, 0, 0, 0, null)
                        : BinanceStreamMessage.Rejected(BinanceRejections.NoEventType);
            case EventType.ServerShutdown:
                return new BinanceStreamMessage(BinanceMessageKind.ServerShutdown, -1, default, 0, fields.EventTime.Value, 0, null);
            case EventType.Other:
                return BinanceStreamMessage.Rejected(BinanceRejections.UnknownEventType);
        }

        if (fields.Symbol.State == SymbolState.Absent)
        {
            return BinanceStreamMessage.Rejected(BinanceRejections.NoSymbol);
        }

        if (fields.Symbol.State == SymbolState.Unknown)
        {
            return BinanceStreamMessage.Rejected(BinanceRejections.UnknownSymbol);
        }

        // Which field holds the price depends on the event: a trade's p; a ticker's c (its p is the 24 h CHANGE, which
        // would pass every check of a price and be badly wrong); a kline's k.c.
        Number price;
        Integer time;
        Integer sequence;
        BinancePriceEvent kind;
        switch (fields.Event)
        {
            case EventType.Trade:
                kind = BinancePriceEvent.Trade;
                price = fields.P;
                time = fields.TradeTime;
                sequence = fields.TradeId;
                if (sequence.State != IntegerState.Value || sequence.Value < 0)
                {
                    return BinanceStreamMessage.Rejected(BinanceRejections.NoTradeId);
                }

                break;
            case EventType.Ticker:
                kind = BinancePriceEvent.Ticker;
                price = fields.C;
                time = fields.EventTime;
                sequence = time;
                break;
            default:
                if (!fields.HasKline)
                {
                    return BinanceStreamMessage.Rejected(BinanceRejections.NoKline);
                }

                kind = BinancePriceEvent.Kline;
                price = fields.KlineClose;
                time = fields.EventTime;
                sequence = time;
                break;
        }

        var priceRejection = BinanceJson.CheckPrice(price);
        if (priceRejection is not null)
        {
            return BinanceStreamMessage.Rejected(priceRejection);
        }

        var timeRejection = time.State switch
        {
            IntegerState.Absent => BinanceRejections.NoTime,
            IntegerState.Invalid => BinanceRejections.TimeNotAnInteger,
            _ when time.Value is < EarliestTimeMs or > LatestTimeMs => BinanceRejections.TimeOutOfRange,
            _ => null,
        };
        if (timeRejection is not null)
        {
            return BinanceStreamMessage.Rejected(timeRejection);
        }

        return new BinanceStreamMessage(BinanceMessageKind.Price, fields.Symbol.Index, kind, price.Value, time.Value, sequence.Value, null);
    }

    private static EventType ReadEventType(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return EventType.Other;
        }

        return reader.ValueTextEquals("trade"u8) ? EventType.Trade
            : reader.ValueTextEquals("24hrTicker"u8) ? EventType.Ticker
            : reader.ValueTextEquals("kline"u8) ? EventType.Kline
            : reader.ValueTextEquals("serverShutdown"u8) ? EventType.ServerShutdown
            : EventType.Other;
    }

    private SymbolField ReadSymbol(ref Utf8JsonReader reader)
    {
        var index = _symbols.Match(ref reader);
        return new SymbolField(index >= 0 ? SymbolState.Known : SymbolState.Unknown, index);
    }

    private static Integer ReadInteger(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value))
        {
            return new Integer(IntegerState.Value, value);
        }

        reader.Skip();
        return new Integer(IntegerState.Invalid, 0);
    }

    private enum EventType : byte
    {
        None,
        Trade,
        Ticker,
        Kline,
        ServerShutdown,
        Other,
    }

    private enum IntegerState : byte
    {
        Absent,
        Invalid,
        Value,
    }

    private enum SymbolState : byte
    {
        Absent,
        Unknown,
        Known,
    }

    private readonly record struct Integer(IntegerState State, long Value);

    private readonly record struct SymbolField(SymbolState State, int Index);

    private struct Fields
    {
        public EventType Event;
        public Integer EventTime;
        public Integer TradeTime;
        public Integer TradeId;
        public SymbolField Symbol;
        public Number P;
        public Number C;
        public Number KlineClose;
        public bool HasKline;
        public bool DataNotAnObject;
        public bool ControlAnswer;
        public bool ControlError;
    }
}
