using RiskConsole.Core.Contracts;
using RiskConsole.Core.Risk;

namespace RiskConsole.Engine.Replay;

/// <summary>What a replay produced: every reading, the evaluated ones, the policy's crossings and interrupts, the prices, and the summary figures.</summary>
public sealed class ReplayResult(
    DateTimeOffset? first,
    DateTimeOffset? last,
    long acceptedSignals,
    IReadOnlyDictionary<string, long> rejectedSignals,
    IReadOnlyList<RiskReading> readings,
    IReadOnlyList<RiskReading> evaluated,
    IReadOnlyList<ReplayEvent> crossings,
    IReadOnlyList<ReplayEvent> interrupts,
    IReadOnlyList<InterruptNotice> recordedInterrupts,
    IReadOnlyDictionary<string, List<ReplayPrice>> prices,
    ReplayReproduction? reproduction,
    double barSeconds,
    double threshold)
{
    /// <summary>The earliest and latest record time.</summary>
    public DateTimeOffset? First => first;

    public DateTimeOffset? Last => last;

    public TimeSpan Duration => (last ?? default) - (first ?? default);

    public long AcceptedSignals => acceptedSignals;

    /// <summary>Signals the engine refused, by verdict name (late, price_jump, …).</summary>
    public IReadOnlyDictionary<string, long> RejectedSignals => rejectedSignals;

    /// <summary>Every reading in order (evaluations and "a source went stale"): what a live run would have published.</summary>
    public IReadOnlyList<RiskReading> Readings => readings;

    /// <summary>One reading per evaluated bar.</summary>
    public IReadOnlyList<RiskReading> Evaluated => evaluated;

    public IReadOnlyList<ReplayEvent> Crossings => crossings;

    public int CrossingsUp => crossings.Count(c => c.Kind == ReplayEventKind.CrossedUp);

    public IReadOnlyList<ReplayEvent> Interrupts => interrupts;

    /// <summary>The interrupts a recorded journal says the live run sent (forced ones included).</summary>
    public IReadOnlyList<InterruptNotice> RecordedInterrupts => recordedInterrupts;

    /// <summary>Per symbol, its last price in each bar that had one.</summary>
    public IReadOnlyDictionary<string, List<ReplayPrice>> Prices => prices;

    /// <summary>Set when the input carried recorded scores (a journal): how the replay compares with them.</summary>
    public ReplayReproduction? Reproduction => reproduction;

    public double BarSeconds => barSeconds;

    public double Threshold => threshold;

    public DateTimeOffset? FirstInterrupt => interrupts.Count > 0 ? interrupts[0].At : null;

    /// <summary>Evaluated bars still warming up (no interrupt can fire then).</summary>
    public int WarmupBars => evaluated.Count(r => r.WarmingUp);

    /// <summary>The scores of the evaluated bars past warm-up, sorted: what percentiles and the maximum are taken of.</summary>
    public double[] ScoresPastWarmup()
    {
        var scores = evaluated.Where(r => !r.WarmingUp).Select(r => r.Score).ToArray();
        Array.Sort(scores);
        return scores;
    }

    public double MaxScore => evaluated.Where(r => !r.WarmingUp).Select(r => r.Score).DefaultIfEmpty(0).Max();

    /// <summary>Nearest-rank percentile (0–100) of the scores past warm-up; NaN when there are none.</summary>
    public double ScorePercentile(double percentile)
    {
        var scores = ScoresPastWarmup();
        if (scores.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(percentile / 100 * scores.Length);
        return scores[Math.Clamp(rank - 1, 0, scores.Length - 1)];
    }

    /// <summary>The highest value of a component over the evaluated bars, and when; null when it never had data.</summary>
    public (double Value, DateTimeOffset At)? Maximum(Func<RiskReading, double> component)
    {
        ArgumentNullException.ThrowIfNull(component);
        (double Value, DateTimeOffset At)? best = null;
        foreach (var reading in evaluated)
        {
            var value = component(reading);
            if (!double.IsNaN(value) && (best is null || value > best.Value.Value))
            {
                best = (value, reading.At);
            }
        }

        return best;
    }

    /// <summary>The score of the evaluated bar at or just before <paramref name="at"/>; null before the first.</summary>
    public double? ScoreAt(DateTimeOffset at)
    {
        RiskReading? found = null;
        foreach (var reading in evaluated)
        {
            if (reading.At > at)
            {
                break;
            }

            found = reading;
        }

        return found?.Score;
    }

    /// <summary>The symbol a chart shows: BTCUSDT if it is there, otherwise the one with the most bars.</summary>
    public string? ChartSymbol => prices.Count == 0
        ? null
        : prices.ContainsKey("BTCUSDT") ? "BTCUSDT" : prices.OrderByDescending(p => p.Value.Count).ThenBy(p => p.Key, StringComparer.Ordinal).First().Key;
}
