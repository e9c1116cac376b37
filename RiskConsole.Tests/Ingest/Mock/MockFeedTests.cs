using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RiskConsole.Core.Contracts;
using RiskConsole.Core.Signals;
using RiskConsole.Ingest;
using RiskConsole.Ingest.Mock;

namespace RiskConsole.Tests.Ingest.Mock;

public sealed class MockFeedTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A generous bound on real time for work that fake time has already made due; never a wait for a condition.</summary>
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);

    [Test]
    public async Task PriceFeedReportsMockAtStartAndWritesTicksOnlyAsFakeTimeAdvances()
    {
        var time = new FakeTimeProvider(Start);
        var options = new MockFeedOptions();
        var mood = new MockMarketMood(options, seed: 7, time.GetUtcNow());
        var channel = new SignalChannel();
        var board = new SourceStatusBoard();
        using var feed = new MockPriceFeed(new MockPriceGenerator(options, mood), mood, channel, board, time, NullLogger<MockPriceFeed>.Instance, Microsoft.Extensions.Options.Options.Create(options));

        await feed.StartAsync(CancellationToken.None);
        var atStart = board.Get(DataSources.Crypto);
        var readBeforeTimeMoved = channel.Reader.TryRead(out _);

        time.Advance(TimeSpan.FromSeconds(1));
        var ticks = new List<MarketSignal>();
        for (var i = 0; i < 3; i++)
        {
            ticks.Add(await channel.Reader.ReadAsync().AsTask().WaitAsync(ReadTimeout));
        }

        await feed.StopAsync(CancellationToken.None);
        var afterStop = board.Get(DataSources.Crypto);

        Assert.Multiple(() =>
        {
            Assert.That(atStart, Is.Not.Null);
            Assert.That(atStart!.Mode, Is.EqualTo(SourceModes.Mock));
            Assert.That(atStart.Healthy, Is.True);
            Assert.That(atStart.Detail, Is.EqualTo("mock data (Ingest:Mode=mock)"));
            Assert.That(readBeforeTimeMoved, Is.False, "nothing is due before fake time moves");
            Assert.That(ticks, Is.All.InstanceOf<PriceTick>());
            Assert.That(ticks.Select(t => t.IsMock), Is.All.True);
            Assert.That(ticks.Select(t => t.Timestamp), Is.All.InRange(Start, Start.AddSeconds(1)));
            Assert.That(afterStop!.LastSignalAt, Is.GreaterThanOrEqualTo(ticks[^1].Timestamp), "every written signal touched the board");
        });
    }

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
            seen.Add(await channel.Reader.ReadAsync().AsTask().WaitAsync(ReadTimeout));
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
            }
        });
    }

    [Test]
    public void ABadSettingStopsTheHostWithAMessageNamingTheKey()
    {
        using var host = BuildHost(new FakeTimeProvider(Start), new Dictionary<string, string?> { ["Ingest:Mock:PriceTicksPerSecond"] = "0" });

        var error = Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => host.StartAsync());

        Assert.That(error!.Message, Does.Contain("Ingest:Mock:PriceTicksPerSecond must be between 0.1 and 1000 (was 0)"));
    }

    private static IHost BuildHost(FakeTimeProvider time, Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);

        // What the server registers; AddMockFeeds deliberately does not.
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSingleton(new SignalChannel());
        builder.Services.AddSingleton(new SourceStatusBoard());
        builder.Services.AddMockFeeds(builder.Configuration);
        return builder.Build();
    }
}
