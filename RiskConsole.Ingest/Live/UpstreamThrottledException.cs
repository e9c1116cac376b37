namespace RiskConsole.Ingest.Live;

/// <summary>The upstream asked us to stay away (HTTP 429 / 418 with Retry-After): the next attempt waits at least <see cref="RetryAfter"/>.</summary>
public sealed class UpstreamThrottledException(string message, TimeSpan retryAfter) : Exception(message)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
