namespace RiskConsole.Core.Interrupts;

/// <summary>
/// Decides when to interrupt. Fires when the score is at or above the threshold, the engine is past its
/// warm-up and the cooldown since the last interrupt (forced or not) has passed. Reports threshold
/// crossings with hysteresis: up at the threshold, down only below threshold − hysteresis, so a score
/// hovering at the line does not flap.
/// <para>
/// Within one episode (from an upward crossing until the score has stayed below threshold − hysteresis for
/// <see cref="InterruptPolicyOptions.EpisodeQuietSeconds"/>) every automatic interrupt multiplies the
/// cooldown the next one needs, up to a cap, so a storm interrupts when there is news rather than every
/// minute. A new high (<see cref="InterruptPolicyOptions.NewHighPoints"/> above the episode's highest
/// interrupt score) is news: it may interrupt once the base cooldown has passed, but it neither resets nor
/// multiplies the backed-off cooldown, so a storm making small new highs cannot bring back an interrupt a
/// minute. Forced interrupts restart the cooldown timer but do not advance the backoff: they are not news
/// about the market.
/// </para>
/// Time comes from the injected <see cref="TimeProvider"/>: intervals from its monotonic timestamp, so
/// stepping the system clock neither silences nor floods interrupts; the wall clock only stamps
/// <see cref="LastInterruptAt"/> for display.
/// Thread-safe: the router evaluates while hub callers force.
/// </summary>
public sealed class InterruptPolicy
{
    private readonly InterruptPolicyOptions _options;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private DateTimeOffset? _lastInterruptAt;
    private long? _lastInterruptTimestamp;
    private long? _lastForcedTimestamp;
    private bool _above;
    private long _interruptCount;
    private long _forcedCount;
    private long _refusedForcedCount;
    private long _undeliveredCount;

    // Backoff state of the current episode. It outlives a Down crossing until the quiet period has passed.
    private double _currentCooldownSeconds;
    private long _episodeInterruptCount;
    private double? _episodeHighestInterruptScore;
    private long? _quietSinceTimestamp;

