using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace RiskConsole.Bench.Load;

/// <summary>What <see cref="LoadRun"/> measured, before it is summed up into a <see cref="LoadReport"/>.</summary>
public sealed record LoadReportInputs(
    TimeSpan StartToListening,
    TimeSpan StartToFirstScore,
    TimeSpan? InjectionToFirstComputedScore,
    int Connected,
    int ConnectFailures,
    double ConnectSeconds,
    double? RssBeforeClientsMegabytes,
    double? RssIdleClientsMegabytes,
    double? KilobytesPerIdleConnection,
    double? ManagedHeapKilobytesPerIdleConnection,
    double InjectedPerSecond,
    IReadOnlyDictionary<string, long>? Rejected,
    TimeSpan Measured,
    double? CpuPercent,
    double? ClientCpuPercent,
    IReadOnlyList<LoadSample> Samples,
    IReadOnlyList<LoadWorkerSummary> Workers,
    IReadOnlyDictionary<string, long>? ServerDelivery);

/// <summary>Latency percentiles in ms (null when nothing was received).</summary>
public sealed record LatencyFigures(long Count, double? P50, double? P95, double? P99, double? Max)
{
    public static LatencyFigures From(LatencyHistogram histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        return new(histogram.Count, Round(histogram.Percentile(0.50)), Round(histogram.Percentile(0.95)), Round(histogram.Percentile(0.99)), Round(histogram.MaxMilliseconds));
    }

    public LatencyFigures Minus(TimeSpan offset) => new(Count, Less(P50, offset), Less(P95, offset), Less(P99, offset), Less(Max, offset));

    private static double? Less(double? ms, TimeSpan offset) => ms is { } v ? Math.Round(v - offset.TotalMilliseconds, 1) : null;

    private static double? Round(double? ms) => ms is { } v ? Math.Round(v, 1) : null;
}

