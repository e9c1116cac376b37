using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using RiskConsole.Core.Contracts;

namespace RiskConsole.Bench.Load;

/// <summary>
/// One load run: start the server (or take the one at --url), open the clients in worker processes, measure memory
/// with them idle, open the stalled clients, inject signals at the rate for a warm-up and then for the measured
/// seconds, stop, wait for the last injected value per key to reach every client, and report.
/// </summary>
public sealed class LoadRun(LoadOptions options, TextWriter output)
{
    /// <summary>How long after the injection stops a client may still receive the last values before they count as lost.</summary>
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(10);

    public async Task<LoadReport> RunAsync()
    {
        ArgumentNullException.ThrowIfNull(options);
        using var delivery = new DeliveryCounters();
        var startWatch = Stopwatch.StartNew();
        await using var server = options.Url is { } url ? LoadServer.Remote(url) : LoadServer.StartInProcess(options.Clients + options.StalledClients + 100);
        var listening = startWatch.Elapsed;
        var firstScore = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var probe = await OpenProbeAsync(server.Url, startWatch, firstScore);
        var startToFirstScore = await firstScore.Task.WaitAsync(TimeSpan.FromSeconds(30));
        output.WriteLine(Invariant($"server {(server.InProcess ? "started in process" : "at")} {server.Url}: listening after {listening.TotalMilliseconds:F0} ms, first RiskScore at a client {startToFirstScore.TotalMilliseconds:F0} ms after {(server.InProcess ? "start" : "connecting")}"));

        var rssBefore = Settle(server);
        var connectWatch = Stopwatch.StartNew();
        var workers = StartWorkers(server.Url);
        var stalled = new List<StalledHubClient>();
        try
        {
            var connected = await Task.WhenAll(workers.Select(w => w.Connected));
            var connectSeconds = connectWatch.Elapsed.TotalSeconds;
            var (open, failed) = (connected.Sum(c => c.Connected), connected.Sum(c => c.Failed));
            output.WriteLine(Invariant($"{open} of {options.Clients} clients connected in {connectSeconds:F1} s over {Math.Max(1, options.WorkerCount)} {(options.WorkerCount == 0 ? "in-process group" : "worker processes")}; {failed} failed"));

            // Idle: no injection yet, so nothing is sent; the difference is what the connections themselves hold.
            await Task.Delay(TimeSpan.FromSeconds(2));
            var rssIdle = Settle(server);
            double? perConnectionKb = rssBefore.Rss is { } b && rssIdle.Rss is { } i && open > 0 ? Math.Round((i - b) * 1024 / open, 1) : null;
            double? heapPerConnectionKb = rssBefore.Heap is { } hb && rssIdle.Heap is { } hi && open > 0 ? Math.Round((hi - hb) * 1024 / open, 1) : null;
            output.WriteLine(Invariant($"server RSS {rssBefore.Rss:F1} MB before the clients, {rssIdle.Rss:F1} MB with {open} idle: {perConnectionKb} KB per connection (managed heap {heapPerConnectionKb} KB)"));

            for (var s = 0; s < options.StalledClients; s++)
            {
                stalled.Add(await StalledHubClient.OpenAsync(server.Url));
            }

            if (options.StalledClients > 0)
            {
                output.WriteLine(Invariant($"{options.StalledClients} stalled client(s) connected: handshake done, never read"));
            }

            var injection = server.Injection;
            var injectionWatch = Stopwatch.StartNew();
            injection?.Start(options.SignalsPerSecond);
            _injectionWatch = injectionWatch;
            await Task.Delay(TimeSpan.FromSeconds(options.WarmUpSeconds));

            await Task.WhenAll(workers.Select(w => w.BeginMeasuringAsync()));
            var (cpuStart, injectedStart, measureWatch) = (server.CpuTime(), injection?.Injected ?? 0, Stopwatch.StartNew());
            var samples = await ProgressAsync(server, workers, injection, measureWatch);
            var lastInjected = injection is null ? new long[LoadKeys.Count] : await injection.StopAsync(server.Sources);
            var (measured, cpuEnd, injectedEnd) = (measureWatch.Elapsed, server.CpuTime(), injection?.Injected ?? 0);
            var rejected = server.Rejected;
            output.WriteLine(Invariant($"injection stopped; waiting up to {DrainLimit.TotalSeconds:F0} s for the last value per key to reach every client"));
            var summaries = await Task.WhenAll(workers.Select(w => w.FinishAsync(new FinalValues(lastInjected, DrainLimit.TotalSeconds))));
            var deliveryCounts = server.InProcess ? delivery.Snapshot() : null;

            return LoadReport.From(
                options,
                server,
                new LoadReportInputs(
                    listening,
                    startToFirstScore,
                    Interlocked.Read(ref _firstComputedTicks) is var fc and >= 0 ? TimeSpan.FromTicks(fc) : null,
                    open,
                    failed,
                    connectSeconds,
                    rssBefore.Rss,
                    rssIdle.Rss,
                    perConnectionKb,
                    heapPerConnectionKb,
                    (injectedEnd - injectedStart) / measured.TotalSeconds,
                    rejected,
                    measured,
                    cpuStart is { } c0 && cpuEnd is { } c1 ? 100 * (c1 - c0).TotalSeconds / measured.TotalSeconds / Environment.ProcessorCount : null,
                    options.WorkerCount > 0 ? 100 * summaries.Sum(w => w.MeasuredCpuSeconds) / measured.TotalSeconds / Environment.ProcessorCount : null,
                    samples,
                    summaries,
                    deliveryCounts));
        }
        finally
        {
            foreach (var client in stalled)
            {
                client.Dispose();
            }

            await Task.WhenAll(workers.Select(w => w.DisposeAsync().AsTask()));
        }
    }

