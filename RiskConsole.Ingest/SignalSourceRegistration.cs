using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RiskConsole.Ingest.Mock;

namespace RiskConsole.Ingest;

public static class SignalSourceRegistration
{
    /// <summary>
    /// Every source the server runs: per source its live listener as a <see cref="Live.LiveSource"/>, which follows
    /// Ingest:Mode (mock only, live only, or live with mock fallback), plus the mock generators they fall back to.
    /// </summary>
    public static IServiceCollection AddSignalSources(this IServiceCollection services, IConfiguration configuration)
    {
        // Until the listeners land, the sources are the mock feeds.
        return services.AddMockFeeds(configuration);
    }
}
