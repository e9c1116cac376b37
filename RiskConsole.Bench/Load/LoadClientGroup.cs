using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using RiskConsole.Core.Contracts;

namespace RiskConsole.Bench.Load;

/// <summary>
/// A share of the load's clients: real SignalR clients (WebSockets, JSON, no negotiate round trip) numbered
/// <c>first … first + count − 1</c>, subscribed as <see cref="LoadSubscriptions.For"/> says. The handlers do the least
/// they can (a clock read, an array slot, a histogram bucket) so the clients are not what limits the run. Each datum,
/// however it arrives, goes through <see cref="OnDatum"/>: a batched client method only has to loop over it.
/// </summary>
public sealed class LoadClientGroup(Uri url, int first, int count, bool dataBatches, bool messagePack) : IAsyncDisposable
{
    /// <summary>Connections opened at once while connecting: enough to be quick, few enough not to time out on a busy server.</summary>
    private const int ConnectConcurrency = 50;

    private readonly List<LoadClient> _clients = new(count);
    private readonly LatencyHistogram _data = new();
    private readonly LatencyHistogram _scores = new();
    private volatile bool _measuring;
    private volatile bool _closing;
    private int _failed;
    private int _disconnects;
    private string? _firstFailure;
    private TimeSpan _cpuAtStart;

    public int Connected => _clients.Count(c => c.Connection.State == HubConnectionState.Connected);

    public int Failed => _failed;

    public async Task ConnectAsync()
    {
        foreach (var batch in Enumerable.Range(first, count).Chunk(ConnectConcurrency))
        {
            var opened = await Task.WhenAll(batch.Select(OpenAsync));
            _clients.AddRange(opened.OfType<LoadClient>());
        }
    }

    /// <summary>From now on receipts count: counters and histograms start from zero.</summary>
    public void BeginMeasuring()
    {
        _data.Reset();
        _scores.Reset();
        foreach (var client in _clients)
        {
            client.DataReceived = 0;
            client.ScoresReceived = 0;
            client.ScoresMissing = 0;
        }

        _cpuAtStart = ProcessCpu();
        _measuring = true;
    }

    public LoadWorkerProgress Progress() => new(
        Connected,
        _failed,
        _disconnects,
        _clients.Sum(c => Volatile.Read(ref c.DataReceived)),
        _clients.Sum(c => Volatile.Read(ref c.ScoresReceived)),
        Math.Round(ProcessCpu().TotalSeconds, 3));

