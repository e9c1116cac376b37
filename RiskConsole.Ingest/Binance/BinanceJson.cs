using System.Globalization;
using System.Text;
using System.Text.Json;

namespace RiskConsole.Ingest.Binance;

/// <summary>Whether a decimal field was there and parsed.</summary>
internal enum NumberState : byte
{
    Absent,
    Invalid,
    Value,
}

internal readonly record struct Number(NumberState State, double Value);

/// <summary>What the stream parser and the REST parser read the same way: Binance's decimals and the price checks.</summary>
internal static class BinanceJson
{
    /// <summary>The lowest price accepted; the engine's own default floor (Risk:MinimumPrice).</summary>
    public const double MinimumPrice = 1e-9;

    /// <summary>The highest price accepted; the engine's own default ceiling (Risk:MaximumPrice).</summary>
    public const double MaximumPrice = 1e9;

    // A Binance decimal is at most ~30 characters; anything longer is not a price.
    private const int MaxNumberLength = 64;

    /// <summary>
    /// Binance writes decimals as JSON strings ("84231.57000000"), parsed here from the bytes in place; a plain JSON
    /// number is taken too. The reader is left on the value's last token.
    /// </summary>
    public static Number ReadDecimal(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                return reader.TryGetDouble(out var number) ? new Number(NumberState.Value, number) : new Number(NumberState.Invalid, 0);
            case JsonTokenType.String:
                // ValueSpan is the raw bytes; an escaped or split value has to be copied out first.
                if (!reader.ValueIsEscaped && !reader.HasValueSequence)
                {
                    return Parse(reader.ValueSpan);
                }

                var length = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
                if (length > MaxNumberLength)
                {
                    return new Number(NumberState.Invalid, 0);
                }

                Span<byte> copy = stackalloc byte[MaxNumberLength];
                var written = reader.CopyString(copy);
                return Parse(copy[..written]);
            default:
                reader.Skip();
                return new Number(NumberState.Invalid, 0);
        }
    }

    /// <summary>Why <paramref name="price"/> is no usable price, or null when it is one.</summary>
    public static string? CheckPrice(Number price) => price.State switch
    {
        NumberState.Absent => BinanceRejections.NoPrice,
        NumberState.Invalid => BinanceRejections.PriceNotANumber,
        _ when !double.IsFinite(price.Value) => BinanceRejections.PriceNotFinite,
        _ when price.Value <= 0 => BinanceRejections.PriceNotPositive,
        _ when price.Value is < MinimumPrice or > MaximumPrice => BinanceRejections.PriceOutOfRange,
        _ => null,
    };

    // No exponent, no thousands separators, no spaces: exactly what Binance writes. (NaN and Infinity still parse;
    // CheckPrice turns them away by name.)
    private static Number Parse(ReadOnlySpan<byte> text) =>
        text.Length <= MaxNumberLength
        && double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            ? new Number(NumberState.Value, value)
            : new Number(NumberState.Invalid, 0);
}

/// <summary>
/// The configured symbols, with the bytes Binance spells them in (upper case), so a message's symbol is found without
/// making a string of it, and the signal carries the configured string itself.
/// </summary>
internal sealed class BinanceSymbols
{
    private readonly byte[][] _upperUtf8;

    public BinanceSymbols(IReadOnlyList<string> symbols)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        Names = [.. symbols];
        _upperUtf8 = [.. symbols.Select(s => Encoding.UTF8.GetBytes(s.ToUpperInvariant()))];
    }

    /// <summary>The symbols as configured; an index from <see cref="Match"/> points into this list.</summary>
    public IReadOnlyList<string> Names { get; }

    public int Count => _upperUtf8.Length;

    /// <summary>The index of the string token under <paramref name="reader"/> among the symbols, or -1 (also for a non-string).</summary>
    public int Match(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return -1;
        }

        for (var i = 0; i < _upperUtf8.Length; i++)
        {
            if (reader.ValueTextEquals(_upperUtf8[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
