using System.Globalization;

namespace RiskConsole.Tests.Ingest.Binance;

/// <summary>
/// Binance market-stream and REST messages as Binance writes them — the shapes of ../shared/fixtures/feeds (field order
/// included), with the values a test chooses. Prices are strings, as Binance sends them. <c>combined: true</c> wraps an
/// event the way the combined stream (<c>/stream?streams=...</c>) does: <c>{"stream":"btcusdt@trade","data":{...}}</c>.
/// </summary>
public static class BinanceFrames
{
    /// <summary>A <c>&lt;symbol&gt;@trade</c> event; the event time is the trade time + 1 ms, as in the fixture.</summary>
    public static string Trade(string symbol, string price, long tradeId, long tradeTimeMs, bool combined = true, string quantity = "0.00120000")
    {
        var data = $$"""{"e":"trade","E":{{tradeTimeMs + 1}},"s":"{{symbol}}","t":{{tradeId}},"p":"{{price}}","q":"{{quantity}}","T":{{tradeTimeMs}},"m":true,"M":true}""";
        return combined ? Wrap($"{symbol.ToLowerInvariant()}@trade", data) : data;
    }

    /// <summary>A <c>&lt;symbol&gt;@ticker</c> (24hrTicker) event: <c>c</c> is the last price, <c>p</c> the 24 h change.</summary>
    public static string Ticker(string symbol, string lastPrice, string change, long eventTimeMs, bool combined = true)
    {
        var data = $$"""{"e":"24hrTicker","E":{{eventTimeMs}},"s":"{{symbol}}","p":"{{change}}","P":"-2.178","w":"84902.11804519","x":"86108.00000000","c":"{{lastPrice}}","Q":"0.00120000","b":"84231.56000000","B":"3.41852000","a":"84231.57000000","A":"0.77120000","o":"86108.00000000","h":"87466.30000000","l":"83521.10000000","v":"21873.40512000","q":"1857095383.27814320","O":{{eventTimeMs - 86_400_000}},"C":{{eventTimeMs}},"F":5510312001,"L":5512345678,"n":2033678}""";
        return combined ? Wrap($"{symbol.ToLowerInvariant()}@ticker", data) : data;
    }

    /// <summary>A <c>&lt;symbol&gt;@kline_1m</c> event with close <paramref name="close"/> (the candle still open).</summary>
    public static string Kline(string symbol, string close, long eventTimeMs, bool combined = true)
    {
        var start = eventTimeMs - (eventTimeMs % 60_000);
        var data = $$$"""{"e":"kline","E":{{{eventTimeMs}}},"s":"{{{symbol}}}","k":{"t":{{{start}}},"T":{{{start + 59_999}}},"s":"{{{symbol}}}","i":"1m","f":5512341022,"L":5512345678,"o":"84260.01000000","c":"{{{close}}}","h":"84281.99000000","l":"84210.00000000","v":"18.30911000","n":4657,"x":false,"q":"1542345.62061880","V":"7.90014000","Q":"665476.34590112","B":"0"}}""";
        return combined ? Wrap($"{symbol.ToLowerInvariant()}@kline_1m", data) : data;
    }

    /// <summary>The event Binance sends before it closes connections for maintenance.</summary>
    public static string ServerShutdown(long eventTimeMs, bool combined = true)
    {
        var data = $$"""{"e":"serverShutdown","E":{{eventTimeMs}}}""";
        return combined ? Wrap("!serverShutdown", data) : data;
    }

    /// <summary>The answer to a SUBSCRIBE (or UNSUBSCRIBE) request.</summary>
    public static string SubscribeResult(int id) => $$"""{"result":null,"id":{{id}}}""";

    /// <summary>The answer to LIST_SUBSCRIPTIONS.</summary>
    public static string ListSubscriptionsResult(int id, params string[] streams) =>
        $$"""{"result":[{{string.Join(",", streams.Select(s => $"\"{s}\""))}}],"id":{{id}}}""";

    /// <summary>A control error, e.g. for a request that is not JSON.</summary>
    public static string ControlError(int code, string message) => $$"""{"code":{{code}},"msg":"{{message}}"}""";

    /// <summary>One entry of <c>GET /api/v3/ticker/price</c>.</summary>
    public static string TickerPrice(string symbol, string price) => $$"""{"symbol":"{{symbol}}","price":"{{price}}"}""";

    /// <summary>The answer of <c>GET /api/v3/ticker/price?symbols=[...]</c>.</summary>
    public static string TickerPrices(params (string Symbol, string Price)[] prices) =>
        "[" + string.Join(",", prices.Select(p => TickerPrice(p.Symbol, p.Price))) + "]";

    /// <summary>A REST error body, e.g. <c>{"code":-1121,"msg":"Invalid symbol."}</c>.</summary>
    public static string RestError(int code, string message) => $$"""{"code":{{code}},"msg":"{{message}}"}""";

    /// <summary>Unix milliseconds of <paramref name="time"/>.</summary>
    public static long Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    /// <summary>A price as Binance writes it: eight decimals.</summary>
    public static string Price(double value) => value.ToString("F8", CultureInfo.InvariantCulture);

    private static string Wrap(string stream, string data) => $$"""{"stream":"{{stream}}","data":{{data}}}""";
}
