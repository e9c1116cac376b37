using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using RiskConsole.Engine;
using RiskConsole.Server.Configuration;

namespace RiskConsole.Server.Security;

/// <summary>
/// The door to the testing aids (ForceInterrupt, POST /test-interrupt, FORCE_INTERRUPT on /ws). An attempt with the
/// valid admin key goes straight on; every other attempt (no key, a wrong key) is rate-limited per client address
/// first, so the key cannot be guessed quickly, and then needs Development (unless Server:AllowTestInterrupts=false)
/// or Server:AllowTestInterrupts=true. After that the interrupt policy's own limit on forced interrupts applies.
/// </summary>
public sealed class TestInterruptGate : IDisposable
{
    public const string AdminKeyHeader = "X-Admin-Key";
    public const string AdminKeyQuery = "adminKey";

    private readonly ServerOptions _options;
    private readonly bool _isDevelopment;
    private readonly IRiskConsole _engine;
    private readonly PartitionedRateLimiter<string> _attempts;

    public TestInterruptGate(IOptions<ServerOptions> options, IHostEnvironment environment, IRiskConsole engine)
    {
        _options = options.Value;
        _isDevelopment = environment.IsDevelopment();
        _engine = engine;
        var perMinute = _options.TestInterruptAttemptsPerMinute;
        _attempts = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetTokenBucketLimiter(address, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = perMinute,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1.0 / perMinute),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    public bool AllowedWithoutKey => _options.AllowTestInterrupts ?? _isDevelopment;

    public static string? PresentedKey(HttpContext? http)
    {
        if (http is null)
        {
            return null;
        }

        var header = http.Request.Headers[AdminKeyHeader].ToString();
        return header.Length > 0 ? header : http.Request.Query[AdminKeyQuery].ToString() is { Length: > 0 } query ? query : null;
    }

    /// <summary>
    /// The client's address as the limit keys on it: the peer, or the forwarded client when the peer is a listed proxy
    /// (see <see cref="KnownProxyForwarding"/>). An IPv4 client on a dual-stack socket arrives as ::ffff:a.b.c.d and is
    /// keyed as a.b.c.d, so it has one bucket whichever way it connected.
    /// </summary>
    public static string ClientAddress(HttpContext? http) =>
        http?.Connection.RemoteIpAddress is { } address
            ? (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString()
            : "unknown";

    public TestInterruptResult TryForce(string? presentedKey, string clientAddress)
    {
        // The valid key skips the per-address bucket: on a shared address (an office NAT, a proxy not yet listed in
        // Server:KnownProxies) other people's attempts must not lock the admin out. Wrong keys still draw from the
        // presenter's bucket, so guessing stays slow.
        if (KeyMatches(presentedKey))
        {
            return Force();
        }

        using var lease = _attempts.AttemptAcquire(clientAddress);
        if (!lease.IsAcquired)
        {
            var retry = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1.0 / _options.TestInterruptAttemptsPerMinute);
            return new TestInterruptResult(TestInterruptOutcome.RateLimited, $"Too many test-interrupt attempts; retry in {Math.Ceiling(retry.TotalSeconds)} s.", retry);
        }

        if (!AllowedWithoutKey)
        {
            return new TestInterruptResult(
                TestInterruptOutcome.Forbidden,
                "Test interrupts are disabled here: they are allowed in Development, when Server:AllowTestInterrupts is true, or with the admin key (header X-Admin-Key, or query ?adminKey= where headers cannot be set, as on /ws from a browser).",
                null);
        }

        return Force();
    }

    private TestInterruptResult Force()
    {
        var outcome = _engine.TryForceInterrupt();
        return outcome.Status switch
        {
            ForcedInterruptStatus.Started => new TestInterruptResult(TestInterruptOutcome.Started, "Interrupt started; it arrives as Interrupt and Alert messages.", null),
            ForcedInterruptStatus.Busy => new TestInterruptResult(TestInterruptOutcome.Busy, "An interrupt is already in progress; try again when it has been delivered.", null),
            _ => new TestInterruptResult(TestInterruptOutcome.RateLimited, $"Forced interrupts are limited; retry in {Math.Ceiling(outcome.RetryAfter.TotalSeconds)} s.", outcome.RetryAfter),
        };
    }

    public void Dispose() => _attempts.Dispose();

    private bool KeyMatches(string? presented) => AdminKey.Matches(_options.AdminKey, presented);
}

public enum TestInterruptOutcome
{
    Started,
    Forbidden,
    RateLimited,
    Busy,
}

public sealed record TestInterruptResult(TestInterruptOutcome Outcome, string Message, TimeSpan? RetryAfter);
