using System.Globalization;
using RiskConsole.Core.Interrupts;
using RiskConsole.Core.Risk;
using RiskConsole.Core.Signals;
using RiskConsole.Engine.Journal;
using RiskConsole.Engine.Replay;

namespace RiskConsole.Tests.Core.History;

/// <summary>
/// Real BTC one-minute candles (TestData/history, from shared/fixtures/history) through the engine and the interrupt
/// policy through the production replay (<see cref="ReplayRun"/>, what the `replay` command runs): each candle's close
/// becomes a price stamped just before the next candle opens. Hourly bars are the same minutes rolled up to hours (high
/// and low of the hour, the last close), replayed with the bar following the candles as `replay` does for hourly klines
/// (<see cref="ReplayRun.ForBars"/>). What is the tests' own: the candles' highs and lows, and the falls judged on them.
/// </summary>
internal static class CandleReplay
{
    public const string Calm = "btcusdt_binanceus_1m_2023-03-04_2023-03-06_calm.csv";
    public const string Crash = "btcusdt_perp_1m_2021-05-19_2021-05-20.csv";
    public const string Stress = "btcusdt_binanceus_1m_2023-03-01_2023-03-21.csv";

    public const int Minute = 60;
    public const int Hour = 3600;

    public static CandleReplayResult Run(string file, RiskModelOptions? model = null, InterruptPolicyOptions? policyOptions = null) =>
        Run(Load(file, Minute), Minute, model, policyOptions);

    /// <summary>
    /// Replays <paramref name="candles"/> of <paramref name="barSeconds"/> each (one price per candle, its close) through
    /// the production replay (<see cref="ReplayRun"/>, what `replay` runs), with the model's bar following the candles
    /// (<see cref="ReplayRun.ForBars"/>) unless <paramref name="model"/> says otherwise.
    /// </summary>
    public static CandleReplayResult Run(IReadOnlyList<Candle> candles, int barSeconds, RiskModelOptions? model = null, InterruptPolicyOptions? policyOptions = null)
    {
        var run = new ReplayRun(model ?? ModelFor(barSeconds), policyOptions ?? new InterruptPolicyOptions());
        foreach (var candle in candles)
        {
            // The candle closes just before the next one opens; its close is the bar's last price.
            run.Feed(new JournalRecord.Signal(new PriceTick("BTCUSDT", candle.ClosePrice, candle.Close)));
        }

        var result = run.Finish();
        Assert.That(result.RejectedSignals, Is.Empty, "every candle's close is accepted");
        return new CandleReplayResult(candles, barSeconds, result);
    }

    /// <summary>The default model with its bar following the candles, as the production replay sets it (<see cref="ReplayRun.ForBars"/>).</summary>
    public static RiskModelOptions ModelFor(int barSeconds) => ReplayRun.ForBars(new RiskModelOptions(), TimeSpan.FromSeconds(barSeconds));

    public static string PathOf(string file) => Path.Combine(TestContext.CurrentContext.TestDirectory, "TestData", "history", file);

    /// <summary>The file through the production replay (<see cref="ReplayFile"/>, <see cref="ReplayRun"/>: what `replay` runs).</summary>
    public static ReplayResult RunProduction(string file)
    {
        var input = ReplayFile.Open(PathOf(file));
        var run = new ReplayRun(ReplayRun.ForBars(new RiskModelOptions(), input.CandleInterval!.Value), new InterruptPolicyOptions());
        foreach (var record in input.Read())
        {
            run.Feed(record);
        }

        Assert.That(input.BadRows, Is.Zero, string.Join("; ", input.BadRowSamples));
        return run.Finish();
    }

    /// <summary>The file's candles at <paramref name="barSeconds"/>: the one-minute rows, or rolled up (high, low, last close).</summary>
    public static IReadOnlyList<Candle> Load(string file, int barSeconds)
    {
        var path = PathOf(file);
        var minutes = File.ReadLines(path).Skip(1).Select(line =>
        {
            var columns = line.Split(',');
            double Number(int i) => double.Parse(columns[i], CultureInfo.InvariantCulture);
            return new Candle(DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(columns[0], CultureInfo.InvariantCulture)), Minute, Number(2), Number(3), Number(4));
        }).ToList();
        if (barSeconds == Minute)
        {
            return minutes;
        }

        return minutes
            .GroupBy(c => c.Open.ToUnixTimeSeconds() / barSeconds)
            .Select(g => new Candle(DateTimeOffset.FromUnixTimeSeconds(g.Key * barSeconds), barSeconds, g.Max(c => c.High), g.Min(c => c.Low), g.Last().ClosePrice))
            .ToList();
    }
}

/// <summary>One candle; <see cref="Close"/> is the moment its close is known (stamped a millisecond before the next opens).</summary>
internal sealed record Candle(DateTimeOffset Open, int Seconds, double High, double Low, double ClosePrice)
{
    public DateTimeOffset Close => Open.AddSeconds(Seconds).AddMilliseconds(-1);

