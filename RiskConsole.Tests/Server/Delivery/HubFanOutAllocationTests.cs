using System.Diagnostics.Metrics;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RiskConsole.Core.Contracts;
using RiskConsole.Core.Signals;
using RiskConsole.Server.Configuration;
using RiskConsole.Server.Delivery;
using RiskConsole.Server.Observability;

namespace RiskConsole.Tests.Server.Delivery;

/// <summary>
/// A broadcast costs no allocation per connection: the same broadcasts are queued to a small and a large audience of
/// real SignalR connection objects, half of them keeping up (their writes complete at once, so each broadcast starts
/// their drain) and half of them behind (never read, so each broadcast supersedes what waits), and the bytes the
/// broadcasting thread allocated must not grow with the number of connections.
/// </summary>
public sealed class HubFanOutAllocationTests
{
    private const int Broadcasts = 100;
    private static readonly DateTimeOffset At = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [TestCase(false)]
    [TestCase(true)]
    public async Task ABroadcastAllocatesNothingPerConnection(bool dataBatches)
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var small = await MeasureAsync(services, connections: 20, dataBatches);
        var large = await MeasureAsync(services, connections: 1_000, dataBatches);
        var perConnectionAndBroadcast = (double)(large - small) / ((1_000 - 20) * Broadcasts);
        await TestContext.Out.WriteLineAsync(FormattableString.Invariant(
            $"{(dataBatches ? "data batches" : "scores")}: {small} B for 20 connections, {large} B for 1000, {Broadcasts} broadcasts each: {perConnectionAndBroadcast:F4} B per connection and broadcast"));

        // Below one byte per connection and broadcast: nothing per connection (a shared buffer growing once, such as
        // the thread pool's queue, may show as a few bytes over 98,000 enqueues).
        Assert.That(perConnectionAndBroadcast, Is.LessThan(1.0));
    }

    private static async Task<long> MeasureAsync(IServiceProvider services, int connections, bool dataBatches)
    {
        var time = new FakeTimeProvider(At);
        var audience = new HubAudience(
            Options.Create(new ServerOptions()),
            time,
            new DeliveryMetrics(services.GetRequiredService<IMeterFactory>()),
            new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance),
            NullLogger<HubAudience>.Instance);
        var opened = new List<HubConnectionContext>();
        for (var i = 0; i < connections; i++)
        {
            var connection = Connection($"c{i}", keepsUp: i % 2 == 0);
            opened.Add(connection);
            audience.Opened(connection);
            audience.Join(connection.ConnectionId, Score(0));
            if (dataBatches)
            {
                audience.Find(connection.ConnectionId)!.UseDataBatches();
            }
        }

        // Built before measuring: a message is allocated once per broadcast, whatever the audience.
        var scores = Enumerable.Range(1, Broadcasts * 2).Select(seq => Score(seq)).ToArray();
        var ticks = Enumerable.Range(1, Broadcasts * 2).Select(Tick).ToArray();

        // Warm-up: every code path and buffer (dictionaries, the thread pool's queue) at its working size.
        Run(audience, scores.AsSpan(0, Broadcasts), ticks.AsSpan(0, Broadcasts), dataBatches);
        await Task.Yield();
        var allocated = Run(audience, scores.AsSpan(Broadcasts), ticks.AsSpan(Broadcasts), dataBatches);
        foreach (var connection in opened)
        {
            audience.Closed(connection);
        }

        return allocated;
    }

    // Optimized at once: on-stack replacement of a hot loop allocates on the measuring thread.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static long Run(HubAudience audience, ReadOnlySpan<OutboxEntry> scores, ReadOnlySpan<IReadOnlyList<DataUpdate>> ticks, bool dataBatches)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < scores.Length; i++)
        {
            if (dataBatches)
            {
                audience.BroadcastData(ticks[i], At);
            }
            else
            {
                audience.Broadcast(HubTopicMask.Risk, scores[i]);
            }
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    /// <summary>A connection whose writes complete at once (a pipe that never pushes back) or wait for good (a pipe nobody reads).</summary>
    private static HubConnectionContext Connection(string id, bool keepsUp)
    {
        var toClient = keepsUp
            ? new Pipe(new PipeOptions(pauseWriterThreshold: 0, resumeWriterThreshold: 0, useSynchronizationContext: false))
            : new Pipe(new PipeOptions(pauseWriterThreshold: 64, resumeWriterThreshold: 32, useSynchronizationContext: false));
        var fromClient = new Pipe();
        var transport = new DefaultConnectionContext(id, new DuplexPipe(fromClient.Reader, toClient.Writer), new DuplexPipe(toClient.Reader, fromClient.Writer));
        return new HubConnectionContext(transport, new HubConnectionContextOptions { KeepAliveInterval = TimeSpan.FromMinutes(1), ClientTimeoutInterval = TimeSpan.FromMinutes(2) }, NullLoggerFactory.Instance)
        {
            Protocol = new JsonHubProtocol(),
        };
    }

    private static OutboxEntry Score(long seq) => OutboxEntry.For(
        nameof(IRiskClient.RiskScore),
        [new RiskScoreUpdate(10, new RiskComponents(null, null, null, 0, 1, 0, null, null, null, null, null, true, false, false, false), seq, At)]);

    private static IReadOnlyList<DataUpdate> Tick(int tick) =>
    [
        DataUpdate.From(new PriceTick("BTCUSDT", tick, At.AddSeconds(tick), IsMock: true)),
        DataUpdate.From(new SentimentSample("r/x", 0.1, At.AddSeconds(tick), "post", IsMock: true)),
    ];

    private sealed record DuplexPipe(PipeReader Input, PipeWriter Output) : IDuplexPipe;
}
