using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using RiskConsole.Hosting;
using RiskConsole.Ingest.Live;

namespace RiskConsole.Ingest.Polymarket;

public static class PolymarketFeedRegistration
{
    /// <summary>The name of the Gamma client's resilience pipeline (in telemetry and logs).</summary>
    public const string GammaPipelineName = "polymarket-gamma";

    /// <summary>A Retry-After up to this long is waited inside the call; a longer one ends the call as a throttle.</summary>
    internal static readonly TimeSpan MaxRetryAfterInsideCall = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Registers the Polymarket listener: <see cref="PolymarketOptions"/> bound from "Ingest:Polymarket" and
    /// <see cref="IngestOptions"/> from "Ingest" (both validated at start), the typed <see cref="GammaMarketsClient"/>,
    /// and <see cref="PolymarketFeed"/> as a singleton of its own type, which LiveSource runs. Nothing hosted is
    /// registered, and <see cref="TimeProvider"/> is left to the host, like the other sources. Calling it again adds nothing.
    /// </summary>
    public static IServiceCollection AddPolymarketFeed(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        if (services.Any(d => d.ServiceType == typeof(PolymarketFeed)))
        {
            return services;
        }

        services.AddValidatedOptions<PolymarketOptions>(configuration, PolymarketOptions.SectionName);
        services.AddValidatedOptions<IngestOptions>(configuration, IngestOptions.SectionName);

        // The Gamma client's resilience is deliberately small. The connection as a whole is already retried by
        // LiveSource's pipeline (backoff, circuit breaker), and each call is bounded by Ingest:ConnectTimeoutSeconds, so
        // the standard handler's retries, timeouts and breaker would only multiply waits and hide the plain failure
        // message. One quick retry of a transient failure (a dropped connection, a 5xx) saves a whole reconnect or a
        // missed refresh; it honours Retry-After when that is short. A 429, or any answer asking for a longer pause, is
        // not retried here: it reaches the listener, which gives up the connection with UpstreamThrottledException (at
        // start) or postpones the next refresh (while connected) for as long as asked.
        services.AddHttpClient<GammaMarketsClient>()
            .ConfigureHttpClient(client =>
            {
                client.DefaultRequestHeaders.UserAgent.ParseAdd("RiskConsole/0.1");
                client.DefaultRequestHeaders.Accept.ParseAdd("application/json");
            })
            // Gamma's list of 100 markets is about a megabyte of JSON; compressed it is a tenth of that. The size cap
            // applies after decompression.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.All })
            .AddQuickRetry(GammaPipelineName, attempts: 1, TimeSpan.FromMilliseconds(200), honourRetryAfter: true, IsWorthARetry);

        services.AddSingleton(provider => new PolymarketFeed(
            provider.GetRequiredService<IOptions<PolymarketOptions>>(),
            provider.GetRequiredService<IOptions<IngestOptions>>(),
            provider.GetRequiredService<GammaMarketsClient>,
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<PolymarketFeed>>()));
        return services;
    }

    /// <summary>Transient failures, except throttling: a 429, or any answer whose Retry-After is longer than <see cref="MaxRetryAfterInsideCall"/>.</summary>
    internal static bool IsWorthARetry(Outcome<HttpResponseMessage> outcome)
    {
        if (outcome.Result is { } response)
        {
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                return false;
            }

            var retryAfter = response.Headers.RetryAfter;
            if (retryAfter is not null && (retryAfter.Delta is not { } delta || delta > MaxRetryAfterInsideCall))
            {
                return false;
            }
        }

        return HttpClientResiliencePredicates.IsTransient(outcome);
    }
}
