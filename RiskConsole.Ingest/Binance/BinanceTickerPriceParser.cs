using System.Text.Json;

namespace RiskConsole.Ingest.Binance;

/// <summary>One symbol's price from <c>GET /api/v3/ticker/price</c>: an index into the configured symbols and the price.</summary>
public readonly record struct BinanceTickerPrice(int SymbolIndex, double Price);

/// <summary>
/// Reads the answer of <c>GET {RestUrl}/api/v3/ticker/price</c>: a JSON array of <c>{"symbol":"BTCUSDT","price":"84231.57"}</c>
/// when asked for several symbols (<c>symbols=[...]</c>), one such object when asked for one (<c>symbol=</c>).
/// An entry that is not a usable price is rejected on its own; the others are kept.
/// </summary>
public sealed class BinanceTickerPriceParser
{
    public const string NotTickerPrices = "not a ticker price or an array of them";
    public const string EntryNotAnObject = "ticker price entry is not an object";
    public const string EntryWithoutSymbol = "ticker price entry without a configured 'symbol'";

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 8 };

    private readonly BinanceSymbols _symbols;

    public BinanceTickerPriceParser(IReadOnlyList<string> symbols) => _symbols = new BinanceSymbols(symbols);

    /// <summary>
    /// Adds each good entry of <paramref name="utf8"/> to <paramref name="prices"/> and the reason for each bad one to
    /// <paramref name="rejections"/>. Returns why the whole answer is unusable, or null.
    /// </summary>
    public string? Parse(ReadOnlySpan<byte> utf8, ICollection<BinanceTickerPrice> prices, ICollection<string> rejections)
    {
        ArgumentNullException.ThrowIfNull(prices);
        ArgumentNullException.ThrowIfNull(rejections);
        if (utf8.IsEmpty)
        {
            return BinanceRejections.EmptyFrame;
        }

        try
        {
            var reader = new Utf8JsonReader(utf8, ReaderOptions);
            reader.Read();

            // Entries are collected first: invalid JSON further on makes the whole answer unusable, prices included.
            var found = new List<BinanceTickerPrice>();
            var bad = new List<string>();
            switch (reader.TokenType)
            {
                case JsonTokenType.StartArray:
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        ReadEntry(ref reader, found, bad);
                    }

                    break;
                case JsonTokenType.StartObject:
                    ReadEntry(ref reader, found, bad);
                    break;
                default:
                    reader.Skip();
                    reader.Read();
                    return NotTickerPrices;
            }

            reader.Read();
            foreach (var price in found)
            {
                prices.Add(price);
            }

            foreach (var reason in bad)
            {
                rejections.Add(reason);
            }

            return null;
        }
        catch (JsonException)
        {
            return BinanceRejections.InvalidJson;
        }
    }

    private void ReadEntry(ref Utf8JsonReader reader, List<BinanceTickerPrice> prices, List<string> rejections)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            rejections.Add(EntryNotAnObject);
            return;
        }

        var symbol = -1;
        var price = default(Number);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("symbol"u8))
            {
                reader.Read();
                symbol = _symbols.Match(ref reader);
            }
            else if (reader.ValueTextEquals("price"u8))
            {
                reader.Read();
                price = BinanceJson.ReadDecimal(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        var reason = symbol < 0 ? EntryWithoutSymbol : BinanceJson.CheckPrice(price);
        if (reason is null)
        {
            prices.Add(new BinanceTickerPrice(symbol, price.Value));
        }
        else
        {
            rejections.Add(reason);
        }
    }
}
