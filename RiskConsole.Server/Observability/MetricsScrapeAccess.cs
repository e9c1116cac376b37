using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using RiskConsole.Server.Configuration;
using RiskConsole.Server.Security;

namespace RiskConsole.Server.Observability;

/// <summary>
/// Who may read /metrics: a caller on this machine (loopback, as seen after the forwarded headers are applied), or
/// anyone presenting the admin key (Server:AdminKey) in the X-Admin-Key header. The series name every route, source
/// and error rate, which is reconnaissance for anyone else. Wrong keys are limited per client address, so /metrics
/// is no faster a place to guess the key than the testing aids are.
/// </summary>
public sealed class MetricsScrapeAccess : IDisposable
{
    /// <summary>Wrong keys one address may present per minute before it is refused without the key being compared.</summary>
    public const int WrongKeysPerMinute = 10;

    private readonly ServerOptions _options;
    private readonly PartitionedRateLimiter<string> _wrongKeys;

    public MetricsScrapeAccess(IOptions<ServerOptions> options)
    {
        _options = options.Value;
        _wrongKeys = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetTokenBucketLimiter(address, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = WrongKeysPerMinute,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1.0 / WrongKeysPerMinute),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    public MetricsScrapeDecision Decide(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var key = http.Request.Headers[TestInterruptGate.AdminKeyHeader].ToString();
        return Decide(http.Connection.RemoteIpAddress, key.Length > 0 ? key : null);
    }

    public MetricsScrapeDecision Decide(IPAddress? caller, string? presentedKey)
    {
        if (caller is not null && IPAddress.IsLoopback(caller.IsIPv4MappedToIPv6 ? caller.MapToIPv4() : caller))
        {
            return MetricsScrapeDecision.Allowed;
        }

        if (presentedKey is null)
        {
            return MetricsScrapeDecision.Forbidden;
        }

        var address = caller?.ToString() ?? "unknown";

        // Checked before the key is compared: once an address has used up its wrong keys, even the right one is refused
        // until the bucket refills, so a guesser learns nothing from the answers in between.
        using (var budget = _wrongKeys.AttemptAcquire(address, permitCount: 0))
        {
            if (!budget.IsAcquired)
            {
                return MetricsScrapeDecision.TooManyAttempts;
            }
        }

        if (AdminKey.Matches(_options.AdminKey, presentedKey))
        {
            return MetricsScrapeDecision.Allowed;
        }

        using var wrong = _wrongKeys.AttemptAcquire(address);
        return MetricsScrapeDecision.Forbidden;
    }

    public void Dispose() => _wrongKeys.Dispose();
}

public enum MetricsScrapeDecision
{
    Allowed,
    Forbidden,
    TooManyAttempts,
}