    /// <summary>CPU time of this process: the clients' cost when the group runs in a worker process of its own.</summary>
    private static TimeSpan ProcessCpu()
    {
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    /// <summary>
    /// Once the injection has stopped: waits (up to <paramref name="drainLimit"/>) until every client holds the last value
    /// injected per key it is subscribed to, and reports what is still missing then, with the receipts and latencies.
    /// </summary>
    public async Task<LoadWorkerSummary> FinishAsync(long[] lastInjectedTicks, TimeSpan drainLimit)
    {
        ArgumentNullException.ThrowIfNull(lastInjectedTicks);
        var atStop = Progress();
        var measuredCpu = atStop.CpuSeconds - _cpuAtStart.TotalSeconds;
        var deadline = DateTime.UtcNow + drainLimit;
        long missing;
        while ((missing = MissingFinalValues(lastInjectedTicks)) > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        _measuring = false;
        return new LoadWorkerSummary(
            atStop,
            Progress(),
            missing,
            _clients.Count(c => MissingFinalValues(c, lastInjectedTicks) > 0),
            _clients.Sum(c => c.ScoresMissing),
            measuredCpu,
            _data.Snapshot(),
            _scores.Snapshot(),
            _firstFailure);
    }

    public async ValueTask DisposeAsync()
    {
        _closing = true;
        foreach (var batch in _clients.Chunk(200))
        {
            await Task.WhenAll(batch.Select(c => c.Connection.DisposeAsync().AsTask()));
        }
    }

    private async Task<LoadClient?> OpenAsync(int index)
    {
        var builder = new HubConnectionBuilder()
            .WithUrl(new Uri(url, IRiskHub.Path), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
            });
        if (messagePack)
        {
            // The contracts' [DataMember] names make MessagePack carry the JSON names: no resolver needed (docs/protocol.md).
            builder.AddMessagePackProtocol();
        }

        var connection = builder.Build();

        // A minute of silence from a server that is busy sending to 10,000 others is not a dead server.
        connection.ServerTimeout = TimeSpan.FromSeconds(60);
        var client = new LoadClient(index, connection, LoadSubscriptions.For(index));
        connection.On<DataUpdate>(nameof(IRiskClient.DataUpdate), update =>
        {
            CountDataFrame(client);
            OnDatum(client, update);
        });
        connection.On<DataBatch>(nameof(IRiskClient.DataBatch), batch =>
        {
            CountDataFrame(client);
            foreach (var update in batch.Updates)
            {
                OnDatum(client, update);
            }
        });
        connection.On<RiskScoreUpdate>(nameof(IRiskClient.RiskScore), score => OnScore(client, score));
        connection.Closed += _ =>
        {
            if (!_closing)
            {
                Interlocked.Increment(ref _disconnects);
            }

            return Task.CompletedTask;
        };
        try
        {
            await connection.StartAsync();
            if (LoadSubscriptions.TopicsToLeave(client.Subscription) is { Length: > 0 } leave)
            {
                await connection.InvokeAsync<SubscriptionState>(nameof(IRiskHub.Unsubscribe), leave);
            }

            if (dataBatches)
            {
                // As the dashboard does: one DataBatch frame per publish tick instead of a DataUpdate per datum.
                await connection.InvokeAsync<SubscriptionState>(nameof(IRiskHub.UseDataBatches));
            }

            return client;
        }
        catch (Exception ex) when (ex is HttpRequestException or System.Net.WebSockets.WebSocketException or InvalidOperationException or TimeoutException or Microsoft.AspNetCore.SignalR.HubException or OperationCanceledException)
        {
            Interlocked.Increment(ref _failed);
            Interlocked.CompareExchange(ref _firstFailure, $"{ex.GetType().Name}: {ex.Message}", null);
            await connection.DisposeAsync();
            return null;
        }
    }

    /// <summary>One datum at one client: keeps the newest timestamp per key (for loss) and, while measuring, its latency.</summary>
    private void OnDatum(LoadClient client, DataUpdate update)
    {
        var now = DateTime.UtcNow.Ticks;
        var at = update.At.UtcTicks;
        var key = LoadKeys.IndexOf(update);
        if (key >= 0 && at > client.LastAt[key])
        {
            client.LastAt[key] = at;
        }

        if (_measuring)
        {
            _data.Record(now - at);
        }
    }

    /// <summary>A data frame (a DataUpdate, or a DataBatch of a tick's data) while measuring: what the messages/s figures count.</summary>
    private void CountDataFrame(LoadClient client)
    {
        if (_measuring)
        {
            client.DataReceived++;
        }
    }

    /// <summary>One score at one client: Seq gaps are scores it missed; At is the end of the bar it scores.</summary>
    private void OnScore(LoadClient client, RiskScoreUpdate score)
    {
        var now = DateTime.UtcNow.Ticks;
        if (client.LastSeq > 0 && score.Seq > client.LastSeq + 1 && _measuring)
        {
            client.ScoresMissing += score.Seq - client.LastSeq - 1;
        }

        client.LastSeq = Math.Max(client.LastSeq, score.Seq);
        if (_measuring && score.Seq > 0)
        {
            client.ScoresReceived++;
            _scores.Record(now - score.At.UtcTicks);
        }
    }

    private long MissingFinalValues(long[] lastInjectedTicks) => _clients.Sum(c => MissingFinalValues(c, lastInjectedTicks));

    private static int MissingFinalValues(LoadClient client, long[] lastInjectedTicks)
    {
        var missing = 0;
        for (var key = 0; key < lastInjectedTicks.Length; key++)
        {
            if (lastInjectedTicks[key] > 0 && (client.Subscription & LoadKeys.SourceOf(key)) != 0 && Volatile.Read(ref client.LastAt[key]) < lastInjectedTicks[key])
            {
                missing++;
            }
        }

        return missing;
    }

    /// <summary>One client's state. SignalR runs one connection's handlers one at a time, so plain fields suffice.</summary>
    private sealed class LoadClient(int index, HubConnection connection, LoadSubscription subscription)
    {
        public int Index { get; } = index;

        public HubConnection Connection { get; } = connection;

        public LoadSubscription Subscription { get; } = subscription;

        public long[] LastAt { get; } = new long[LoadKeys.Count];

        public long LastSeq;
        public long DataReceived;
        public long ScoresReceived;
        public long ScoresMissing;
    }
}

/// <summary>Cumulative receipts of a worker's clients since measuring began, and the CPU time its process has used (since it started).</summary>
public sealed record LoadWorkerProgress(int Connected, int Failed, int Disconnects, long DataReceived, long ScoresReceived, double CpuSeconds);

/// <param name="AtStop">Receipts when the injection stopped (the rates are over the injection window).</param>
/// <param name="AtEnd">Receipts once the final values arrived or the drain limit passed.</param>
/// <param name="MissingFinalValues">(client, key) pairs whose last injected value never arrived.</param>
/// <param name="ClientsMissingFinalValues">Clients that lack at least one of them.</param>
/// <param name="ScoresMissing">Sum over clients of the Seq gaps seen while measuring.</param>
/// <param name="MeasuredCpuSeconds">CPU time the worker's process used from the start of measuring to the injection's end.</param>
public sealed record LoadWorkerSummary(
    LoadWorkerProgress AtStop,
    LoadWorkerProgress AtEnd,
    long MissingFinalValues,
    int ClientsMissingFinalValues,
    long ScoresMissing,
    double MeasuredCpuSeconds,
    LatencyHistogramData DataLatency,
    LatencyHistogramData ScoreLatency,
    string? FirstFailure);
