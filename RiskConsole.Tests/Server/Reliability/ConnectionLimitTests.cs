using System.Net;
using System.Diagnostics.Metrics;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using RiskConsole.Server.Delivery;
using RiskConsole.Server.Legacy;
using RiskConsole.Server.Observability;
using RiskConsole.Tests.Server.Infrastructure;

namespace RiskConsole.Tests.Server.Reliability;

/// <summary>Server:MaxConnections, the hub's client timeout and the /ws pong timeout, each doing what the docs say.</summary>
[Category(TestCategories.EndToEnd)]
[Category(TestCategories.Attack)]
public sealed class ConnectionLimitTests
{
    [Test]
    public async Task BeyondMaxConnectionsNewHubAndLegacyClientsGet503UntilOneLeaves()
    {
        await using var server = RiskConsoleServer.Start(settings: new Dictionary<string, string?> { ["Server:MaxConnections"] = "3" });
        var open = new List<HubConnection>();
        try
        {
            for (var i = 0; i < 2; i++)
            {
                var hub = server.CreateHub();
                await hub.StartAsync();
                open.Add(hub);
            }

            await using var legacy = await LegacySocketClient.ConnectAsync(server.WebSocketUri());
            await legacy.NextAsync("CONNECTED");

            var refusedHub = server.CreateHub();
            var hubError = Assert.ThrowsAsync<HttpRequestException>(() => refusedHub.StartAsync());
            await refusedHub.DisposeAsync();
            var legacyError = Assert.ThrowsAsync<WebSocketException>(() => LegacySocketClient.ConnectAsync(server.WebSocketUri()));
            using var negotiate = await server.Http.PostAsync("/hubs/risk/negotiate?negotiateVersion=1", content: null);

            Assert.Multiple(() =>
            {
                Assert.That(hubError!.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
                Assert.That(legacyError!.Message, Does.Contain("503"));
                Assert.That(negotiate.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
                Assert.That(negotiate.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(5)));
            });

            // One leaves: the next one is let in.
            await open[0].DisposeAsync();
            open.RemoveAt(0);
            var admitted = await ConnectOnceRoomAsync(server, limit: 3);
            open.Add(admitted);
            Assert.That(admitted.State, Is.EqualTo(HubConnectionState.Connected));
        }
        finally
        {
            foreach (var hub in open)
            {
                await hub.DisposeAsync();
            }
        }
    }

    [Test]
    public async Task AHubClientThatSendsNothingIsClosedAfterTheClientTimeout()
    {
        await using var server = RiskConsoleServer.Start(settings: new Dictionary<string, string?>
        {
            ["Server:KeepAliveSeconds"] = "0.5",
            ["Server:ClientTimeoutSeconds"] = "2",
        });

        // A real client that has stopped sending its keep-alive pings (as a frozen tab or a dead process would).
        await using var silent = server.CreateHub();
        silent.KeepAliveInterval = TimeSpan.FromMinutes(10);
        silent.ServerTimeout = TimeSpan.FromMinutes(20);
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        silent.Closed += error => { closed.TrySetResult(error); return Task.CompletedTask; };
        await silent.StartAsync();
        var started = System.Diagnostics.Stopwatch.GetTimestamp();

        await closed.Task.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.That(System.Diagnostics.Stopwatch.GetElapsedTime(started), Is.InRange(TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(5)), "closed at about Server:ClientTimeoutSeconds");
    }

    [Test]
    public async Task AHubClientThatSkipsNegotiationAndOnlyAnswersPingsIsClosedAfterTheClientTimeout()
    {
        await using var server = RiskConsoleServer.Start(settings: new Dictionary<string, string?>
        {
            ["Server:KeepAliveSeconds"] = "0.5",
            ["Server:ClientTimeoutSeconds"] = "2",
        });

        using var disconnects = new MetricCollector<long>(server.Services.GetRequiredService<IMeterFactory>(), DeliveryMetrics.MeterName, "riskconsole.clients.disconnected");

        // The WebSocket pongs keep the pong timeout satisfied, and SignalR's own client timeout starts only at a
        // client's first keep-alive ping: only the server's silence timeout can end this one.
        var closedAfter = await MisbehavingClients.PongingSilentHubClientClosedAfterAsync(server.BaseAddress, TimeSpan.FromSeconds(20));

        Assert.Multiple(() =>
        {
            Assert.That(closedAfter, Is.InRange(TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(5)), "closed at about Server:ClientTimeoutSeconds");
            Assert.That(disconnects.GetMeasurementSnapshot().Select(m => m.Tags["reason"]), Is.EqualTo(new[] { "idle" }), "counted once, as idle");
        });
    }

    /// <summary>
    /// The other side of the silence timeout: a client that keeps talking is never closed by it, on any transport —
    /// server-sent events, where what the client sends arrives in separate POSTs, and long polling, whose clients send
    /// no pings at all (each poll is their sign of life; this test failed for it before the clock left it alone).
    /// </summary>
    [TestCase(HttpTransportType.WebSockets)]
    [TestCase(HttpTransportType.ServerSentEvents)]
    [TestCase(HttpTransportType.LongPolling)]
    public async Task AHubClientThatKeepsPingingStaysOpenLongPastTheClientTimeout(HttpTransportType transport)
    {
        await using var server = RiskConsoleServer.Start(settings: new Dictionary<string, string?>
        {
            ["Server:KeepAliveSeconds"] = "0.5",
            ["Server:ClientTimeoutSeconds"] = "2",
        });
        using var disconnects = new MetricCollector<long>(server.Services.GetRequiredService<IMeterFactory>(), DeliveryMetrics.MeterName, "riskconsole.clients.disconnected");
        await using var hub = new HubConnectionBuilder().WithUrl(new Uri(server.BaseAddress, "/hubs/risk"), transport).Build();
        hub.KeepAliveInterval = TimeSpan.FromSeconds(0.5);
        hub.ServerTimeout = TimeSpan.FromSeconds(10);
        var closed = 0;
        hub.Closed += _ => { Interlocked.Increment(ref closed); return Task.CompletedTask; };
        var recorder = new HubRecorder(hub);
        await hub.StartAsync();
        var first = await recorder.Score(s => s.Seq >= 1, TimeSpan.FromSeconds(20));

        // Three client timeouts later, by the server's own scores.
        await recorder.Score(s => s.At >= first.At.AddSeconds(6), TimeSpan.FromSeconds(30));

        Assert.Multiple(() =>
        {
            Assert.That(hub.State, Is.EqualTo(HubConnectionState.Connected));
            Assert.That(Volatile.Read(ref closed), Is.Zero, "never closed");
            Assert.That(disconnects.GetMeasurementSnapshot(), Is.Empty, "no connection closed as idle");
        });
    }

    [Test]
    public async Task AHubClientThatNeverAnswersPingsIsClosedAfterThePongTimeout()
    {
        await using var server = RiskConsoleServer.Start(settings: new Dictionary<string, string?>
        {
            ["Server:KeepAliveSeconds"] = "0.5",
            ["Server:WebSocketPongTimeoutSeconds"] = "1",
        });

        var closedAfter = await MisbehavingClients.SilentClientClosedAfterAsync(server.BaseAddress, "/hubs/risk", TimeSpan.FromSeconds(20));

        Assert.That(closedAfter, Is.InRange(TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(5)), "closed at about keep-alive + pong timeout");
    }

    [Test]
    public async Task ALegacyClientThatNeverAnswersPingsIsClosedAfterThePongTimeout()
    {
        await using var server = RiskConsoleServer.Start(settings: new Dictionary<string, string?>
        {
            ["Server:KeepAliveSeconds"] = "0.5",
            ["Server:WebSocketPongTimeoutSeconds"] = "1",
        });

        var closedAfter = await MisbehavingClients.SilentClientClosedAfterAsync(server.BaseAddress, "/ws", TimeSpan.FromSeconds(20));

        Assert.That(closedAfter, Is.InRange(TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(5)), "closed at about keep-alive + pong timeout");
    }

    /// <summary>The hub's disconnect is processed after the client's DisposeAsync returns: awaited on the audience's change signal.</summary>
    private static async Task<HubConnection> ConnectOnceRoomAsync(RiskConsoleServer server, int limit)
    {
        var audience = server.Services.GetRequiredService<HubAudience>();
        var legacy = server.Services.GetRequiredService<LegacySocketRegistry>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (true)
        {
            var changed = audience.NextChange;
            if (audience.Count + legacy.Count < limit)
            {
                break;
            }

            await changed.WaitAsync(deadline.Token);
        }

        var hub = server.CreateHub();
        await hub.StartAsync();
        return hub;
    }
}
