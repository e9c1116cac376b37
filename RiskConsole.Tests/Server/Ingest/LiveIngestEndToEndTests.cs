using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using RiskConsole.Core.Contracts;
using RiskConsole.Tests.Ingest.Binance;
using RiskConsole.Tests.Ingest.Polymarket;
using RiskConsole.Tests.Ingest.Reddit;
using RiskConsole.Tests.Server.Infrastructure;

namespace RiskConsole.Tests.Server.Ingest;

/// <summary>
/// The whole server in auto mode on the three real listeners, each pointed at its local stand-in upstream on
/// 127.0.0.1: live data reaches a SignalR client as DataUpdate (not mock) and /health says live; an upstream that
/// dies puts its source on mock data within the fallback time with one warning alert, and its return puts the source
/// back on live data with one info alert, and no mock datum of that source follows the first live one.
/// </summary>
[Category(TestCategories.EndToEnd)]
public sealed class LiveIngestEndToEndTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private FakeBinanceServer _binance = null!;
    private FakePolymarketServer _polymarket = null!;
    private FakeRedditServer _reddit = null!;
    private RiskConsoleServer? _server;
    private HubConnection? _hub;

    [SetUp]
    public async Task StartUpstreams()
    {
        _binance = await FakeBinanceServer.StartAsync();
        _polymarket = await FakePolymarketServer.StartAsync();
        _reddit = await FakeRedditServer.StartAsync();
    }

    [TearDown]
    public async Task StopAll()
    {
        if (_hub is not null)
        {
            await _hub.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        await _binance.DisposeAsync();
        await _polymarket.DisposeAsync();
        await _reddit.DisposeAsync();
    }

    [Test]
    public async Task EverySourceRunsOnItsLiveUpstreamAndItsDataReachesAHubClient()
    {
        _binance.StartTrades(TimeSpan.FromMilliseconds(50), "BTCUSDT");
        var recorder = await StartServerAndHubAsync();

        // Sent once the hub client listens: a datum is pushed when it arrives, not kept for clients that join later.
        await (await _polymarket.ConnectionAsync(0)).SendTextAsync(
            PolymarketFrames.Book(PolymarketFixtures.ReachYesToken, "0.60", "0.62", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
        _reddit.AddPost("Bitcoin", "Bitcoin is crashing hard, panic selling everywhere, terrible day");

        // One pass over the updates: a wait for one source skips (and loses) the others' updates that arrive first.
        var live = new Dictionary<string, DataUpdate>(StringComparer.Ordinal);
        await WithStatus(recorder.Data(
            d =>
            {
                if (!d.Mock)
                {
                    live.TryAdd(d.Source, d);
                }

                return live.Count == 3;
            },
            Wait));
        var (price, market, post) = (live[DataSources.Crypto], live[DataSources.Polymarket], live[DataSources.Reddit]);
        var status = await _hub!.InvokeAsync<RiskStatus>(nameof(IRiskHub.GetStatus));
        using var health = JsonDocument.Parse(await _server!.Http.GetStringAsync(new Uri("/health", UriKind.Relative)));

        Assert.Multiple(() =>
        {
            Assert.That(price.Price!.Symbol, Is.EqualTo("BTCUSDT"));
            Assert.That(price.Price.Price, Is.EqualTo(double.Parse(FakeBinanceServer.DefaultPrices["BTCUSDT"], System.Globalization.CultureInfo.InvariantCulture)).Within(5).Percent, "the stand-in's trades walk around its default price");
            Assert.That(market.Probability!.Question, Is.EqualTo(PolymarketFixtures.ReachQuestion));
            Assert.That(market.Probability.Probability, Is.EqualTo(0.61).Within(1e-9), "the mid of the Yes token's best bid and ask");
            Assert.That(post.Sentiment!.SourceId, Is.EqualTo("r/Bitcoin"));
            Assert.That(post.Sentiment.Compound, Is.LessThan(-0.3), "a panicked post scores negative");
            Assert.That(status.Sources.Select(s => (s.Source, s.Mode)), Is.EquivalentTo(new[]
            {
                (DataSources.Crypto, SourceModes.Live), (DataSources.Polymarket, SourceModes.Live), (DataSources.Reddit, SourceModes.Live),
            }));
            Assert.That(status.Sources.All(s => s.Messages > 0 && s.Since is not null), Is.True);
            Assert.That(health.RootElement.GetProperty("checks").GetProperty("sources").GetProperty("description").GetString(), Is.EqualTo("all sources live"));
        });
    }

    [Test]
    public async Task AnUpstreamThatDiesFallsBackToMockWithOneWarningAndItsReturnIsLiveAgainWithOneInfo()
    {
        _binance.StartTrades(TimeSpan.FromMilliseconds(50), "BTCUSDT");
        var recorder = await StartServerAndHubAsync();
        await recorder.Data(d => d.Source == DataSources.Crypto && !d.Mock, Wait);

        await _binance.StopAsync();
        var toMock = await recorder.Alert(a => a.Message.StartsWith("crypto ", StringComparison.Ordinal), Wait);
        var mockPrice = await recorder.Data(d => d.Source == DataSources.Crypto && d.Mock, Wait);
        var onMock = (await _hub!.InvokeAsync<RiskStatus>(nameof(IRiskHub.GetStatus))).Sources.Single(s => s.Source == DataSources.Crypto);

        await _binance.RestartAsync();
        _binance.StartTrades(TimeSpan.FromMilliseconds(50), "BTCUSDT");
        var backLive = await recorder.Alert(a => a.Message.StartsWith("crypto ", StringComparison.Ordinal), Wait);
        await recorder.Data(d => d.Source == DataSources.Crypto && !d.Mock, Wait);

        // The mock feed stopped before the first live signal was written.
        var after = new List<DataUpdate>();
        await recorder.Score(s => s.Seq > 0, Wait);
        await recorder.Score(s => s.Seq > 0, Wait);
        while (recorder.TryTakeData(out var update))
        {
            after.Add(update);
        }

        Assert.Multiple(() =>
        {
            Assert.That(toMock.AlertType, Is.EqualTo(AlertTypes.Warning));
            Assert.That(toMock.Message, Does.StartWith("crypto switched to mock data: "));
            Assert.That(mockPrice.Price!.Price, Is.GreaterThan(0));
            Assert.That(onMock.Mode, Is.EqualTo(SourceModes.Mock));
            Assert.That(onMock.Errors, Is.GreaterThanOrEqualTo(1));
            Assert.That(onMock.LastError, Is.Not.Null.And.Not.Empty);
            Assert.That(backLive.AlertType, Is.EqualTo(AlertTypes.Info));
            Assert.That(backLive.Message, Does.StartWith("crypto is live again"));
            // Delivery coalesces per key, so a mock ETH datum written just before the switch may reach the client after
            // the first live BTC one; what must hold is that every mock datum was made before the switch.
            Assert.That(after.Where(d => d.Source == DataSources.Crypto && d.Mock).Select(d => d.At), Is.All.LessThanOrEqualTo(backLive.At));
        });
    }

    /// <summary>A wait that, when it times out, says what each source was doing and what the engine refused.</summary>
    private async Task<T> WithStatus<T>(Task<T> wait)
    {
        try
        {
            return await wait;
        }
        catch (TimeoutException timeout)
        {
            var status = await _hub!.InvokeAsync<RiskStatus>(nameof(IRiskHub.GetStatus));
            var sources = string.Join("; ", status.Sources.Select(s => $"{s.Source} {s.Mode} ({s.Detail}) messages {s.Messages} rejected {s.Rejected} last error {s.LastError}"));
            var refused = string.Join(", ", status.Statistics.RejectedSignals.Select(r => $"{r.Key} {r.Value}"));
            throw new TimeoutException($"{timeout.Message} Sources: {sources}. Refused by the engine: {refused}", timeout);
        }
    }

    private async Task<HubRecorder> StartServerAndHubAsync()
    {
        _server = RiskConsoleServer.Start(settings: new Dictionary<string, string?>
        {
            ["Ingest:Mode"] = "auto",
            ["Ingest:FallbackAfterSeconds"] = "1",
            ["Ingest:ConnectTimeoutSeconds"] = "2",
            ["Ingest:ReconnectDelaySeconds"] = "0.05",
            ["Ingest:ReconnectMaxDelaySeconds"] = "0.3",
            ["Ingest:Binance:StreamUrl"] = _binance.StreamUrl,
            ["Ingest:Binance:RestUrl"] = _binance.RestUrl,
            ["Ingest:Binance:Symbols:0"] = "BTCUSDT",
            ["Ingest:Polymarket:GammaUrl"] = _polymarket.GammaUrl,
            ["Ingest:Polymarket:ClobWebSocketUrl"] = _polymarket.ClobWebSocketUrl,
            ["Ingest:Reddit:BaseUrl"] = _reddit.BaseUrl,
            ["Ingest:Reddit:OAuthUrl"] = _reddit.BaseUrl,
            ["Ingest:Reddit:PollIntervalSeconds"] = "0.5",
        });
        _hub = _server.CreateHub();
        var recorder = new HubRecorder(_hub);
        await _hub.StartAsync();
        return recorder;
    }
}