    public InterruptPolicy(InterruptPolicyOptions options, TimeProvider time)
    {
        var errors = options.Validate().ToList();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(options));
        }

        _options = options;
        _time = time;
        _currentCooldownSeconds = options.CooldownSeconds;
    }

    public InterruptPolicyOptions Options => _options;

    /// <summary>All interrupts, automatic and forced.</summary>
    public long InterruptCount
    {
        get
        {
            lock (_gate)
            {
                return _interruptCount;
            }
        }
    }

    public long ForcedCount
    {
        get
        {
            lock (_gate)
            {
                return _forcedCount;
            }
        }
    }

    public long RefusedForcedCount
    {
        get
        {
            lock (_gate)
            {
                return _refusedForcedCount;
            }
        }
    }

    /// <summary>Wall-clock time of the last interrupt, for display; never used to measure an interval.</summary>
    public DateTimeOffset? LastInterruptAt
    {
        get
        {
            lock (_gate)
            {
                return _lastInterruptAt;
            }
        }
    }

    /// <summary>
    /// The gap since the last interrupt (forced or not) that the next automatic interrupt needs unless it is a
    /// new high: the base cooldown at the start of an episode, multiplied after each automatic interrupt that
    /// was not a new high. A new high needs only the base cooldown and leaves this value as it was.
    /// </summary>
    public TimeSpan CurrentCooldown
    {
        get
        {
            lock (_gate)
            {
                return TimeSpan.FromSeconds(_currentCooldownSeconds);
            }
        }
    }

    /// <summary>Automatic interrupts of the current episode; 0 once the quiet period has ended it.</summary>
    /// <summary>Automatic interrupts that were due but not started because one was already running.</summary>
    public long UndeliveredCount
    {
        get
        {
            lock (_gate)
            {
                return _undeliveredCount;
            }
        }
    }

    public long EpisodeInterruptCount
    {
        get
        {
            lock (_gate)
            {
                return _episodeInterruptCount;
            }
        }
    }

    /// <summary>
    /// Called once per evaluated score. When an interrupt is due, <paramref name="deliver"/> (if given) is asked to
    /// start it, under the policy's lock; only an interrupt it accepted is recorded and starts the cooldown, so a busy
    /// workflow neither loses an interrupt silently nor holds off the next real one. Without it, a due interrupt is
    /// recorded at once.
    /// </summary>
    public InterruptDecision Evaluate(double score, bool warmingUp, Func<bool>? deliver = null)
    {
        if (warmingUp || !double.IsFinite(score))
        {
            // Too little history for the score to mean anything: no alert, no interrupt.
            return default;
        }

        lock (_gate)
        {
            var now = _time.GetTimestamp();
            var backToNormalBelow = _options.Threshold - _options.HysteresisPoints;
            var crossing = ThresholdCrossing.None;
            if (!_above && score >= _options.Threshold)
            {
                _above = true;
                crossing = ThresholdCrossing.Up;
            }
            else if (_above && score < backToNormalBelow)
            {
                _above = false;
                crossing = ThresholdCrossing.Down;
            }

            TrackQuiet(score < backToNormalBelow, now);

            // A new high is news: it may interrupt after the base cooldown, but it does not undo the backoff, so a storm
            // that keeps making small new highs cannot bring back an interrupt a minute.
            var newHigh = score >= _options.Threshold && IsNewHigh(score);
            var due = score >= _options.Threshold && CooldownElapsed(now, newHigh ? _options.CooldownSeconds : _currentCooldownSeconds);
            var fire = due && (deliver is null || deliver());
            if (due && !fire)
            {
                _undeliveredCount++;
            }

            if (fire)
            {
                RecordInterrupt(now);
                _episodeInterruptCount++;
                _episodeHighestInterruptScore = Math.Max(_episodeHighestInterruptScore ?? score, score);
                if (!newHigh)
                {
                    // A running value, not base × factor^n: n grows without bound in a long storm, and a power would
                    // reach infinity (and 0 × ∞ = NaN with a zero cooldown).
                    _currentCooldownSeconds = Math.Min(_currentCooldownSeconds * _options.CooldownBackoffFactor, _options.MaxCooldownSeconds);
                }
            }

            return new InterruptDecision(fire, crossing);
        }
    }

    /// <summary>
    /// A forced interrupt skips the threshold, counts as an interrupt (restarting the cooldown), and is
    /// rate-limited. It leaves the backoff step alone: it says nothing new about the market.
    /// </summary>
    public ForcedInterruptDecision TryForce(Func<bool>? deliver = null)
    {
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            if (_lastForcedTimestamp is { } last)
            {
                var wait = TimeSpan.FromSeconds(_options.ForcedMinimumIntervalSeconds) - _time.GetElapsedTime(last, now);
                if (wait > TimeSpan.Zero)
                {
                    _refusedForcedCount++;
                    return new ForcedInterruptDecision(false, wait);
                }
            }

            if (deliver is not null && !deliver())
            {
                // Nothing started, so nothing is counted and no limit is spent.
                return new ForcedInterruptDecision(false, TimeSpan.Zero, Busy: true);
            }

            _lastForcedTimestamp = now;
            RecordInterrupt(now);
            _forcedCount++;
            return new ForcedInterruptDecision(true, TimeSpan.Zero);
        }
    }

    /// <summary>
    /// Ends the episode once the score has stayed below threshold − hysteresis for the quiet period. Any
    /// score at or above that line restarts the count: a storm that dips for a few minutes is one storm.
    /// </summary>
    private void TrackQuiet(bool belowBackToNormal, long now)
    {
        if (!belowBackToNormal)
        {
            _quietSinceTimestamp = null;
            return;
        }

        _quietSinceTimestamp ??= now;
        if (_time.GetElapsedTime(_quietSinceTimestamp.Value, now) >= TimeSpan.FromSeconds(_options.EpisodeQuietSeconds))
        {
            _currentCooldownSeconds = _options.CooldownSeconds;
            _episodeInterruptCount = 0;
            _episodeHighestInterruptScore = null;
        }
    }

    // Strictly above as well, so with NewHighPoints 0 a plateau (at 100, say) is not news on every evaluation.
    private bool IsNewHigh(double score) =>
        _episodeHighestInterruptScore is { } highest && score > highest && score - highest >= _options.NewHighPoints;

    private bool CooldownElapsed(long now, double cooldownSeconds) =>
        _lastInterruptTimestamp is not { } last || _time.GetElapsedTime(last, now) >= TimeSpan.FromSeconds(cooldownSeconds);

    private void RecordInterrupt(long now)
    {
        _lastInterruptTimestamp = now;
        _lastInterruptAt = _time.GetUtcNow();
        _interruptCount++;
    }
}

/// <summary>Whether to fire now, and whether the score just crossed the threshold (warning) or fell back (info).</summary>
public readonly record struct InterruptDecision(bool Fire, ThresholdCrossing Crossing);

/// <summary>Whether a forced interrupt went ahead; if not, how long until one may, or that one was already running.</summary>
public readonly record struct ForcedInterruptDecision(bool Allowed, TimeSpan RetryAfter, bool Busy = false);

public enum ThresholdCrossing
{
    None = 0,
    Up,
    Down,
}
