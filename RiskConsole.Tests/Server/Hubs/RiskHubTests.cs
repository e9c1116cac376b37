using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using RiskConsole.Core.Contracts;
using RiskConsole.Core.Signals;
using RiskConsole.Server.Hubs;
using RiskConsole.Tests.Server.Infrastructure;

namespace RiskConsole.Tests.Server.Hubs;

/// <summary>The hub end to end: real Kestrel, real mock feeds, real SignalR .NET clients over WebSockets.</summary>
[Category(TestCategories.EndToEnd)]
public sealed class RiskHubTests
{
    private RiskConsoleServer _server = null!;
    private readonly List<HubConnection> _connections = [];

    [OneTimeSetUp]
    public void StartServer() => _server = RiskConsoleServer.Start();

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [TearDown]
    public async Task CloseConnections()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }

        _connections.Clear();
    }

    [Test]
    public async Task ANewConnectionGetsTheLatestScoreAtOnce()
    {
        var (_, recorder) = await ConnectAsync();
        var first = await recorder.Score(timeout: TimeSpan.FromSeconds(5));
        Assert.Multiple(() =>
        {
            Assert.That(first.Score, Is.InRange(0.0, 100.0));
            Assert.That(first.Components, Is.Not.Null);
            Assert.That(first.Seq, Is.GreaterThanOrEqualTo(0));
        });
    }

    [Test]
    public async Task MockFedScoresArriveInSequenceAndMove()
    {
        var (_, recorder) = await ConnectAsync();
        await recorder.Score();
        var scores = new List<RiskScoreUpdate>();
        for (var i = 0; i < 12; i++)
        {
            scores.Add(await recorder.Score());
        }

        Assert.Multiple(() =>
        {
            for (var i = 1; i < scores.Count; i++)
            {
                Assert.That(scores[i].Seq, Is.EqualTo(scores[i - 1].Seq + 1), "Seq rises by one per published score");
                Assert.That(scores[i].At, Is.GreaterThanOrEqualTo(scores[i - 1].At));
            }

            Assert.That(scores.Select(s => (s.Score, s.Components.Raw)).Distinct().Count(), Is.GreaterThan(1), "the score moves");
            Assert.That(scores.All(s => s.Score is >= 0 and <= 100), Is.True);
        });
    }

    [Test]
    public async Task DataUpdatesArriveForEverySourceFlaggedAsMock()
    {
        var (_, recorder) = await ConnectAsync();
        var crypto = await recorder.Data(d => d.Source == DataSources.Crypto);
        var market = await recorder.Data(d => d.Source == DataSources.Polymarket);
        var reddit = await recorder.Data(d => d.Source == DataSources.Reddit);
        Assert.Multiple(() =>
        {
            Assert.That(crypto.Data, Is.TypeOf<PriceTick>());
            Assert.That(((PriceTick)crypto.Data).Price, Is.GreaterThan(0));
            Assert.That(market.Data, Is.TypeOf<MarketProbability>());
            Assert.That(reddit.Data, Is.TypeOf<SentimentSample>());
            Assert.That(((SentimentSample)reddit.Data).Text, Is.Not.Empty);
            Assert.That(crypto.Mock && market.Mock && reddit.Mock, Is.True);
        });
    }

    [Test]
    public async Task UnsubscribeStopsADataGroupAndSubscribeBringsItBack()
    {
        var (connection, recorder) = await ConnectAsync();
        var state = await connection.InvokeAsync<SubscriptionState>(nameof(RiskHub.Unsubscribe), new[] { "data:crypto", "data:reddit", "data:polymarket" });
        Assert.That(state.Topics, Is.EqualTo(new[] { "risk" }));

        // Whatever was in flight before the unsubscribe took effect is discarded; after a few more scores no data may come.
        await recorder.Score();
        recorder.Clear();
        for (var i = 0; i < 6; i++)
        {
            await recorder.Score();
        }

        Assert.That(recorder.TryTakeData(out var unexpected), Is.False, $"unexpected {unexpected?.Source} data after unsubscribing");

        state = await connection.InvokeAsync<SubscriptionState>(nameof(RiskHub.Subscribe), new[] { "data:reddit" });
        Assert.That(state.Topics, Is.EquivalentTo(new[] { "risk", "data:reddit" }));
        var reddit = await recorder.Data();
        Assert.That(reddit.Source, Is.EqualTo(DataSources.Reddit));
        for (var i = 0; i < 4; i++)
        {
            Assert.That((await recorder.Data()).Source, Is.EqualTo(DataSources.Reddit), "only the subscribed source arrives");
        }
    }

    [Test]
    public async Task UnsubscribingFromRiskStopsScores()
    {
        var (connection, recorder) = await ConnectAsync();
        await connection.InvokeAsync<SubscriptionState>(nameof(RiskHub.Unsubscribe), new[] { "risk" });
        await recorder.Data(d => d.Source == DataSources.Crypto);
        recorder.Clear();
        for (var i = 0; i < 10; i++)
        {
            await recorder.Data();
        }

        Assert.That(() => recorder.Score(timeout: TimeSpan.FromMilliseconds(300)), Throws.TypeOf<TimeoutException>());
    }

    [TestCase("data:nasdaq")]
    [TestCase("")]
    [TestCase("RISK")]
    public async Task AnUnknownTopicIsRefusedNamingTheValidOnes(string topic)
    {
        var (connection, _) = await ConnectAsync();
        var error = Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<SubscriptionState>(nameof(RiskHub.Subscribe), new[] { topic }));
        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.Contain("Unknown topic").And.Contain("risk, data:crypto, data:polymarket, data:reddit"));
            Assert.That(connection.State, Is.EqualTo(HubConnectionState.Connected), "a refused call does not cost the connection");
        });
    }

    [Test]
    public async Task AnEmptyTopicListIsRefused()
    {
        var (connection, _) = await ConnectAsync();
        var error = Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<SubscriptionState>(nameof(RiskHub.Unsubscribe), Array.Empty<string>()));
        Assert.That(error!.Message, Does.Contain("non-empty list"));
    }

    [Test]
    public async Task GetStatusAndGetStatisticsAnswerTheCaller()
    {
        var (caller, _) = await ConnectAsync();
        var (_, bystander) = await ConnectAsync();
        await bystander.Score();
        var status = await caller.InvokeAsync<RiskStatus>(nameof(RiskHub.GetStatus));
        var statistics = await caller.InvokeAsync<RiskStatistics>(nameof(RiskHub.GetStatistics));
        Assert.Multiple(() =>
        {
            Assert.That(status.IsRunning, Is.True);
            Assert.That(status.Connections, Is.GreaterThanOrEqualTo(2));
            Assert.That(status.Sources.Select(s => s.Source), Is.SupersetOf(DataSources.All));
            Assert.That(status.Sources.All(s => s.Mode == SourceModes.Mock), Is.True);
            Assert.That(statistics.TotalUpdates, Is.GreaterThan(0));
            Assert.That(statistics.NormalizerStats.HistorySize, Is.GreaterThan(0));
        });

        // Answers are return values of the caller's invocation: nothing of them reaches the bystander as a message.
        bystander.Clear();
        await bystander.Score();
        Assert.That(bystander.TryTakeAlert(out _), Is.False);
    }

    [Test]
    public async Task ForceInterruptReachesEveryClientAsInterruptAndAlert()
    {
        var (caller, callerRecorder) = await ConnectAsync();
        var (_, otherRecorder) = await ConnectAsync();
        var result = await caller.InvokeAsync<ForceInterruptResult>(nameof(RiskHub.ForceInterrupt));
        Assert.That(result.Accepted, Is.True);

        foreach (var recorder in new[] { callerRecorder, otherRecorder })
        {
            var interrupt = await recorder.Interrupt();
            var alert = await recorder.Alert(a => a.AlertType == AlertTypes.Interrupt);
            Assert.Multiple(() =>
            {
                Assert.That(interrupt.Forced, Is.True);
                Assert.That(interrupt.Roast, Is.Not.Empty);
                Assert.That(interrupt.AudioUrl, Is.Null, "no ElevenLabs key: no audio");
                Assert.That(interrupt.RiskScore, Is.InRange(0.0, 100.0));
                Assert.That(alert.Message, Does.StartWith("Forced interrupt"));
            });
        }

        // The policy limits forced interrupts: an immediate second one is refused with a reason.
        var refused = Assert.ThrowsAsync<HubException>(() => caller.InvokeAsync<ForceInterruptResult>(nameof(RiskHub.ForceInterrupt)));
        Assert.That(refused!.Message, Does.Contain("retry in").Or.Contain("already in progress"));
    }

    [Test]
    public async Task MessagePackClientsGetTheSameMessages()
    {
        // No formatter of ours: a client that references only the contracts reads every message and answer, with the
        // same values a JSON client reads. The JSON client is in its groups once its first score came (the join sends
        // it), and the MessagePack one after that, so everything the MessagePack client gets went to both.
        var (_, json) = await ConnectAsync();
        await json.Score();
        var connection = _server.CreateHub(b => b.AddMessagePackProtocol());
        _connections.Add(connection);
        var messagePack = new HubRecorder(connection);
        await connection.StartAsync();
        await messagePack.Score();

        var score = await messagePack.Score();
        var sameScore = await json.Score(s => s.Seq == score.Seq);
        // Mock data a slow moment may coalesce on one connection and not the other (a newer datum replaces a waiting
        // one), so the comparison uses data pushed under keys of its own, which nothing supersedes.
        var hubContext = _server.Services.GetRequiredService<IHubContext<RiskHub, IRiskClient>>();
        var pushedAt = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero);
        DataUpdate[] pushed =
        [
            DataUpdate.From(new PriceTick("MSGPACKUSDT", 64_000.5, pushedAt, IsMock: true)),
            DataUpdate.From(new MarketProbability("msgpack-market", "Will both protocols agree?", 0.42, pushedAt, IsMock: true)),
            DataUpdate.From(new SentimentSample("msgpack-post", -0.5, pushedAt, "same names on both protocols", IsMock: true)),
        ];
        foreach (var update in pushed)
        {
            await hubContext.Clients.Group(RiskTopics.ForSource(update.Source)).DataUpdate(update);
        }

        var data = new List<(DataUpdate MessagePack, DataUpdate Json)>();
        foreach (var update in pushed)
        {
            data.Add((await messagePack.Data(d => d.Data.Key == update.Data.Key), await json.Data(d => d.Data.Key == update.Data.Key)));
        }

        var status = await connection.InvokeAsync<RiskStatus>(nameof(RiskHub.GetStatus));
        var statistics = await connection.InvokeAsync<RiskStatistics>(nameof(RiskHub.GetStatistics));
        var unsubscribed = await connection.InvokeAsync<SubscriptionState>(nameof(RiskHub.Unsubscribe), new[] { RiskTopics.ForSource(DataSources.Reddit) });
        var subscribed = await connection.InvokeAsync<SubscriptionState>(nameof(RiskHub.Subscribe), new[] { RiskTopics.ForSource(DataSources.Reddit) });

        // Off-UTC timestamps with sub-millisecond ticks and a null field: MessagePack keeps the offset and every tick.
        var at = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.FromHours(2)).AddTicks(1_234_567);
        var sentInterrupt = new InterruptNotice("MessagePack roast", null, 77.7, false, at);
        var sentAlert = new AlertNotice(AlertTypes.Warning, "MessagePack alert", at);
        var hub = _server.Services.GetRequiredService<IHubContext<RiskHub, IRiskClient>>();
        await hub.Clients.Group(RiskTopics.Risk).Interrupt(sentInterrupt);
        await hub.Clients.Group(RiskTopics.Risk).Alert(sentAlert);
        var interrupt = await messagePack.Interrupt(i => i.Roast == sentInterrupt.Roast);
        var alert = await messagePack.Alert(a => a.Message == sentAlert.Message);

        Assert.Multiple(() =>
        {
            Assert.That(score, Is.EqualTo(sameScore), "the same score, components and timestamp as over JSON");
            Assert.That(score.Components, Is.Not.Null);
            foreach (var (fromMessagePack, fromJson) in data)
            {
                Assert.That(fromMessagePack, Is.EqualTo(fromJson), $"the same {fromMessagePack.Source} update as over JSON");
                Assert.That(fromMessagePack.Mock, Is.True);
            }

            Assert.That(((PriceTick)data[0].MessagePack.Data).Price, Is.GreaterThan(0));
            Assert.That(((MarketProbability)data[1].MessagePack.Data).Question, Is.Not.Empty);
            Assert.That(((SentimentSample)data[2].MessagePack.Data).Text, Is.Not.Empty);
            Assert.That(status.IsRunning, Is.True);
            Assert.That(status.Sources.Select(s => s.Source), Is.SupersetOf(DataSources.All));
            Assert.That(status.Sources.All(s => s.LastSignalAt is not null), Is.True, "nullable timestamps arrive");
            Assert.That(status.Ai.Select(a => a.Service), Is.EquivalentTo(new[] { AiServices.Roasts, AiServices.Voice }));
            Assert.That(status.Statistics.NormalizerStats, Is.Not.Null);
            Assert.That(statistics.TotalUpdates, Is.GreaterThan(0));
            Assert.That(statistics.RejectedSignals, Is.Not.Null);
            Assert.That(unsubscribed.Topics, Does.Not.Contain(RiskTopics.ForSource(DataSources.Reddit)));
            Assert.That(subscribed.Topics, Is.EquivalentTo(RiskTopics.All));
            Assert.That(interrupt, Is.EqualTo(sentInterrupt));
            Assert.That(alert, Is.EqualTo(sentAlert));
            Assert.That(alert.At.Offset, Is.EqualTo(TimeSpan.FromHours(2)));
            Assert.That(alert.At.Ticks, Is.EqualTo(at.Ticks));
            Assert.That(connection.State, Is.EqualTo(HubConnectionState.Connected), "data updates must not abort a MessagePack connection");
        });
    }

    [Test]
    public async Task AClientSendingGarbageIsDisconnectedAndOthersAreUntouched()
    {
        var (_, bystander) = await ConnectAsync();
        using var raw = new ClientWebSocket();
        await raw.ConnectAsync(_server.WebSocketUri("/hubs/risk"), CancellationToken.None);
        await raw.SendAsync(Encoding.UTF8.GetBytes("{\"protocol\":\"json\",\"version\":1}\u001e"), WebSocketMessageType.Text, true, CancellationToken.None);
        await raw.SendAsync(Encoding.UTF8.GetBytes("this is not a hub message\u001e"), WebSocketMessageType.Text, true, CancellationToken.None);

        var buffer = new byte[64 * 1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        WebSocketReceiveResult result;
        do
        {
            result = await raw.ReceiveAsync(buffer, timeout.Token);
        }
        while (result.MessageType != WebSocketMessageType.Close);

        Assert.That(raw.CloseStatus, Is.Not.Null, "the server closed the garbage client");
        bystander.Clear();
        var next = await bystander.Score();
        Assert.That(next.Score, Is.InRange(0.0, 100.0), "the other client keeps receiving");
    }

    [Test]
    public async Task OversizedClientMessagesAreRefused()
    {
        var (connection, _) = await ConnectAsync();
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += error => { closed.TrySetResult(error); return Task.CompletedTask; };
        var huge = Enumerable.Repeat("risk", 5_000).ToArray();
        _ = connection.InvokeAsync<SubscriptionState>(nameof(RiskHub.Subscribe), huge).ContinueWith(t => t.Exception, TaskScheduler.Default);
        var error = await closed.Task.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.That(connection.State, Is.EqualTo(HubConnectionState.Disconnected), $"closed with: {error?.Message}");
    }

    [Test]
    public async Task ServerPushesThroughTheTypedHubContext()
    {
        var (_, recorder) = await ConnectAsync();
        var hub = _server.Services.GetRequiredService<IHubContext<RiskHub, IRiskClient>>();
        await hub.Clients.Group(RiskTopics.Risk).Alert(new AlertNotice(AlertTypes.Info, "typed push", DateTimeOffset.UnixEpoch));
        var alert = await recorder.Alert(a => a.Message == "typed push");
        Assert.That(alert.AlertType, Is.EqualTo(AlertTypes.Info));
    }

    private async Task<(HubConnection Connection, HubRecorder Recorder)> ConnectAsync()
    {
        var connection = _server.CreateHub();
        _connections.Add(connection);
        var recorder = new HubRecorder(connection);
        await connection.StartAsync();
        return (connection, recorder);
    }
}
