using System.Net.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace RiskConsole.Ingest.Live;

/// <summary>
/// The one shape of HTTP resilience every listener's REST client uses: no HttpClient timeout (each call is bounded by the
/// listener itself, on the injected TimeProvider) and a small, quick retry of what a second try fixes at once. Nothing
/// more: LiveSource's pipeline owns backoff, the circuit breaker and throttling for the source as a whole, so a standard
/// handler's retries, timeouts and breaker would only multiply waits and hide the plain failure message. What is worth
/// a retry differs per upstream (which answers carry an instruction not to retry), so each listener passes its own rule.
/// </summary>
public static class UpstreamHttpRetry
{
    public static IHttpClientBuilder AddQuickRetry(
        this IHttpClientBuilder builder,
        string pipelineName,
        int attempts,
        TimeSpan delay,
        bool honourRetryAfter,
        Func<Outcome<HttpResponseMessage>, bool> isWorthRetrying)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(isWorthRetrying);
        builder
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .AddResilienceHandler(pipelineName, pipeline => pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = attempts,
                Delay = delay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldRetryAfterHeader = honourRetryAfter,
                ShouldHandle = args => ValueTask.FromResult(isWorthRetrying(args.Outcome)),
            }));
        return builder;
    }
}
