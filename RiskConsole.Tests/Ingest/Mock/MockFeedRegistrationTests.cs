using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RiskConsole.Core.Contracts;
using RiskConsole.Core.Signals;
using RiskConsole.Ingest;
using RiskConsole.Ingest.Mock;
using static RiskConsole.Tests.Ingest.IngestTestClock;

namespace RiskConsole.Tests.Ingest.Mock;

public sealed class MockFeedRegistrationTests
{
    [Test]
    public async Task AddMockFeedsRunsAllThreeSourcesInAHostOnTheInjectedClock()
    {
        var time = new FakeTimeProvider(Start);
        using var host = BuildHost(time, new Dictionary<string, string?> { ["Ingest:Mock:Seed"] = "123" });
        var channel = host.Services.GetRequiredService<SignalChannel>();
        var board = host.Services.GetRequiredService<SourceStatusBoard>();

        await host.StartAsync();
        var modes = DataSources.All.ToDictionary(s => s, s => board.Get(s)?.Mode);

        // Reddit posts every 2–3 s, so 5 s of fake time makes every source due at least once.
        time.Advance(TimeSpan.FromSeconds(5));
        var seen = new List<MarketSignal>();
        while (seen.Select(s => s.Source).Distinct().Count() < DataSources.All.Count)
        {
            Assert.That(seen, Has.Count.LessThan(500), "all three sources should have written within 5 s of fake time");
            seen.Add(await channel.Reader.ReadAsync().AsTask().WaitAsync(WaitLimit));
        }

        await host.StopAsync();
        var mood = host.Services.GetRequiredService<MockMarketMood>();

        Assert.Multiple(() =>
        {
            Assert.That(modes.Values, Is.All.EqualTo(SourceModes.Mock));
            Assert.That(mood.Seed, Is.EqualTo(123));
            Assert.That(mood.Origin, Is.EqualTo(Start), "the mood's time line starts on the injected clock");
            Assert.That(seen.Select(s => s.IsMock), Is.All.True);
            Assert.That(seen.Select(s => s.Timestamp), Is.All.InRange(Start, Start.AddSeconds(5)));
            foreach (var source in DataSources.All)
            {
                Assert.That(board.Get(source)!.LastSignalAt, Is.Not.Null, source);
                Assert.That(board.Get(source)!.Mode, Is.EqualTo(SourceModes.Stopped), source);
            }
        });
    }

    [Test]
    public void ABadSettingStopsTheHostWithAMessageNamingTheKey()
    {
        using var host = BuildHost(new FakeTimeProvider(Start), new Dictionary<string, string?> { ["Ingest:Mock:PriceTicksPerSecond"] = "0" });

        var error = Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.That(error!.Message, Does.Contain("Ingest:Mock:PriceTicksPerSecond must be between 0.1 and 1000 (was 0)"));
    }

    [TestCase("mock", "mock data (Ingest:Mode=mock)")]
    [TestCase("auto", "mock data (Ingest:Mode=auto falls back to it)")]
    [TestCase(null, "mock data (Ingest:Mode=auto falls back to it)")]
    public async Task TheBoardSaysWhyTheDataIsMockFromIngestMode(string? mode, string expected)
    {
        // Null leaves the key out: since .NET 10 a key present with a null value replaces the default.
        var settings = mode is null ? [] : new Dictionary<string, string?> { ["Ingest:Mode"] = mode };
        using var host = BuildHost(new FakeTimeProvider(Start), settings);
        var board = host.Services.GetRequiredService<SourceStatusBoard>();

        await host.StartAsync();
        var details = DataSources.All.Select(s => board.Get(s)?.Detail).ToList();
        await host.StopAsync();

        Assert.Multiple(() =>
        {
            Assert.That(host.Services.GetRequiredService<IOptions<IngestOptions>>().Value.Mode, Is.EqualTo(mode ?? IngestOptions.AutoMode));
            Assert.That(details, Is.All.EqualTo(expected));
        });
    }

    [Test]
    public void AddMockFeedsValidatesTheIngestOptionsAndReportsEachProblemOnce()
    {
        // Ingest owns IngestOptions: without any host registration of its own, a bad mode fails the start checks once,
        // naming the key (the mock options' status detail does not report it a second time).
        using var host = BuildHost(new FakeTimeProvider(Start), new Dictionary<string, string?> { ["Ingest:Mode"] = "sometimes" });

        var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Multiple(() =>
        {
            Assert.That(error!.OptionsType, Is.EqualTo(typeof(IngestOptions)));
            Assert.That(error.Failures, Is.EqualTo(new[] { "Ingest:Mode must be one of auto, live, mock (was 'sometimes')." }));
        });
    }

    [Test]
    public void CallingAddMockFeedsTwiceRegistersEachFeedAndEachSettingOnce()
    {
        using var host = BuildHost(
            new FakeTimeProvider(Start),
            new Dictionary<string, string?> { ["Ingest:Mock:Symbols:0"] = "ADAUSDT" },
            (services, configuration) => services.AddMockFeeds(configuration));

        Assert.Multiple(() =>
        {
            Assert.That(host.Services.GetServices<IHostedService>().OfType<MockFeed>().Select(f => f.Source), Is.EqualTo(DataSources.All));
            Assert.That(host.Services.GetRequiredService<IOptions<MockFeedOptions>>().Value.Symbols, Is.EqualTo(new[] { "ADAUSDT" }));
        });
    }

    private static IHost BuildHost(FakeTimeProvider time, Dictionary<string, string?> settings, Action<IServiceCollection, IConfiguration>? before = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);

        // What the server registers; AddMockFeeds deliberately does not.
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSingleton(new SignalChannel());
        builder.Services.AddSingleton(new SourceStatusBoard());
        before?.Invoke(builder.Services, builder.Configuration);
        builder.Services.AddMockFeeds(builder.Configuration);
        return builder.Build();
    }
}