/// <summary>
/// One load run's figures, written as bench/results/load-&lt;yyyyMMdd-HHmmss&gt;.md and .json. Definitions are in
/// docs/performance.md ("Load"): data latency is injection → receipt; a lost datum is the last value injected for a key
/// that never reached a client subscribed to it (coalescing per key drops the values between by design); a lost score
/// is a gap in Seq.
/// </summary>
public sealed record LoadReport(
    DateTimeOffset At,
    string Machine,
    string Server,
    int Clients,
    int SignalsPerSecond,
    double Seconds,
    int StalledClients,
    int Workers,
    int Connected,
    int ConnectFailures,
    double ConnectSeconds,
    double StartToListeningMs,
    double StartToFirstScoreMs,
    double? InjectionToFirstComputedScoreMs,
    double? RssBeforeClientsMegabytes,
    double? RssIdleClientsMegabytes,
    double? KilobytesPerIdleConnection,
    double? ManagedHeapKilobytesPerIdleConnection,
    double InjectedPerSecond,
    IReadOnlyDictionary<string, long>? Rejected,
    LatencyFigures DataLatency,
    LatencyFigures ScoreLatencyFromBarEnd,
    double? ScoreLatenessAllowanceMs,
    LatencyFigures? ScoreLatencyBeyondLateness,
    double MessagesPerSecond,
    double DataPerSecond,
    double ScoresPerSecond,
    double MessagesPerClientPerSecond,
    long DataLost,
    int ClientsWithDataLost,
    long ScoresLost,
    int Disconnects,
    double? CpuPercent,
    double? ClientCpuPercent,
    double? RssPeakMegabytes,
    double? RssEndMegabytes,
    int? BacklogMax,
    string? FirstConnectFailure,
    IReadOnlyDictionary<string, long>? ServerDelivery,
    IReadOnlyList<LoadSample> Samples)
{
    public static LoadReport From(LoadOptions options, LoadServer server, LoadReportInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(inputs);
        var (data, scores) = (new LatencyHistogram(), new LatencyHistogram());
        foreach (var worker in inputs.Workers)
        {
            data.Add(worker.DataLatency);
            scores.Add(worker.ScoreLatency);
        }

        var seconds = inputs.Measured.TotalSeconds;
        var (dataAtStop, scoresAtStop) = (inputs.Workers.Sum(w => w.AtStop.DataReceived), inputs.Workers.Sum(w => w.AtStop.ScoresReceived));
        var scoreFigures = LatencyFigures.From(scores);
        return new LoadReport(
            DateTimeOffset.UtcNow,
            Invariant($"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC"),
            (server.InProcess ? "in process (Production, Serilog Warning, journal off, injected ingest only)" : server.Url.ToString())
                + (options.DataBatches ? "; clients take data as DataBatch (one frame per tick, as the dashboard)" : "; clients take data as DataUpdate (one frame per datum)")
                + (options.MessagePack ? ", MessagePack protocol" : ", JSON protocol")
                + Invariant($"; {options.WarmUpSeconds} s of injection before the measured window"),
            options.Clients,
            options.SignalsPerSecond,
            options.Seconds,
            options.StalledClients,
            options.WorkerCount,
            inputs.Connected,
            inputs.ConnectFailures,
            Math.Round(inputs.ConnectSeconds, 1),
            Math.Round(inputs.StartToListening.TotalMilliseconds, 0),
            Math.Round(inputs.StartToFirstScore.TotalMilliseconds, 0),
            inputs.InjectionToFirstComputedScore is { } first ? Math.Round(first.TotalMilliseconds, 0) : null,
            Round(inputs.RssBeforeClientsMegabytes),
            Round(inputs.RssIdleClientsMegabytes),
            inputs.KilobytesPerIdleConnection,
            inputs.ManagedHeapKilobytesPerIdleConnection,
            Math.Round(inputs.InjectedPerSecond, 0),
            inputs.Rejected,
            LatencyFigures.From(data),
            scoreFigures,
            server.ScoreLateness?.TotalMilliseconds,
            server.ScoreLateness is { } lateness ? scoreFigures.Minus(lateness) : null,
            Math.Round((dataAtStop + scoresAtStop) / seconds, 0),
            Math.Round(dataAtStop / seconds, 0),
            Math.Round(scoresAtStop / seconds, 0),
            inputs.Connected > 0 ? Math.Round((dataAtStop + scoresAtStop) / seconds / inputs.Connected, 1) : 0,
            inputs.Workers.Sum(w => w.MissingFinalValues),
            inputs.Workers.Sum(w => w.ClientsMissingFinalValues),
            inputs.Workers.Sum(w => w.ScoresMissing),
            inputs.Workers.Sum(w => w.AtEnd.Disconnects),
            inputs.CpuPercent is { } cpu ? Math.Round(cpu, 1) : null,
            inputs.ClientCpuPercent is { } clientCpu ? Math.Round(clientCpu, 1) : null,
            inputs.Samples.Max(s => s.RssMegabytes),
            inputs.Samples.Count > 0 ? inputs.Samples[^1].RssMegabytes : null,
            inputs.Samples.Max(s => s.Backlog),
            inputs.Workers.Select(w => w.FirstFailure).FirstOrDefault(f => f is not null),
            inputs.ServerDelivery,
            inputs.Samples);
    }

    /// <summary>The header of <see cref="TableRow"/>, for a table over several runs.</summary>
    public const string TableHeader =
        "| clients | signals/s (injected) | stalled | connected | data p50 / p95 / p99 / max (ms) | score beyond lateness p50 / p99 (ms) | msgs/s delivered (per client) | lost data / scores | disconnects | CPU server / clients | RSS peak (MB) | KB per idle conn | start→first score (ms) |\n" +
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|";

    public string TableRow => Invariant(
        $"| {Clients:N0} | {SignalsPerSecond:N0} ({InjectedPerSecond:N0}) | {StalledClients} | {Connected:N0} | {DataLatency.P50} / {DataLatency.P95} / {DataLatency.P99} / {DataLatency.Max} | {ScoreLatencyBeyondLateness?.P50} / {ScoreLatencyBeyondLateness?.P99} | {MessagesPerSecond:N0} ({MessagesPerClientPerSecond}) | {DataLost} / {ScoresLost} | {Disconnects} | {CpuPercent} % / {ClientCpuPercent} % | {RssPeakMegabytes} | {KilobytesPerIdleConnection} | {StartToFirstScoreMs} |");

    public string Markdown()
    {
        var text = new StringBuilder()
            .AppendLine(Invariant($"# Load {At:yyyy-MM-dd HH:mm} UTC: {Clients:N0} clients, {SignalsPerSecond:N0} signals/s, {Seconds} s"))
            .AppendLine()
            .AppendLine(Invariant($"Server: {Server}. Machine: {Machine}. Clients in {Workers} worker process(es); {StalledClients} stalled client(s)."))
            .AppendLine()
            .AppendLine(TableHeader)
            .AppendLine(TableRow)
            .AppendLine()
            .AppendLine(Invariant($"- Connected {Connected:N0} of {Clients:N0} in {ConnectSeconds} s ({ConnectFailures} failed{(FirstConnectFailure is null ? "" : ": " + FirstConnectFailure)})."))
            .AppendLine(Invariant($"- Data, injection → receipt (ms, {DataLatency.Count:N0} receipts): p50 {DataLatency.P50}, p95 {DataLatency.P95}, p99 {DataLatency.P99}, max {DataLatency.Max}."))
            .AppendLine(Invariant($"- Scores, bar end (At) → receipt (ms, {ScoreLatencyFromBarEnd.Count:N0} receipts): p50 {ScoreLatencyFromBarEnd.P50}, p95 {ScoreLatencyFromBarEnd.P95}, p99 {ScoreLatencyFromBarEnd.P99}, max {ScoreLatencyFromBarEnd.Max}; beyond the {ScoreLatenessAllowanceMs} ms lateness allowance: p50 {ScoreLatencyBeyondLateness?.P50}, p95 {ScoreLatencyBeyondLateness?.P95}, p99 {ScoreLatencyBeyondLateness?.P99}, max {ScoreLatencyBeyondLateness?.Max}."))
            .AppendLine(Invariant($"- Delivered {MessagesPerSecond:N0} messages/s ({DataPerSecond:N0} data frames, {ScoresPerSecond:N0} RiskScore; {MessagesPerClientPerSecond} per client)."))
            .AppendLine(Invariant($"- Lost: {DataLost} last-per-key values never reached a subscribed client ({ClientsWithDataLost} clients); {ScoresLost} scores (Seq gaps). Disconnects: {Disconnects}."))
            .AppendLine(Invariant($"- Server's delivery counters over the whole run (outbox replacements by kind, connections it closed by reason): {(ServerDelivery is { Count: > 0 } d ? string.Join(", ", d.Select(kv => kv.Key + " " + kv.Value)) : ServerDelivery is null ? "not available (server by URL)" : "none")}."))
            .AppendLine(Invariant($"- Injected {InjectedPerSecond:N0} signals/s; rejected by the engine: {(Rejected is { Count: > 0 } r ? string.Join(", ", r.Select(kv => kv.Key + " " + kv.Value)) : "none")}."))
            .AppendLine(Invariant($"- CPU (% of the machine, {Environment.ProcessorCount} cores): server {CpuPercent} %, client workers {ClientCpuPercent} %; RSS {RssBeforeClientsMegabytes} MB before the clients, {RssIdleClientsMegabytes} MB with them idle ({KilobytesPerIdleConnection} KB per connection; managed heap {ManagedHeapKilobytesPerIdleConnection} KB), peak {RssPeakMegabytes} MB; router backlog max {BacklogMax}."))
            .AppendLine(Invariant($"- Server start → listening: {StartToListeningMs} ms; → first RiskScore at a client: {StartToFirstScoreMs} ms; injection start → first computed score (Seq ≥ 1): {InjectionToFirstComputedScoreMs} ms."))
            .AppendLine()
            .AppendLine("| second | injected/s | data/s | scores/s | connected | disconnects | server CPU % | clients CPU % | RSS MB | backlog |")
            .AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var s in Samples)
        {
            text.AppendLine(Invariant($"| {s.Second} | {s.InjectedPerSecond} | {s.DataPerSecond} | {s.ScoresPerSecond} | {s.Connected} | {s.Disconnects} | {s.CpuPercent} | {s.ClientCpuPercent} | {s.RssMegabytes} | {s.Backlog} |"));
        }

        return text.ToString();
    }

    public IReadOnlyList<string> Write(string folder)
    {
        Directory.CreateDirectory(folder);
        var name = Path.Combine(folder, "load-" + At.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        File.WriteAllText(name + ".md", Markdown());
        File.WriteAllText(name + ".json", JsonSerializer.Serialize(this, LoadReportJsonContext.Default.LoadReport));
        return [name + ".md", name + ".json"];
    }

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 1) : null;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(LoadReport))]
internal sealed partial class LoadReportJsonContext : JsonSerializerContext;
