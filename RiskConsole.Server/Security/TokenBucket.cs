namespace RiskConsole.Server.Security;

/// <summary>
/// <c>perSecond</c> tokens a second, at most <c>burst</c> saved, on the clock's timestamps. Not thread-safe: each
/// owner holds its own lock around it (the per-client log budget, a connection's hub-call allowance).
/// </summary>
public sealed class TokenBucket(double perSecond, double burst, long now)
{
    // Tokens are earned in fractions added call by call; a whole token may come out a rounding error short of 1.
    private const double Rounding = 1e-9;

    private readonly double _burst = burst;
    private double _tokens = burst;
    private long _refilledAt = now;

    /// <summary>Whether, by <paramref name="now"/>, everything spent has been earned back.</summary>
    public bool IsFull(long now, TimeProvider time)
    {
        Refill(now, time);
        return _tokens >= _burst - Rounding;
    }

    /// <summary>Takes one token if there is one (after adding what was earned since the last call).</summary>
    public bool TryTake(long now, TimeProvider time)
    {
        Refill(now, time);
        if (_tokens < 1 - Rounding)
        {
            return false;
        }

        _tokens = Math.Max(0, _tokens - 1);
        return true;
    }

    /// <summary>How long until a token can be taken (zero when one can now).</summary>
    public TimeSpan UntilNextToken(long now, TimeProvider time)
    {
        Refill(now, time);
        return _tokens >= 1 - Rounding ? TimeSpan.Zero : TimeSpan.FromSeconds((1 - _tokens) / perSecond);
    }

    private void Refill(long now, TimeProvider time)
    {
        var earned = time.GetElapsedTime(_refilledAt, now).TotalSeconds * perSecond;
        if (earned > 0)
        {
            _tokens = Math.Min(_burst, _tokens + earned);
            _refilledAt = now;
        }
    }
}
