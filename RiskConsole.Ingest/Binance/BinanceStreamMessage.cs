namespace RiskConsole.Ingest.Binance;

/// <summary>What one stream message turned out to be.</summary>
public enum BinanceMessageKind
{
    /// <summary>A price event (trade, 24 h ticker or kline) of a configured symbol, checked and ready to publish.</summary>
    Price,

    /// <summary>An answer to a control request (SUBSCRIBE, LIST_SUBSCRIPTIONS ...): a message, neither data nor an error.</summary>
    Control,

    /// <summary>An error answer to a control request (<c>{"code":..,"msg":..}</c>): logged, never a rejected frame.</summary>
    ControlError,

    /// <summary><c>serverShutdown</c>: this connection is about to be closed by Binance; time for a planned reconnect.</summary>
    ServerShutdown,

    /// <summary>Not usable: <see cref="BinanceStreamMessage.Rejection"/> says why.</summary>
    Rejected,
}

/// <summary>The kind of price event, since each stream of a symbol has its own order of events.</summary>
public enum BinancePriceEvent
{
    Trade,
    Ticker,
    Kline,
}

/// <summary>
/// One parsed stream message, without allocation: the symbol is an index into the configured symbols, the rejection
/// reason is one of the constant strings in <see cref="BinanceRejections"/>.
/// </summary>
/// <param name="Kind">What the message is.</param>
/// <param name="SymbolIndex">For <see cref="BinanceMessageKind.Price"/>, the index of the symbol in the configured list.</param>
/// <param name="Event">For a price, which stream it came from.</param>
/// <param name="Price">For a price: the trade price, the ticker's last price (<c>c</c>), or the kline's close (<c>k.c</c>).</param>
/// <param name="TimeMs">For a price: the trade time <c>T</c> for a trade, else the event time <c>E</c>, in Unix milliseconds.</param>
/// <param name="Sequence">
/// For a price, what orders events of one symbol and stream: the trade id <c>t</c> for a trade, the event time for a
/// ticker or kline. Two connections deliver the same events during a planned reconnect; this tells which were seen.
/// </param>
/// <param name="Rejection">For <see cref="BinanceMessageKind.Rejected"/>, why, in a few words.</param>
public readonly record struct BinanceStreamMessage(
    BinanceMessageKind Kind,
    int SymbolIndex,
    BinancePriceEvent Event,
    double Price,
    long TimeMs,
    long Sequence,
    string? Rejection)
{
    public static BinanceStreamMessage Rejected(string reason) => new(BinanceMessageKind.Rejected, -1, default, 0, 0, 0, reason);

    public DateTimeOffset Timestamp => DateTimeOffset.FromUnixTimeMilliseconds(TimeMs);
}

/// <summary>
/// Why a message was rejected: short, naming what was wrong and never the payload (the reasons are counted per reason,
/// so a payload in them would make every rejection its own row). Constants, so a rejection allocates nothing.
/// </summary>
public static class BinanceRejections
{
    public const string InvalidJson = "invalid JSON";
    public const string NotAnObject = "not a JSON object";
    public const string DataNotAnObject = "combined stream 'data' is not an object";
    public const string NoEventType = "no event type 'e' and not a control answer";
    public const string UnknownEventType = "unknown event type";
    public const string NoSymbol = "no symbol 's'";
    public const string UnknownSymbol = "symbol not configured";
    public const string NoPrice = "no price";
    public const string PriceNotANumber = "price is not a decimal number";
    public const string PriceNotFinite = "price is not a finite number";
    public const string PriceNotPositive = "price is zero or negative";
    public const string PriceOutOfRange = "price outside 1e-9 to 1e9";
    public const string NoTime = "no event or trade time";
    public const string TimeNotAnInteger = "time is not an integer";
    public const string TimeOutOfRange = "time outside 2017 to 2100";
    public const string NoTradeId = "trade without an integer trade id 't'";
    public const string NoKline = "kline event without a 'k' object";
    public const string BinaryFrame = "binary frame (Binance sends text)";
    public const string EmptyFrame = "empty frame";

    /// <summary>The reason for a message larger than the configured limit (one string per limit, built once).</summary>
    public static string TooLarge(int limit) => $"message larger than {limit} bytes";
}
