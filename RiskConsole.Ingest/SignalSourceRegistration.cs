using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
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

    /// <summary>
    /// Replaces every hosted service that turns out to be a signal source (mock feed or live listener) with one that does
    /// nothing, so another source is the only ingest: a replay served as if live, the load harness's injection.
    /// Checked on the built instance, so a source added later needs no change here. A hosted service registered by a
    /// type that is not a source (the web host's own, for one) is left as registered.
    /// </summary>
    public static IServiceCollection SilenceSignalSources(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        for (var i = 0; i < services.Count; i++)
        {
            var descriptor = services[i];
            if (descriptor.ServiceType != typeof(IHostedService) || descriptor.IsKeyedService
                || (descriptor.ImplementationType is { } type && !type.IsAssignableTo(typeof(SignalSource))))
            {
                continue;
            }

            services[i] = ServiceDescriptor.Singleton<IHostedService>(sp =>
            {
                var hosted = descriptor.ImplementationInstance as IHostedService
                    ?? descriptor.ImplementationFactory?.Invoke(sp) as IHostedService
                    ?? (IHostedService)ActivatorUtilities.CreateInstance(sp, descriptor.ImplementationType!);
                if (hosted is SignalSource source)
                {
                    source.Dispose();
                    return new SilencedSource();
                }

                return hosted;
            });
        }

        return services;
    }

    private sealed class SilencedSource : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
