using System.Globalization;
using System.Net.Http.Headers;

namespace RiskConsole.Ingest.Reddit;

/// <summary>
/// What Reddit said about the request budget in an answer's headers: <c>X-Ratelimit-Used</c> (requests used in this
/// window), <c>X-Ratelimit-Remaining</c> (left, a float such as "95.0") and <c>X-Ratelimit-Reset</c> (seconds until the
/// window starts over), plus <c>Retry-After</c> on a refusal. Missing or unreadable values are null.
/// </summary>
internal readonly record struct RedditRateLimit(double? Used, double? Remaining, TimeSpan? Reset, TimeSpan? RetryAfter)
{
    /// <summary>
    /// No wait Reddit asks for is taken longer than this: a proxy's absurd Retry-After must not park the source for a
    /// year. Reddit's own window is ten minutes.
    /// </summary>
    public static readonly TimeSpan MaxHonouredWait = TimeSpan.FromHours(1);

    public static RedditRateLimit From(HttpResponseHeaders headers, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return new RedditRateLimit(
            Number(headers, "X-Ratelimit-Used"),
            Number(headers, "X-Ratelimit-Remaining"),
            Number(headers, "X-Ratelimit-Reset") is { } reset ? TimeSpan.FromSeconds(Math.Min(reset, MaxHonouredWait.TotalSeconds)) : null,
            RetryAfterOf(headers.RetryAfter, now));
    }

    /// <summary>
    /// The wait before the next request. Normally the poll interval; when the window's requests run short it is
    /// stretched so that what is left lasts until the reset (slowing down before running out, instead of being refused);
    /// when none is left, until the reset.
    /// </summary>
    public TimeSpan PacedDelay(TimeSpan pollInterval)
    {
        if (Remaining is not { } remaining || Reset is not { } reset)
        {
            return pollInterval;
        }

        // Keep one request in hand for a token refresh, which spends from the same budget.
        var usable = Math.Floor(remaining) - 1;
        if (usable < 1)
        {
            return reset;
        }

        var spread = reset / usable;
        return spread > pollInterval ? spread : pollInterval;
    }

    public bool IsUsedUp => Remaining is { } remaining && Math.Floor(remaining) - 1 < 1 && Reset is not null;

    private static double? Number(HttpResponseHeaders headers, string name)
    {
        if (!headers.TryGetValues(name, out var values))
        {
            return null;
        }

        foreach (var value in values)
        {
            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number) && number >= 0)
            {
                return number;
            }
        }

        return null;
    }

    private static TimeSpan? RetryAfterOf(RetryConditionHeaderValue? retryAfter, DateTimeOffset now)
    {
        if (retryAfter?.Delta is { } delta)
        {
            return Clamp(delta);
        }

        return retryAfter?.Date is { } date ? Clamp(date - now) : null;
    }

    private static TimeSpan Clamp(TimeSpan wait) =>
        wait < TimeSpan.Zero ? TimeSpan.Zero : wait > MaxHonouredWait ? MaxHonouredWait : wait;
}
