namespace RiskConsole.Core.Interrupts;

/// <summary>
/// Decides when to interrupt. Fires when the score is at or above the threshold, the engine is past its
/// warm-up and the cooldown since the last interrupt (forced or not) has passed. Reports threshold
/// crossings with hysteresis: up at the threshold, down only below threshold − hysteresis, so a score
/// hovering at the line does not flap. Time comes from the injected <see cref="TimeProvider"/>: intervals
/// from its monotonic timestamp, so stepping the system clock neither silences nor floods interrupts;
/// the wall clock only stamps <see cref="LastInterruptAt"/> for display.
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

    public InterruptPolicy(InterruptPolicyOptions options, TimeProvider time)
    {
        var errors = options.Validate().ToList();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(options));
        }

        _options = options;
        _time = time;
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

    /// <summary>Called once per published score. A decision to fire is recorded as an interrupt at once.</summary>
    public InterruptDecision Evaluate(double score, bool warmingUp)
    {
        if (warmingUp || !double.IsFinite(score))
        {
            // Too little history for the score to mean anything: no alert, no interrupt.
            return default;
        }

        lock (_gate)
        {
            var now = _time.GetTimestamp();
            var crossing = ThresholdCrossing.None;
            if (!_above && score >= _options.Threshold)
            {
                _above = true;
                crossing = ThresholdCrossing.Up;
            }
            else if (_above && score < _options.Threshold - _options.HysteresisPoints)
            {
                _above = false;
                crossing = ThresholdCrossing.Down;
            }

            var fire = score >= _options.Threshold && CooldownElapsed(now);
            if (fire)
            {
                RecordInterrupt(now);
            }

            return new InterruptDecision(fire, crossing);
        }
    }

    /// <summary>A forced interrupt skips the threshold, counts as an interrupt, and is rate-limited.</summary>
    public ForcedInterruptDecision TryForce()
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

            _lastForcedTimestamp = now;
            RecordInterrupt(now);
            _forcedCount++;
            return new ForcedInterruptDecision(true, TimeSpan.Zero);
        }
    }

    private bool CooldownElapsed(long now) =>
        _lastInterruptTimestamp is not { } last || _time.GetElapsedTime(last, now) >= TimeSpan.FromSeconds(_options.CooldownSeconds);

    private void RecordInterrupt(long now)
    {
        _lastInterruptTimestamp = now;
        _lastInterruptAt = _time.GetUtcNow();
        _interruptCount++;
    }
}

/// <summary>Whether to fire now, and whether the score just crossed the threshold (warning) or fell back (info).</summary>
public readonly record struct InterruptDecision(bool Fire, ThresholdCrossing Crossing);

/// <summary>Whether a forced interrupt may go ahead; if not, how long until one may.</summary>
public readonly record struct ForcedInterruptDecision(bool Allowed, TimeSpan RetryAfter);

public enum ThresholdCrossing
{
    None = 0,
    Up,
    Down,
}