    /// <summary>The end of the candle's bar: the time of the reading that scores it.</summary>
    public DateTimeOffset BarEnd => Open.AddSeconds(Seconds);
}

/// <summary>
/// A fall in the terms: its onset is the first close 5 % below the prior 24 hours' high (candle highs, the
/// onset candle's own included). <see cref="Peak"/> is the candle that made that high, <see cref="Low"/> the lowest low
/// within 24 hours of the onset. A new fall can start once a close is back within 2.5 % of its 24-hour high.
/// </summary>
internal sealed record Fall(Candle Peak, Candle Onset, Candle Low)
{
    public const double OnsetDrawdown = 0.05;

    public static IReadOnlyList<Fall> Find(IReadOnlyList<Candle> candles)
    {
        var falls = new List<Fall>();
        var inside = false;
        for (var i = 0; i < candles.Count; i++)
        {
            var from = candles[i].BarEnd.AddHours(-24);
            var peak = i;
            for (var j = i; j >= 0 && candles[j].Open >= from; j--)
            {
                if (candles[j].High > candles[peak].High)
                {
                    peak = j;
                }
            }

            var drawdown = 1 - (candles[i].ClosePrice / candles[peak].High);
            if (drawdown >= OnsetDrawdown && !inside)
            {
                inside = true;
                var low = i;
                for (var j = i; j < candles.Count && candles[j].Open < candles[i].Open.AddHours(24); j++)
                {
                    if (candles[j].Low < candles[low].Low)
                    {
                        low = j;
                    }
                }

                falls.Add(new Fall(candles[peak], candles[i], candles[low]));
            }

            if (drawdown < OnsetDrawdown / 2)
            {
                inside = false;
            }
        }

        return falls;
    }
}

/// <summary>What <see cref="CandleReplay.Run(IReadOnlyList{Candle}, int, RiskModelOptions?, InterruptPolicyOptions?)"/> gives: the production <see cref="ReplayResult"/> seen by candle.</summary>
internal sealed class CandleReplayResult(IReadOnlyList<Candle> candles, int barSeconds, ReplayResult result)
{
    public IReadOnlyList<Candle> Candles { get; } = candles;

    public int BarSeconds { get; } = barSeconds;

    public ReplayResult Result { get; } = result;

    /// <summary>Every evaluated bar's reading, in time order (a stale source's extra reading is not a new evaluation).</summary>
    public List<RiskReading> Readings { get; } = [.. result.Evaluated];

    public List<(DateTimeOffset At, double Score)> Interrupts { get; } = [.. result.Interrupts.Select(i => (i.At, i.Score))];

    /// <summary>Upward threshold crossings.</summary>
    public int Episodes => Result.CrossingsUp;

    public double MaxScore => Result.MaxScore;

    public DateTimeOffset? First => Result.First;

    public DateTimeOffset? Last => Result.Last;

    public DateTimeOffset? FirstInterrupt => Interrupts.Count > 0 ? Interrupts[0].At : null;

    public double Days => ((Last ?? default) - (First ?? default)).TotalDays;

    /// <summary>Interrupts per UTC calendar day, for every day of the data (0 included).</summary>
    public IReadOnlyDictionary<DateOnly, int> InterruptsPerDay
    {
        get
        {
            var days = Candles.Select(c => DateOnly.FromDateTime(c.Open.UtcDateTime)).Distinct().ToDictionary(d => d, _ => 0);
            foreach (var (at, _) in Interrupts)
            {
                // A reading at 00:00 scores the last bar of the day before.
                var day = DateOnly.FromDateTime(at.AddTicks(-1).UtcDateTime);
                days[day] = days.GetValueOrDefault(day) + 1;
            }

            return days;
        }
    }

    /// <summary>The reading that scored <paramref name="candle"/> (its bar), or null when the bar was not evaluated.</summary>
    public RiskReading? ReadingOf(Candle candle)
    {
        var index = Readings.BinarySearch(new RiskReading { At = candle.BarEnd }, Comparer<RiskReading>.Create((a, b) => a.At.CompareTo(b.At)));
        return index >= 0 ? Readings[index] : null;
    }

    /// <summary>
    /// The first interrupt that warns of <paramref name="fall"/>: at or after its 24-hour high, and no earlier than an hour
    /// before the onset (an interrupt many hours before is about something else).
    /// </summary>
    public (DateTimeOffset At, double Score)? FirstInterruptOf(Fall fall)
    {
        var from = new[] { fall.Peak.BarEnd, fall.Onset.BarEnd.AddHours(-1) }.Max();
        return Interrupts.Where(i => i.At >= from).Select(i => ((DateTimeOffset, double)?)i).FirstOrDefault();
    }

    /// <summary>The first interrupt of the fall minus the onset, in bars (negative: before the onset); null when none.</summary>
    public double? LagInBars(Fall fall) => FirstInterruptOf(fall) is { } first ? (first.At - fall.Onset.BarEnd).TotalSeconds / BarSeconds : null;
}
