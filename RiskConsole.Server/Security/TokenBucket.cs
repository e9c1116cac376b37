namespace RiskConsole.Server.Security;

/// <summary>
/// <c>perSecond</c> tokens a second, at most <c>burst</c> saved, on the clock's timestamps. Not thread-safe: each
/// owner holds its own lock around it (the per-client log budget, a connection's hub-call allowance).
/// </summary>
public sealed class TokenBucket(double perSecond, double burst, long now)
{
    private readonly double _burst = burst;
    private double _tokens = burst;
    private long _refilledAt = now;

    /// <summary>Whether nothing has been spent that has not been earned back.</summary>
    public bool IsFull => _tokens >= _burst;

    /// <summary>Takes one token if there is one (after adding what was earned since the last call).</summary>
    public bool TryTake(long now, TimeProvider time)
    {
        Refill(now, time);
        if (_tokens < 1)
        {
            return false;
        }

        _tokens -= 1;
        return true;
    }

    public void Refill(long now, TimeProvider time)
    {
        var earned = time.GetElapsedTime(_refilledAt, now).TotalSeconds * perSecond;
        if (earned > 0)
        {
            _tokens = Math.Min(_burst, _tokens + earned);
            _refilledAt = now;
        }
    }
}
