using System.Globalization;
using System.Text;

namespace RiskConsole.Tests.Engine.Replay;

/// <summary>
/// Kline CSV files in Binance's public format, made up for tests: a calm stretch of small random moves, then a crash of
/// steady losses with large swings, then a quiet low. Seeded, so every run writes the same file.
/// </summary>
internal static class SyntheticCandles
{
    /// <summary>Candles of the crash and where it started (the open of its first candle) and what the price did.</summary>
    public sealed record Crash(string Path, DateTimeOffset CrashStart, TimeSpan Interval, IReadOnlyList<(DateTimeOffset Open, double Close)> Candles);

    /// <summary>
    /// <paramref name="calm"/> candles moving about <paramref name="calmMove"/> each (as a fraction), then
    /// <paramref name="falling"/> candles that lose <paramref name="drift"/> each with swings of <paramref name="swing"/>,
    /// then 30 calm candles. Open times in milliseconds with a header, or in microseconds without one.
    /// </summary>
    public static Crash Write(
        string path,
        TimeSpan interval,
        int calm,
        double calmMove,
        int falling,
        double drift,
        double swing,
        bool microseconds = false,
        bool header = true,
        Func<int, string?>? badRowAfter = null)
    {
        var random = new Random(20210519);
        var start = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var price = 40_000.0;
        var candles = new List<(DateTimeOffset, double)>();
        var text = new StringBuilder();
        if (header)
        {
            text.Append("open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore\n");
        }

        var total = calm + falling + 30;
        for (var i = 0; i < total; i++)
        {
            var open = start + (interval * i);
            var crashing = i >= calm && i < calm + falling;
            var move = crashing ? -drift + (swing * Gaussian(random)) : calmMove * Gaussian(random);
            var opened = price;
            price *= Math.Exp(move);
            candles.Add((open, price));
            var high = Math.Max(opened, price) * 1.0005;
            var low = Math.Min(opened, price) * 0.9995;
            long Stamp(DateTimeOffset at) => microseconds ? (at - DateTimeOffset.UnixEpoch).Ticks / 10 : at.ToUnixTimeMilliseconds();
            var closeTime = Stamp(open + interval) - 1;
            text.Append(CultureInfo.InvariantCulture, $"{Stamp(open)},{opened:F2},{high:F2},{low:F2},{price:F2},12.5,{closeTime},500000.0,1000,6.1,250000.0,0\n");
            if (badRowAfter?.Invoke(i) is { } bad)
            {
                text.Append(bad).Append('\n');
            }
        }

        File.WriteAllText(path, text.ToString());
        return new Crash(path, start + (interval * calm), interval, candles);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
