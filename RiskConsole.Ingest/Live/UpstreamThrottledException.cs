namespace RiskConsole.Ingest.Live;

public sealed class UpstreamThrottledException(string message, TimeSpan retryAfter) : Exception(message) { public TimeSpan RetryAfter { get; } = retryAfter; }