    /// <summary>Running from the moment the injection starts; null before.</summary>
    private volatile Stopwatch? _injectionWatch;

    /// <summary>Time from the injection's start to the first computed score (Seq ≥ 1) at the probe; −1 until then.</summary>
    private long _firstComputedTicks = -1;

    private List<ILoadWorker> StartWorkers(Uri url)
    {
        if (options.WorkerCount == 0)
        {
            return [new InProcessLoadWorker(url, 0, options.Clients, options.DataBatches, options.MessagePack)];
        }

        var workers = new List<ILoadWorker>();
        var per = (options.Clients + options.WorkerCount - 1) / options.WorkerCount;
        for (var first = 0; first < options.Clients; first += per)
        {
            workers.Add(new ChildProcessLoadWorker(url, first, Math.Min(per, options.Clients - first), options.DataBatches, options.MessagePack, output));
        }

        return workers;
    }

    /// <summary>
    /// A client of the harness's own (not one of the measured): times the first RiskScore after the server started, and
    /// the first computed score (Seq ≥ 1) after the injection started.
    /// </summary>
    private async Task<HubConnection> OpenProbeAsync(Uri url, Stopwatch sinceStart, TaskCompletionSource<TimeSpan> firstScore)
    {
        var probe = new HubConnectionBuilder()
            .WithUrl(new Uri(url, IRiskHub.Path), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
            })
            .Build();
        probe.ServerTimeout = TimeSpan.FromSeconds(60);
        probe.On<RiskScoreUpdate>(nameof(IRiskClient.RiskScore), score =>
        {
            firstScore.TrySetResult(sinceStart.Elapsed);
            if (score.Seq > 0 && _injectionWatch is { } injection)
            {
                Interlocked.CompareExchange(ref _firstComputedTicks, injection.Elapsed.Ticks, -1);
            }
        });
        await probe.StartAsync();

