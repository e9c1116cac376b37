using RiskConsole.Core.Contracts;
using RiskConsole.Core.Interrupts;
using RiskConsole.Core.Risk;
using RiskConsole.Core.Signals;
using RiskConsole.Engine.Journal;

namespace RiskConsole.Engine.Replay;

/// <summary>
/// Recorded or historical data through the same engine, normalizer and interrupt policy the server runs, on a virtual
/// clock: each signal is submitted in the recorded order with the engine advanced to its timestamp (as the live router
/// advances it to its clock), every new reading is kept, and the policy judges each evaluated bar at the bar's end on
/// a <see cref="VirtualClock"/>, so cooldowns and episodes follow the recorded timeline however fast the replay runs.
/// Recorded scores (a journal's) are compared with the replayed ones. Feed records in order, then <see cref="Finish"/>.
/// </summary>
public sealed class ReplayRun
{
    private readonly RiskEngine _engine;
    private readonly InterruptPolicy _policy;
    private readonly VirtualClock _clock = new(DateTimeOffset.UnixEpoch);
    private readonly List<RiskReading> _readings = [];
    private readonly List<RiskReading> _evaluated = [];
    private readonly List<ReplayEvent> _crossings = [];
    private readonly List<ReplayEvent> _interrupts = [];
    private readonly List<RiskScoreUpdate> _recordedScores = [];
    private readonly List<InterruptNotice> _recordedInterrupts = [];
    private readonly Dictionary<string, List<ReplayPrice>> _prices = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _rejected = new(StringComparer.Ordinal);
    private readonly long _barTicks;
    private DateTimeOffset? _first;
    private DateTimeOffset? _last;
    private long _accepted;
    private long _evaluations;
    private bool _finished;

    public ReplayRun(RiskModelOptions model, InterruptPolicyOptions policy)
    {
        ArgumentNullException.ThrowIfNull(model);
        _engine = new RiskEngine(model);
        _policy = new InterruptPolicy(policy, _clock);
        _barTicks = Math.Max(1, (long)Math.Round(model.BarSeconds * TimeSpan.TicksPerSecond));
        _engine.ReadingChanged += OnReading;
    }

    /// <summary>An interrupt or a threshold crossing, as it happens on the replayed timeline (for a paced replay to print).</summary>
    public event Action<ReplayEvent>? Happened;

    public RiskModelOptions Model => _engine.Options;

    /// <summary>
    /// The configured model with its bar following the data: <paramref name="bar"/> long, a crypto return a whole number
    /// of bars (the configured length rounded, at least one bar), and data at least a bar old still fresh. Everything else
    /// stays as configured: a replay judges the model the server runs.
    /// </summary>
    public static RiskModelOptions ForBars(RiskModelOptions configured, TimeSpan bar)
    {
        ArgumentNullException.ThrowIfNull(configured);
        var model = new RiskModelOptions();
        foreach (var property in typeof(RiskModelOptions).GetProperties().Where(p => p is { CanRead: true, CanWrite: true }))
        {
            property.SetValue(model, property.GetValue(configured));
        }

        var seconds = bar.TotalSeconds;
        model.BarSeconds = seconds;
        model.CryptoReturnSeconds = Math.Max(1, Math.Round(configured.CryptoReturnSeconds / seconds)) * seconds;
        model.CryptoMaxAgeSeconds = Math.Max(configured.CryptoMaxAgeSeconds, seconds);
        model.PolymarketMaxAgeSeconds = Math.Max(configured.PolymarketMaxAgeSeconds, seconds);
        model.RedditMaxAgeSeconds = Math.Max(configured.RedditMaxAgeSeconds, seconds);
        return model;
    }

    /// <summary>Takes the next record: a signal is scored; a recorded score or interrupt is kept to compare with.</summary>
    public void Feed(JournalRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (_finished)
        {
            throw new InvalidOperationException("The replay has finished.");
        }

        _first = _first is { } first && first <= record.At ? first : record.At;
        _last = _last is { } last && last >= record.At ? last : record.At;
        switch (record)
        {
            case JournalRecord.Signal { Value: var signal }:
                _engine.AdvanceTo(signal.Timestamp);
                var verdict = _engine.Submit(signal);
                if (verdict == SignalVerdict.Accepted)
                {
                    _accepted++;
                    if (signal is PriceTick tick)
                    {
                        KeepPrice(tick);
                    }
                }
                else
                {
                    _rejected[verdict.Name()] = _rejected.GetValueOrDefault(verdict.Name()) + 1;
                }

                break;
            case JournalRecord.Score { Value: var score }:
                _recordedScores.Add(score);
                break;
            case JournalRecord.Interrupt { Value: var interrupt }:
                _recordedInterrupts.Add(interrupt);
                break;
        }
    }

