using System.Net;
using System.Net.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using RiskConsole.Hosting;
using RiskConsole.Ingest.Live;

namespace RiskConsole.Ingest.Binance;

public static class BinanceFeedRegistration
{
    /// <summary>The name of the REST client's resilience pipeline (in metrics and logs).</summary>
    public const string RestResiliencePipeline = "binance-rest";

    /// <summary>
    /// Registers the Binance listener: <see cref="BinanceOptions"/> bound from "Ingest:Binance" and
    /// <see cref="IngestOptions"/> from "Ingest", both validated at start; the typed REST client from IHttpClientFactory;
    /// and <see cref="BinanceFeed"/> as a singleton of its own type, for LiveSource to run. Nothing hosted is added, and
    /// <see cref="TimeProvider"/> is not registered here: the host registers the one clock everything shares.
    /// Calling it again adds nothing.
    /// </summary>
    public static IServiceCollection AddBinanceFeed(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        // A second call would bind "Ingest:Binance" twice, and the binder appends to lists: every symbol twice.
        if (services.Any(d => d.ServiceType == typeof(BinanceFeed)))
        {
            return services;
        }

        services.AddValidatedOptions<BinanceOptions>(configuration, BinanceOptions.SectionName);
        services.AddValidatedOptions<IngestOptions>(configuration, IngestOptions.SectionName);

        // Each poll is bounded by the feed itself (Ingest:ConnectTimeoutSeconds, on the injected TimeProvider), so the
        // client's own 100 s timeout is off. The handler retries only what a second try can fix at once — a 5xx, a 408,
        // a dropped connection — twice, honouring a Retry-After the server sends with it. It leaves 429 and 418 alone:
        // the feed decides whether a 429's wait fits inside the connection and turns a 418 into a long stay-away, and a
        // retry here would spend the very requests Binance asked us not to send (repeated 429s are what earn the 418
        // ban). No circuit breaker: LiveSource's pipeline breaks the circuit for the whole source.
        services.AddHttpClient<BinanceRestClient>()
            .AddQuickRetry(RestResiliencePipeline, attempts: 2, TimeSpan.FromMilliseconds(250), honourRetryAfter: true, IsWorthRetrying);

        services.AddSingleton(provider => new BinanceFeed(
            provider.GetRequiredService<IOptions<BinanceOptions>>(),
            provider.GetRequiredService<IOptions<IngestOptions>>(),
            // A new client per polling session (typed clients are transient), so a session gets a current handler.
            () => provider.GetRequiredService<BinanceRestClient>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<BinanceFeed>>()));
        return services;
    }

    internal static bool IsWorthRetrying(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        // The feed's own timeout or the host stopping: retrying would only fight it.
        { Exception: OperationCanceledException } => false,
        { Exception: HttpRequestException } => true,
        { Result: { } response } => response.StatusCode is HttpStatusCode.RequestTimeout || (int)response.StatusCode >= 500,
        _ => false,
    };
}