        // Scores only: a DataUpdate it has no handler for would make the client throw and log a binding failure per
        // datum (160 exceptions a second at 1,000 signals/s, counted as the server's CPU: the probe lives in this process).
        await probe.InvokeAsync<SubscriptionState>(nameof(IRiskHub.Unsubscribe), DataSources.All.Select(RiskTopics.ForSource).ToArray());
        return probe;
    }

    /// <summary>A progress line a second until the measured seconds are over; returns the lines' figures.</summary>
    private async Task<List<LoadSample>> ProgressAsync(LoadServer server, List<ILoadWorker> workers, LoadInjection? injection, Stopwatch watch)
    {
        var samples = new List<LoadSample>();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        var (lastData, lastScores, lastInjected, lastCpu, lastClientCpu, lastAt) = (0L, 0L, injection?.Injected ?? 0, server.CpuTime(), workers.Sum(w => w.Latest.CpuSeconds), TimeSpan.Zero);
        // A remainder under 50 ms would make a line whose rates are noise: the window ends with the line before it.
        while (TimeSpan.FromSeconds(options.Seconds) - watch.Elapsed > TimeSpan.FromMilliseconds(50))
        {
            var wait = TimeSpan.FromSeconds(options.Seconds) - watch.Elapsed;
            if (wait > TimeSpan.FromSeconds(1))
            {
                await timer.WaitForNextTickAsync();
            }
            else
            {
                await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero);
            }

            var at = watch.Elapsed;
            var seconds = (at - lastAt).TotalSeconds;
            var latest = workers.Select(w => w.Latest).ToArray();
            var (data, scores, injected, cpu, clientCpu) = (latest.Sum(p => p.DataReceived), latest.Sum(p => p.ScoresReceived), injection?.Injected ?? 0, server.CpuTime(), latest.Sum(p => p.CpuSeconds));
            var sample = new LoadSample(
                Math.Round(at.TotalSeconds, 1),
                Math.Round((injected - lastInjected) / seconds, 0),
                Math.Round((data - lastData) / seconds, 0),
                Math.Round((scores - lastScores) / seconds, 0),
                latest.Sum(p => p.Connected),
                latest.Sum(p => p.Disconnects),
                cpu is { } c && lastCpu is { } l ? Math.Round(100 * (c - l).TotalSeconds / seconds / Environment.ProcessorCount, 1) : null,
                options.WorkerCount > 0 ? Math.Round(100 * (clientCpu - lastClientCpu) / seconds / Environment.ProcessorCount, 1) : null,
                server.ResidentMegabytes() is { } rss ? Math.Round(rss, 1) : null,
                server.Backlog);
            samples.Add(sample);
            output.WriteLine(sample.ToString());
            (lastData, lastScores, lastInjected, lastCpu, lastClientCpu, lastAt) = (data, scores, injected, cpu, clientCpu, at);
        }

        return samples;
    }

    /// <summary>Resident memory and managed heap after a full blocking collection (in process; nulls for a server by URL).</summary>
    private static (double? Rss, double? Heap) Settle(LoadServer server)
    {
        if (!server.InProcess)
        {
            return (null, null);
        }

        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return (server.ResidentMegabytes(), GC.GetGCMemoryInfo(GCKind.FullBlocking).HeapSizeBytes / (1024.0 * 1024.0));
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>One progress line: the second since measuring began and the rates over the second before it.</summary>
/// <param name="CpuPercent">Server process, % of the machine (all cores).</param>
/// <param name="ClientCpuPercent">All worker processes together, % of the machine; null when the clients run in the server's process.</param>
public sealed record LoadSample(double Second, double InjectedPerSecond, double DataPerSecond, double ScoresPerSecond, int Connected, int Disconnects, double? CpuPercent, double? ClientCpuPercent, double? RssMegabytes, int? Backlog)
{
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Second,6:F1} s  injected {InjectedPerSecond,7:F0}/s  delivered data {DataPerSecond,8:F0}/s scores {ScoresPerSecond,6:F0}/s  connected {Connected,6}  disconnects {Disconnects}  cpu server {CpuPercent,5:F1} % clients {ClientCpuPercent,5:F1} %  rss {RssMegabytes,7:F1} MB  backlog {Backlog}");
}
