using System.Globalization;

namespace RiskConsole.Engine.Replay;

/// <summary>
/// The chart of a replay (<c>replay --chart scores.png</c>): the price of one symbol (blue, left axis) and the risk
/// score (red, right axis, grey while warming up) against time, the threshold (orange, dashed) and every interrupt
/// (purple). Meant to put in docs and reports next to the summary, so it says in its title and legend what it shows.
/// </summary>
public static class ScoreChart
{
    public const int Width = 1200;
    public const int Height = 600;

    private const int Left = 80;
    private const int Right = 60;
    private const int Top = 62;
    private const int Bottom = 40;

    public static readonly Rgb Background = new(255, 255, 255);
    public static readonly Rgb Ink = new(40, 40, 40);
    public static readonly Rgb Grid = new(228, 228, 228);
    public static readonly Rgb PriceLine = new(30, 90, 200);
    public static readonly Rgb ScoreLine = new(215, 40, 40);
    public static readonly Rgb WarmupLine = new(170, 170, 170);
    public static readonly Rgb ThresholdLine = new(240, 150, 0);
    public static readonly Rgb InterruptLine = new(150, 40, 170);

    public static byte[] Render(ReplayResult result, string title) => Draw(result, title).ToPng();

    public static PngImage Draw(ReplayResult result, string title)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(title);
        var image = new PngImage(Width, Height, Background);
        const int plotWidth = Width - Left - Right;
        const int plotHeight = Height - Top - Bottom;
        var symbol = result.ChartSymbol;
        image.DrawText(Left, 10, title, Ink, scale: 2);
        image.DrawText(
            Left,
            36,
            $"blue: {symbol ?? "no"} price (left)   red: risk score (right; grey = warming up)   orange: threshold {result.Threshold.ToString("F0", CultureInfo.InvariantCulture)}   purple: interrupt",
            Ink);

        if (result.First is not { } start || result.Last is not { } end || end <= start)
        {
            image.DrawText(Left, Top + (plotHeight / 2), "no data in range", Ink, scale: 2);
            return image;
        }

        var span = (double)(end.UtcTicks - start.UtcTicks);
        int X(DateTimeOffset at) => Left + (int)Math.Round((at.UtcTicks - start.UtcTicks) / span * plotWidth);
        int ScoreY(double score) => Top + plotHeight - (int)Math.Round(Math.Clamp(score, 0, 100) / 100 * plotHeight);

        // Grid and score axis: every 25 points.
        for (var score = 0; score <= 100; score += 25)
        {
            image.DrawLine(Left, ScoreY(score), Left + plotWidth, ScoreY(score), Grid);
            image.DrawText(Left + plotWidth + 6, ScoreY(score) - 3, score.ToString(CultureInfo.InvariantCulture), ScoreLine);
        }

        // Time axis: six labels, with the date when the range is longer than a day.
        var format = end - start > TimeSpan.FromDays(1) ? "MM-dd HH:mm" : "HH:mm";
        for (var i = 0; i <= 5; i++)
        {
            var at = start + TimeSpan.FromTicks((long)(span * i / 5));
            var x = X(at);
            image.DrawLine(x, Top, x, Top + plotHeight, Grid);
            var label = at.ToString(format, CultureInfo.InvariantCulture);
            var labelX = Math.Clamp(x - (label.Length * PngImage.CharacterWidth(1) / 2), 0, Width - (label.Length * PngImage.CharacterWidth(1)));
            image.DrawText(labelX, Top + plotHeight + 8, label, Ink);
        }

        image.DrawText(Left, Height - 14, $"UTC, {start:yyyy-MM-dd HH:mm} to {end:yyyy-MM-dd HH:mm}", Ink);

        if (symbol is not null && result.Prices[symbol] is { Count: > 0 } prices)
        {
            var low = prices.Min(p => p.Price);
            var high = prices.Max(p => p.Price);
            var pad = Math.Max((high - low) * 0.05, high * 1e-6);
            low -= pad;
            high += pad;
            int PriceY(double price) => Top + plotHeight - (int)Math.Round((price - low) / (high - low) * plotHeight);
            for (var i = 0; i <= 4; i++)
            {
                var price = low + ((high - low) * i / 4);
                var label = price.ToString(price >= 1000 ? "F0" : "G5", CultureInfo.InvariantCulture);
                image.DrawText(Math.Max(0, Left - 6 - (label.Length * PngImage.CharacterWidth(1))), PriceY(price) - 3, label, PriceLine);
            }

            Polyline(image, prices.Select(p => (X(p.At), PriceY(p.Price))), _ => PriceLine);
        }

        image.DrawLine(Left, ScoreY(result.Threshold), Left + plotWidth, ScoreY(result.Threshold), ThresholdLine, thickness: 1, dash: 6);
        Polyline(image, result.Evaluated.Select(r => (X(r.At), ScoreY(r.Score), r.WarmingUp)), point => point.WarmingUp ? WarmupLine : ScoreLine);
        foreach (var interrupt in result.Interrupts)
        {
            var x = X(interrupt.At);
            image.DrawLine(x, Top, x, Top + plotHeight, InterruptLine, thickness: 1, dash: 3);
            image.FillRectangle(x - 3, Top - 7, 7, 7, InterruptLine);
        }

        image.DrawLine(Left, Top, Left, Top + plotHeight, Ink);
        image.DrawLine(Left + plotWidth, Top, Left + plotWidth, Top + plotHeight, Ink);
        image.DrawLine(Left, Top + plotHeight, Left + plotWidth, Top + plotHeight, Ink);
        return image;
    }

    private static void Polyline(PngImage image, IEnumerable<(int X, int Y)> points, Func<(int X, int Y), Rgb> color) =>
        Polyline(image, points.Select(p => (p.X, p.Y, false)), p => color((p.X, p.Y)));

    private static void Polyline(PngImage image, IEnumerable<(int X, int Y, bool WarmingUp)> points, Func<(int X, int Y, bool WarmingUp), Rgb> color)
    {
        (int X, int Y, bool WarmingUp)? previous = null;
        foreach (var point in points)
        {
            if (previous is { } from)
            {
                image.DrawLine(from.X, from.Y, point.X, point.Y, color(point), thickness: 2);
            }

            previous = point;
        }
    }
}
