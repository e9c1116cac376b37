using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using RiskConsole.Hosting;
using RiskConsole.Ingest.Live;

namespace RiskConsole.Ingest.Reddit;

public static class RedditFeedRegistration
{
    /// <summary>Name of the resilience handler on both Reddit HttpClients.</summary>
    public const string ResilienceHandlerName = "reddit-transient";

    /// <summary>
    /// Registers the Reddit listener: <see cref="RedditOptions"/> bound from "Ingest:Reddit" and <see cref="IngestOptions"/>
    /// from "Ingest" (its connect timeout bounds every request), both validated at start; the typed HttpClients for the
    /// listings and the OAuth token; and <see cref="RedditListener"/> as a singleton of its own type (it holds the seen
    /// posts and the cached token across connections). Nothing hosted: <c>LiveSource</c> runs it. <see cref="TimeProvider"/>
    /// and logging are left to the host. Calling it again adds nothing.
    /// </summary>
    public static IServiceCollection AddRedditFeed(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        if (services.Any(d => d.ServiceType == typeof(RedditListener)))
        {
            return services;
        }

        services.AddValidatedOptions<RedditOptions>(configuration, RedditOptions.SectionName);
        services.AddValidatedOptions<IngestOptions>(configuration, IngestOptions.SectionName);
        ConfigureHttp(services.AddHttpClient<RedditListingClient>(RedditListingClient.HttpClientName));
        ConfigureHttp(services.AddHttpClient<RedditTokenClient>(RedditTokenClient.HttpClientName));

        // A typed client resolved per connection: each RunConnectionAsync gets a fresh HttpClient from the factory
        // (whose handlers the factory rotates), never one captured for the process's life by the singleton.
        services.AddSingleton(provider => new RedditListener(
            provider.GetRequiredService<IOptions<RedditOptions>>().Value,
            provider.GetRequiredService<IOptions<IngestOptions>>().Value,
            provider.GetRequiredService<RedditListingClient>,
            provider.GetRequiredService<RedditTokenClient>,
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<RedditListener>>()));
        return services;
    }

    /// <summary>
    /// No HttpClient timeout (the listener's own, on the TimeProvider, bound every call); no redirects followed (Reddit
    /// sends an unknown subreddit to its search page, which must be reported, not parsed); gzip accepted; no cookies.
    /// The resilience handler is deliberately small: ONE quick retry of what a second try fixes (a dropped connection,
    /// 500/502/504, a 503 or 408 without Retry-After). Nothing that carries an instruction from Reddit is retried
    /// here: 429 and Retry-After go to the listener, which waits as told or hands the wait to LiveSource; 401/403 are
    /// configuration errors. No timeout or circuit breaker either: LiveSource's pipeline owns those for the source.
    /// </summary>
    private static void ConfigureHttp(IHttpClientBuilder builder)
    {
        builder
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.All,
                UseCookies = false,
                PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            })
            .AddQuickRetry(ResilienceHandlerName, attempts: 1, TimeSpan.FromMilliseconds(250), honourRetryAfter: false, IsWorthOneRetry);
    }

    internal static bool IsWorthOneRetry(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        // DNS and TLS failures do not heal in 250 ms; retrying them only delays the plain message.
        { Exception: HttpRequestException e } => e.HttpRequestError is not (HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError),
        { Result: { } response } => response.StatusCode is HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout
            || (response.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.RequestTimeout && response.Headers.RetryAfter is null),
        // Cancellation (the listener's timeouts, the host stopping) is never retried.
        _ => false,
    };
}
