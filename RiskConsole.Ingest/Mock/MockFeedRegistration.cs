using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RiskConsole.Core.Contracts;
using RiskConsole.Core.Signals;
using RiskConsole.Hosting;

namespace RiskConsole.Ingest.Mock;

public static class MockFeedRegistration
{
    /// <summary>
    /// Registers the mock generators: <see cref="MockFeedOptions"/> bound from "Ingest:Mock" and validated at start, with
    /// its status detail taken from <see cref="IngestOptions"/>; one shared <see cref="MockMarketMood"/> and the three
    /// generators. IngestOptions ("Ingest") is bound and validated here too, so the feeds also run without the server.
    /// It does not register <see cref="SignalChannel"/>, <see cref="SourceStatusBoard"/> or <see cref="TimeProvider"/>:
    /// those are shared with the live listeners and the router, so the server registers them exactly once.
    /// <see cref="IngestMetrics"/> is added if missing (it needs only the host's IMeterFactory), so the feeds run without the server too.
    /// Calling it again adds nothing.
    /// </summary>
    public static IServiceCollection AddMockGenerators(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        // A second call would bind "Ingest:Mock" twice (the binder appends to the lists, so every symbol would be
        // listed twice) and run every feed twice.
        if (services.Any(d => d.ServiceType == typeof(MockMarketMood)))
        {
            return services;
        }

        services.AddValidatedOptions<MockFeedOptions>(configuration, MockFeedOptions.SectionName);
        services.AddSingleton<IPostConfigureOptions<MockFeedOptions>, MockStatusDetailFromIngestMode>();
        services.AddValidatedOptions<IngestOptions>(configuration, IngestOptions.SectionName);
        services.TryAddSingleton<IngestMetrics>();

        // One mood for all three feeds, so a storm in prices is the same storm in markets and posts.
        // Its origin is the moment it is first resolved, i.e. when the host builds the feeds.
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<MockFeedOptions>>().Value;
            var seed = options.Seed ?? Random.Shared.Next();
            return new MockMarketMood(options, seed, provider.GetRequiredService<TimeProvider>().GetUtcNow());
        });
        services.AddSingleton(provider => new MockPriceGenerator(
            provider.GetRequiredService<IOptions<MockFeedOptions>>().Value, provider.GetRequiredService<MockMarketMood>()));
        services.AddSingleton(provider => new MockMarketGenerator(
            provider.GetRequiredService<IOptions<MockFeedOptions>>().Value, provider.GetRequiredService<MockMarketMood>()));
        services.AddSingleton(provider => new MockRedditGenerator(
            provider.GetRequiredService<IOptions<MockFeedOptions>>().Value, provider.GetRequiredService<MockMarketMood>()));
        return services;
    }

    /// <summary>
    /// <see cref="AddMockGenerators"/>, then one hosted <see cref="MockFeed"/> per generator: mock data only, whatever
    /// Ingest:Mode says (the server runs the listeners instead, through AddSignalSources).
    /// </summary>
    public static IServiceCollection AddMockFeeds(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(MockFeedsRegistered)))
        {
            return services;
        }

        services.AddSingleton<MockFeedsRegistered>();
        services.AddMockGenerators(configuration);

        // AddSingleton rather than AddHostedService: AddHostedService keeps one factory per implementation type, and
        // all three are a MockFeed.
        services.AddSingleton<IHostedService>(provider => CreateFeed(provider, DataSources.Crypto, provider.GetRequiredService<MockPriceGenerator>().Advance));
        services.AddSingleton<IHostedService>(provider => CreateFeed(provider, DataSources.Polymarket, provider.GetRequiredService<MockMarketGenerator>().Advance));
        services.AddSingleton<IHostedService>(provider => CreateFeed(provider, DataSources.Reddit, provider.GetRequiredService<MockRedditGenerator>().Advance));
        return services;
    }

    private static MockFeed CreateFeed(IServiceProvider provider, string source, Func<DateTimeOffset, IReadOnlyList<MarketSignal>> dueBy) =>
        new(
            source,
            dueBy,
            provider.GetRequiredService<MockMarketMood>().Seed,
            provider.GetRequiredService<IOptions<MockFeedOptions>>().Value.StatusDetail,
            provider.GetRequiredService<SignalChannel>(),
            provider.GetRequiredService<SourceStatusBoard>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<IngestMetrics>(),
            provider.GetRequiredService<ILogger<MockFeed>>());

    /// <summary>Marks that <see cref="AddMockFeeds"/> ran, so a second call adds nothing.</summary>
    private sealed class MockFeedsRegistered;
}
