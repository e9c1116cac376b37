using RiskConsole.Ai.Roasts;
using RiskConsole.Core.Contracts;
using RiskConsole.Core.Interrupts;
using RiskConsole.Core.Risk;
using RiskConsole.Core.Signals;

namespace RiskConsole.Engine.Scoring;

/// <summary>
/// The engine, the interrupt policy and what the publisher has not sent yet, behind one lock: the router's
/// reader feeds signals in, the publish tick takes coalesced output out, and hub callers read statistics.
/// Ingest is O(1) and allocation-free for known keys; all allocation happens on the publish tick.
/// </summary>
public sealed class RiskMonitor
{
    private const int RecentPostCount = 5;

    private readonly RiskEngine _engine;
    private readonly InterruptPolicy _policy;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Source, string Key), MarketSignal> _unsent = [];
    private readonly Dictionary<string, double> _prices = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _markets = new(StringComparer.Ordinal);
    private readonly Queue<(string Text, double Sentiment)> _recentPosts = new();
    private RiskScoreUpdate _latest;
    private long _seq;
    private long _evaluationsSeen;
    private long _revisionSeen;

    public RiskMonitor(RiskEngine engine, InterruptPolicy policy, TimeProvider time)
    {
        _engine = engine;
        _policy = policy;
        _time = time;
        _latest = engine.Current.ToUpdate(0) with { At = time.GetUtcNow() };
    }

    /// <summary>Automatic interrupts that were due while one was already running (not counted as interrupts).</summary>
    public long UndeliveredInterrupts => _policy.UndeliveredCount;

    /// <summary>Forced interrupts started so far (for status and tests).</summary>
    public long ForcedInterruptCount => _policy.ForcedCount;

    /// <summary>The score at or above which interrupts fire, for the alert texts.</summary>
    public double Threshold => _policy.Options.Threshold;

    /// <summary>The last published score (Seq 0 before the first evaluation); what a new connection gets at once.</summary>
    public RiskScoreUpdate Latest
    {
        get
        {
            lock (_gate)
            {
                return _latest;
            }
        }
    }

    /// <summary>
    /// Every accepted signal, raised under the monitor's lock and so in exactly the order the engine took them: what the
    /// journal records, and what a replay feeds into a new engine to reproduce every score. Handlers must not block.
    /// </summary>
    public event Action<MarketSignal>? SignalAccepted;

    public SignalVerdict Ingest(MarketSignal signal)
    {
        lock (_gate)
        {
            // Advance first, so "too far ahead" is judged against the real now, not the last publish tick, and a
            // signal can never be the first thing that sets the engine clock.
            _engine.AdvanceTo(_time.GetUtcNow());
            var verdict = _engine.Submit(signal);
            if (verdict != SignalVerdict.Accepted)
            {
                return verdict;
            }

            _unsent[(signal.Source, signal.Key)] = signal;
            SignalAccepted?.Invoke(signal);
            switch (signal)
            {
                case PriceTick tick:
                    _prices[tick.Symbol] = tick.Price;
                    break;
                case MarketProbability market:
                    _markets[market.Question] = market.Probability;
                    break;
                case SentimentSample post:
                    if (_recentPosts.Count == RecentPostCount)
                    {
                        _recentPosts.Dequeue();
                    }

                    _recentPosts.Enqueue((post.Text, post.Compound));
                    break;
            }

            return verdict;
        }
    }

    /// <summary>
    /// Closes the bars the watermark has passed, and returns a new score when the reading changed (an evaluation,
    /// or components going stale) plus the policy's decision for a new evaluation (each is judged once; a reading
    /// that only says a source went stale is not judged again).
    /// </summary>
    public (RiskScoreUpdate? Score, InterruptDecision Decision) Evaluate(Func<bool>? deliverInterrupt = null)
    {
        lock (_gate)
        {
            _engine.AdvanceTo(_time.GetUtcNow());
            var reading = _engine.Current;
            if (reading.Revision == _revisionSeen)
            {
                return (null, default);
            }

            _revisionSeen = reading.Revision;
            var decision = default(InterruptDecision);
            if (reading.Evaluations != _evaluationsSeen)
            {
                _evaluationsSeen = reading.Evaluations;
                decision = _policy.Evaluate(reading.Score, reading.WarmingUp, deliverInterrupt);
            }

            var components = reading.ToComponents();
            if (_seq > 0 && reading.Score.Equals(_latest.Score) && components.Equals(_latest.Components))
            {
                return (null, decision);
            }

            _latest = new RiskScoreUpdate(reading.Score, components, ++_seq, reading.At);
            return (_latest, decision);
        }
    }

    /// <summary>
    /// When the open bar closes on this monitor's clock (its end plus the lateness allowance), so a score can be
    /// evaluated then rather than at the next publish tick; null before the engine has any time.
    /// </summary>
    public DateTimeOffset? NextBarCloseAt
    {
        get
        {
            lock (_gate)
            {
                return _engine.ClosedThrough is { } openBarStart
                    ? openBarStart + TimeSpan.FromSeconds(_engine.Options.BarSeconds + _engine.Options.LatenessSeconds)
                    : null;
            }
        }
    }

    /// <summary>The newest datum per (source, key) since the last call: coalesced, so ingest rate never sets the outbound rate.</summary>
    public List<DataUpdate> TakeUnsentData()
    {
        lock (_gate)
        {
            var updates = new List<DataUpdate>(_unsent.Count);
            foreach (var signal in _unsent.Values)
            {
                updates.Add(DataUpdate.From(signal));
            }

            _unsent.Clear();
            return updates;
        }
    }

    /// <summary>A forced interrupt: rate-limited by the policy, and counted only if <paramref name="deliver"/> started it.</summary>
    public ForcedInterruptDecision TryForce(Func<bool> deliver) => _policy.TryForce(deliver);

    public RiskStatistics Statistics()
    {
        lock (_gate)
        {
            return _engine.GetStatistics(_policy.InterruptCount, _policy.ForcedCount);
        }
    }

    public RoastContext RoastContext(bool forced)
    {
        lock (_gate)
        {
            return new RoastContext(
                _latest.Score,
                _latest.Components,
                new Dictionary<string, double>(_prices, StringComparer.Ordinal),
                new Dictionary<string, double>(_markets, StringComparer.Ordinal),
                [.. _recentPosts],
                forced);
        }
    }
}
