using System.Globalization;

namespace RiskConsole.Engine.Replay;

/// <summary>
/// Binance's public kline (candle) CSV: open time, open, high, low, close, volume, close time, quote volume, trades,
/// taker buy base, taker buy quote, ignore — with or without a header, times in milliseconds or (since 2025)
/// microseconds since 1970. Only the open time, the close and (when present) the close time are used: a candle's close
/// is the last price of its bar. At least the first five columns are needed.
/// </summary>
public static class KlineCsv
{
    /// <summary>Open times at or above this are microseconds (milliseconds reach it only in the year 5138).</summary>
    private const long MicrosecondsFrom = 100_000_000_000_000;

    /// <summary>Open times below this are not milliseconds of any market data (before 1973).</summary>
    private const long MillisecondsFrom = 100_000_000_000;

    /// <summary>One candle: when it opened, when its close was traded (its close time, or the end of its interval), and the close.</summary>
    public readonly record struct Candle(DateTimeOffset OpenTime, DateTimeOffset? CloseTime, double Close);

    /// <summary>Whether a first row is a header (its first field is not a number): skipped, not counted as bad.</summary>
    public static bool IsHeader(IReadOnlyList<string> fields) =>
        fields.Count > 0 && !long.TryParse(fields[0].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out _);

    /// <summary>Parses a row; on failure <paramref name="error"/> says what is wrong in a few words.</summary>
    public static bool TryParse(IReadOnlyList<string> fields, out Candle candle, out string error)
    {
        ArgumentNullException.ThrowIfNull(fields);
        candle = default;
        if (fields.Count < 5)
        {
            error = $"{fields.Count} column{(fields.Count == 1 ? "" : "s")}, a kline has at least 5 (open time, open, high, low, close, ...)";
            return false;
        }

        if (!TryTime(fields[0], out var open, out error))
        {
            error = "open time " + error;
            return false;
        }

        if (!double.TryParse(fields[4].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var close) || !double.IsFinite(close) || close <= 0)
        {
            error = $"close is not a positive number ('{Shorten(fields[4])}')";
            return false;
        }

        DateTimeOffset? closeTime = null;
        if (fields.Count >= 7 && fields[6].Trim().Length > 0)
        {
            if (!TryTime(fields[6], out var parsed, out error))
            {
                error = "close time " + error;
                return false;
            }

            if (parsed <= open)
            {
                error = "close time is not after the open time";
                return false;
            }

            closeTime = parsed;
        }

        candle = new Candle(open, closeTime, close);
        error = string.Empty;
        return true;
    }

    /// <summary>The symbol a Binance file name starts with ("BTCUSDT-1m-2021-05.csv", "btcusdt_perp_1m_….csv"), or "BTCUSDT".</summary>
    public static string SymbolFromFileName(string path)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        var end = name.IndexOfAny(['-', '_', '.', ' ']);
        var symbol = (end < 0 ? name : name[..end]).ToUpperInvariant();
        return symbol.Length is >= 2 and <= 20 && symbol.All(char.IsAsciiLetterOrDigit) ? symbol : "BTCUSDT";
    }

    private static bool TryTime(string text, out DateTimeOffset time, out string error)
    {
        time = default;
        if (!long.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            error = $"is not a whole number ('{Shorten(text)}')";
            return false;
        }

        if (value < MillisecondsFrom)
        {
            error = $"is neither milliseconds nor microseconds since 1970 ({value})";
            return false;
        }

        try
        {
            time = value >= MicrosecondsFrom
                ? DateTimeOffset.UnixEpoch.AddTicks(checked(value * 10))
                : DateTimeOffset.FromUnixTimeMilliseconds(value);
        }
        catch (Exception ex) when (ex is ArgumentOutOfRangeException or OverflowException)
        {
            error = $"is out of range ({value})";
            return false;
        }

        error = string.Empty;
        return true;
    }

    private static string Shorten(string text) => text.Length > 30 ? text[..30] + "…" : text;
}
