using System.Globalization;
using RiskConsole.Core.Risk;

namespace RiskConsole.Engine.Replay;

/// <summary>What a replay prints (the summary) and writes (<c>--out scores.csv</c>: one row per scored bar).</summary>
public static class ReplayReport
{
    /// <summary>Threshold crossings and interrupts listed one by one at most (all are counted).</summary>
    public const int MaxListed = 40;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>
    /// Duration, score percentiles, threshold crossings, interrupts with their times and scores, per-component maxima;
    /// the input's bad rows with line numbers and the signals the engine refused; how a journal's recorded scores compare;
    /// how fast it ran.
    /// </summary>
    public static void WriteSummary(TextWriter output, ReplayFile file, ReplayResult result, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(result);
        void Line(string label, string text) => output.WriteLine($"  {label,-12} {text}");

        output.WriteLine($"replay of {file.Path}");
        Line("input", $"{file.Description}: {file.Rows.ToString("N0", Invariant)} rows, {file.BadRows.ToString("N0", Invariant)} bad");
        foreach (var bad in file.BadRowSamples)
        {
            Line(string.Empty, "bad " + bad);
        }

        if (file.BadRows > file.BadRowSamples.Count)
        {
            Line(string.Empty, $"… and {(file.BadRows - file.BadRowSamples.Count).ToString("N0", Invariant)} more bad rows");
        }

        Line("model", $"bar {result.BarSeconds.ToString(Invariant)} s, threshold {result.Threshold.ToString(Invariant)} (the server's Risk settings{(file.Format == ReplayFormat.KlineCsv ? "; the bar follows the candles" : string.Empty)})");
        if (result.First is not { } first || result.Last is not { } last)
        {
            Line("duration", "no data in the range");
            return;
        }

        Line("duration", $"{Stamp(first)} to {Stamp(last)} UTC ({Span(result.Duration)})");
        var rejected = result.RejectedSignals.Values.Sum();
        Line("signals", $"{result.AcceptedSignals.ToString("N0", Invariant)} accepted, {rejected.ToString("N0", Invariant)} refused by the engine"
            + (rejected > 0 ? " (" + string.Join(", ", result.RejectedSignals.OrderByDescending(r => r.Value).Select(r => $"{r.Key} {r.Value.ToString(Invariant)}")) + ")" : string.Empty));
        Line("bars scored", $"{result.Evaluated.Count.ToString("N0", Invariant)} ({result.WarmupBars.ToString(Invariant)} warming up)");
        Line("score", double.IsNaN(result.ScorePercentile(50))
            ? "none past warm-up"
            : $"p50 {F1(result.ScorePercentile(50))}  p90 {F1(result.ScorePercentile(90))}  p99 {F1(result.ScorePercentile(99))}  max {F1(result.MaxScore)}");
        var ups = result.Crossings.Where(c => c.Kind == ReplayEventKind.CrossedUp).ToList();
        Line("crossings", $"{ups.Count.ToString(Invariant)} above {result.Threshold.ToString(Invariant)}{Listed(ups)}");
        Line("interrupts", $"{result.Interrupts.Count.ToString(Invariant)}{Listed(result.Interrupts)}");
        if (result.RecordedInterrupts.Count > 0)
        {
            Line("recorded", $"{result.RecordedInterrupts.Count.ToString(Invariant)} interrupts in the live run ({result.RecordedInterrupts.Count(i => i.Forced).ToString(Invariant)} forced)");
        }

        Line("components", string.Join(
            ", ",
            new (string Name, Func<RiskReading, double> Value)[]
            {
                ("crypto", r => r.Crypto), ("polymarket", r => r.Polymarket), ("reddit", r => r.Reddit), ("raw", r => r.Raw),
            }.Select(c => result.Maximum(c.Value) is { } max ? $"{c.Name} max {max.Value.ToString("F3", Invariant)} at {Stamp(max.At)}" : $"{c.Name} none")));
        if (result.Reproduction is { } reproduction)
        {
            Line("reproduced", reproduction.Exact
                ? $"all {reproduction.Compared.ToString("N0", Invariant)} recorded scores, exactly"
                : $"{reproduction.Identical.ToString("N0", Invariant)} of {reproduction.Compared.ToString("N0", Invariant)} recorded scores exactly; first differences:");
            foreach (var difference in reproduction.Differences)
            {
                Line(string.Empty, difference);
            }
        }

        var seconds = Math.Max(elapsed.TotalSeconds, 1e-6);
        Line("speed", $"{file.Rows.ToString("N0", Invariant)} rows in {elapsed.TotalSeconds.ToString("F2", Invariant)} s "
            + $"({(file.Rows / seconds).ToString("N0", Invariant)} rows/s, {(result.Duration.TotalSeconds / seconds).ToString("N0", Invariant)}× real time)");
    }

    /// <summary>One row per scored bar: the score and its components, the chart symbol's price, and what the policy did.</summary>
    public static void WriteScoresCsv(TextWriter output, ReplayResult result)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(result);
        var symbol = result.ChartSymbol;
        var prices = symbol is null ? [] : result.Prices[symbol];
        var events = result.Crossings.Concat(result.Interrupts).ToLookup(e => e.At);
        output.WriteLine($"at,score,warming_up,raw,crypto,polymarket,reddit,amplification,riskiest_symbol,{(symbol ?? "price").ToLowerInvariant()}_price,crossing,interrupt");
        var p = 0;
        double? price = null;
        foreach (var reading in result.Evaluated)
        {
            while (p < prices.Count && prices[p].At <= reading.At)
            {
                price = prices[p++].Price;
            }

            var happened = events[reading.At].ToList();
            var crossing = happened.FirstOrDefault(e => e.Kind != ReplayEventKind.Interrupt) is { Kind: var kind } && happened.Any(e => e.Kind != ReplayEventKind.Interrupt)
                ? kind == ReplayEventKind.CrossedUp ? "up" : "down"
                : string.Empty;
            output.WriteLine(string.Join(
                ',',
                reading.At.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", Invariant),
                R(reading.Score),
                reading.WarmingUp ? "true" : "false",
                R(reading.Raw),
                R(reading.Crypto),
                R(reading.Polymarket),
                R(reading.Reddit),
                R(reading.Amplification),
                reading.RiskiestSymbol ?? string.Empty,
                price is { } known ? R(known) : string.Empty,
                crossing,
                happened.Any(e => e.Kind == ReplayEventKind.Interrupt) ? "1" : "0"));
        }
    }

    private static string Listed(IReadOnlyList<ReplayEvent> events) => events.Count == 0
        ? string.Empty
        : ": " + string.Join(", ", events.Take(MaxListed).Select(e => $"{Stamp(e.At)} ({F1(e.Score)})")) + (events.Count > MaxListed ? ", …" : string.Empty);

    private static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", Invariant);

    private static string Span(TimeSpan span) => span.TotalDays >= 1
        ? $"{((int)span.TotalDays).ToString(Invariant)} d {span.Hours.ToString(Invariant)} h {span.Minutes.ToString(Invariant)} min"
        : span.TotalHours >= 1 ? $"{((int)span.TotalHours).ToString(Invariant)} h {span.Minutes.ToString(Invariant)} min" : $"{span.TotalSeconds.ToString("F1", Invariant)} s";

    private static string F1(double value) => value.ToString("F1", Invariant);

    private static string R(double value) => double.IsNaN(value) ? string.Empty : value.ToString("R", Invariant);
}
