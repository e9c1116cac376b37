using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RiskConsole.Core.Contracts;
using RiskConsole.Ingest.Binance;
using RiskConsole.Ingest.Live;
using RiskConsole.Ingest.Mock;
using RiskConsole.Ingest.Polymarket;
using RiskConsole.Ingest.Reddit;

namespace RiskConsole.Ingest;

public static class SignalSourceRegistration
{
    /// <summary>
    /// Every source the server runs: per source its live listener as a <see cref="LiveSource"/>, which follows
    /// Ingest:Mode (mock only, live only, or live with mock fallback), and the mock generators they fall back to.
    /// </summary>
    public static IServiceCollection AddSignalSources(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddMockGenerators(configuration);
        services.AddBinanceFeed(configuration);
        services.AddPolymarketFeed(configuration);
        services.AddRedditFeed(configuration);
        services.AddLiveSource<BinanceFeed>(DataSources.Crypto, static provider => provider.GetRequiredService<MockPriceGenerator>().Advance);
        services.AddLiveSource<PolymarketFeed>(DataSources.Polymarket, static provider => provider.GetRequiredService<MockMarketGenerator>().Advance);
        services.AddLiveSource<RedditListener>(DataSources.Reddit, static provider => provider.GetRequiredService<MockRedditGenerator>().Advance);
        return services;
    }
}
