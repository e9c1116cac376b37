namespace RiskConsole.Engine.Replay;

/// <summary>
/// A replay's clock: it stands where the replay has got to and moves only when told, so the interrupt policy's
/// cooldowns and episodes run on the recorded timeline however fast the replay goes. Its timestamps are its ticks.
/// </summary>
public sealed class VirtualClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    /// <summary>Moves the clock to <paramref name="now"/>; an earlier time leaves it where it is.</summary>
    public void AdvanceTo(DateTimeOffset now)
    {
        long current;
        do
        {
            current = Interlocked.Read(ref _ticks);
            if (now.UtcTicks <= current)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _ticks, now.UtcTicks, current) != current);
    }
}