    /// <summary>Closes the last bar (the engine advanced one bar and the lateness past the last record) and sums up.</summary>
    public ReplayResult Finish()
    {
        if (!_finished && _last is { } last)
        {
            _engine.AdvanceTo(last + TimeSpan.FromTicks(_barTicks) + TimeSpan.FromSeconds(_engine.Options.LatenessSeconds));
        }

        _finished = true;
        return new ReplayResult(
            _first,
            _last,
            _accepted,
            _rejected,
            _readings,
            _evaluated,
            _crossings,
            _interrupts,
            _recordedInterrupts,
            _prices,
            Compare(),
            _engine.Options.BarSeconds,
            _policy.Options.Threshold);
    }

    private void OnReading(RiskReading reading)
    {
        _readings.Add(reading);
        if (reading.Evaluations == _evaluations)
        {
            // A source went stale: a new reading for the record, but nothing new to judge.
            return;
        }

        _evaluations = reading.Evaluations;
        _evaluated.Add(reading);
        _clock.AdvanceTo(reading.At);
        var decision = _policy.Evaluate(reading.Score, reading.WarmingUp);
        if (decision.Crossing != ThresholdCrossing.None)
        {
            var crossing = new ReplayEvent(reading.At, decision.Crossing == ThresholdCrossing.Up ? ReplayEventKind.CrossedUp : ReplayEventKind.CrossedDown, reading.Score);
            _crossings.Add(crossing);
            Happened?.Invoke(crossing);
        }

        if (decision.Fire)
        {
            var interrupt = new ReplayEvent(reading.At, ReplayEventKind.Interrupt, reading.Score);
            _interrupts.Add(interrupt);
            Happened?.Invoke(interrupt);
        }
    }

    private void KeepPrice(PriceTick tick)
    {
        if (!_prices.TryGetValue(tick.Symbol, out var series))
        {
            series = [];
            _prices.Add(tick.Symbol, series);
        }

        // One price per bar is all a chart can show: the bar's last.
        var bar = tick.Timestamp.UtcTicks / _barTicks;
        if (series.Count > 0 && series[^1].At.UtcTicks / _barTicks == bar)
        {
            series[^1] = new ReplayPrice(tick.Timestamp, tick.Price);
        }
        else
        {
            series.Add(new ReplayPrice(tick.Timestamp, tick.Price));
        }
    }

    /// <summary>Each recorded score against the replayed reading of the same bar end: the same score and components, or the difference.</summary>
    private ReplayReproduction? Compare()
    {
        if (_recordedScores.Count == 0)
        {
            return null;
        }

        var identical = 0;
        var differences = new List<string>();
        foreach (var recorded in _recordedScores)
        {
            var index = _readings.BinarySearch(new RiskReading { At = recorded.At }, ReadingByTime.Instance);
            if (index < 0)
            {
                Differ($"{recorded.At:yyyy-MM-dd HH:mm:ss.fff}: recorded {recorded.Score:F2} (seq {recorded.Seq}), no replayed score at that time");
                continue;
            }

            var replayed = _readings[index];
            if (replayed.Score.Equals(recorded.Score) && replayed.ToComponents().Equals(recorded.Components))
            {
                identical++;
            }
            else
            {
                Differ($"{recorded.At:yyyy-MM-dd HH:mm:ss.fff}: recorded {recorded.Score:R} (seq {recorded.Seq}), replayed {replayed.Score:R}");
            }
        }

        return new ReplayReproduction(_recordedScores.Count, identical, differences);

        void Differ(string text)
        {
            if (differences.Count < ReplayReproduction.MaxDifferences)
            {
                differences.Add(text);
            }
        }
    }

    private sealed class ReadingByTime : IComparer<RiskReading>
    {
        public static readonly ReadingByTime Instance = new();

        public int Compare(RiskReading x, RiskReading y) => x.At.UtcTicks.CompareTo(y.At.UtcTicks);
    }
}

public enum ReplayEventKind
{
    CrossedUp,
    CrossedDown,
    Interrupt,
}

/// <summary>Something the policy decided on the replayed timeline: at the end of the bar scored <see cref="Score"/>.</summary>
public readonly record struct ReplayEvent(DateTimeOffset At, ReplayEventKind Kind, double Score);

/// <summary>A symbol's last price in one bar.</summary>
public readonly record struct ReplayPrice(DateTimeOffset At, double Price);

/// <summary>How the replay compares with the scores a live run recorded: how many, how many identical, the first differences.</summary>
public sealed record ReplayReproduction(int Compared, int Identical, IReadOnlyList<string> Differences)
{
    public const int MaxDifferences = 5;

    public bool Exact => Compared == Identical;
}
