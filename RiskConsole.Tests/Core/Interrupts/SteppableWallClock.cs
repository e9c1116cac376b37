namespace RiskConsole.Tests.Core.Interrupts;

/// <summary>
/// A clock whose wall time can be stepped back or forward (as NTP or an operator does) independently of
/// its monotonic timestamp. FakeTimeProvider cannot model that: its SetUtcNow refuses to go backwards and
/// its timestamp follows the wall time.
/// </summary>
public sealed class SteppableWallClock(DateTimeOffset start) : TimeProvider
{
    private long _elapsedTicks;
    private TimeSpan _wallClockStep;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => _elapsedTicks;

    public override DateTimeOffset GetUtcNow() => start + TimeSpan.FromTicks(_elapsedTicks) + _wallClockStep;

    /// <summary>Real time passes: both clocks move.</summary>
    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        _elapsedTicks += delta.Ticks;
    }

    /// <summary>Only the wall clock jumps; no time passes.</summary>
    public void StepWallClock(TimeSpan step) => _wallClockStep += step;
}
