namespace RiskConsole.Engine.Replay;

/// <summary>
/// The clock of a served replay (<c>replay … --serve</c>): it stands at the recorded start until the feed starts it, then
/// runs <see cref="Speed"/> times faster than <paramref name="real"/> time, so the engine's bars, lateness and the
/// interrupt policy's cooldowns all happen on the recorded timeline while the clients watch it at that speed.
/// </summary>
public sealed class ReplayClock(DateTimeOffset origin, double speed, TimeProvider real) : TimeProvider
{
    private long _startedAt;
    private int _started;

    public double Speed => speed;

    public DateTimeOffset Origin => origin;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override DateTimeOffset GetUtcNow() => new(GetTimestamp(), TimeSpan.Zero);

    public override long GetTimestamp() => Volatile.Read(ref _started) == 0
        ? origin.UtcTicks
        : origin.UtcTicks + (long)(real.GetElapsedTime(Volatile.Read(ref _startedAt)).Ticks * speed);

    /// <summary>From now on the clock runs (once; later calls change nothing).</summary>
    public void Start()
    {
        if (Interlocked.CompareExchange(ref _started, 1, 0) == 0)
        {
            Volatile.Write(ref _startedAt, real.GetTimestamp());
        }
    }

    /// <summary>How long, in real time, until the clock shows <paramref name="at"/> (zero if it already has).</summary>
    public TimeSpan RealTimeUntil(DateTimeOffset at)
    {
        var ahead = at - GetUtcNow();
        return ahead > TimeSpan.Zero ? TimeSpan.FromTicks((long)(ahead.Ticks / speed)) : TimeSpan.Zero;
    }
}
