using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using RiskConsole.Core.Contracts;

namespace RiskConsole.Bench.Soak;

/// <summary>
/// Holds N real SignalR clients (WebSockets, JSON, every topic, as dashboards would) on the server for M minutes and
/// samples the server's resident memory and CPU, the scores the clients received and the scores they missed (gaps in
/// Seq). The question it answers: does memory stay flat while clients stay connected for a long time?
/// </summary>
public sealed class SoakRun(SoakOptions options, TextWriter output)
{
    private long _received;
    private long _missing;

    public async Task<int> RunAsync()
    {
        await using var server = await SoakServer.StartAsync(options.Url, output);
        var lastSeq = new long[options.Clients];
        var clients = new List<HubConnection>(options.Clients);
        try
        {
            foreach (var batch in Enumerable.Range(0, options.Clients).Chunk(50))
            {
                clients.AddRange(await Task.WhenAll(batch.Select(i => ConnectAsync(server.Url, i, lastSeq))));
            }

            output.WriteLine($"{clients.Count} clients connected; sampling every {options.SampleSeconds} s for {options.Minutes} min");
            var samples = await SampleAsync(server, clients);
            var report = SoakReport.From(options, samples);
            var written = report.Write(Path.Combine("bench", "results"));
            output.WriteLine(report.Summary);
            output.WriteLine($"written: {string.Join(", ", written)}");
            return 0;
        }
        finally
        {
            await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
        }
    }

    private async Task<HubConnection> ConnectAsync(Uri url, int index, long[] lastSeq)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(url, IRiskHub.Path), o => o.Transports = HttpTransportType.WebSockets)
            .Build();
        connection.On<RiskScoreUpdate>(nameof(IRiskClient.RiskScore), update =>
        {
            Interlocked.Increment(ref _received);
            var previous = Interlocked.Exchange(ref lastSeq[index], update.Seq);
            if (previous > 0 && update.Seq > previous + 1)
            {
                Interlocked.Add(ref _missing, update.Seq - previous - 1);
            }
        });
        await connection.StartAsync();
        return connection;
    }

    private async Task<List<SoakSample>> SampleAsync(SoakServer server, List<HubConnection> clients)
    {
        var samples = new List<SoakSample>();
        var watch = Stopwatch.StartNew();
        var (lastReceived, lastCpu, lastAt) = (Interlocked.Read(ref _received), server.CpuTime(), TimeSpan.Zero);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.SampleSeconds));
        while (watch.Elapsed.TotalMinutes < options.Minutes && await timer.WaitForNextTickAsync())
        {
            var (received, cpu, at) = (Interlocked.Read(ref _received), server.CpuTime(), watch.Elapsed);
            var seconds = (at - lastAt).TotalSeconds;
            var sample = new SoakSample(
                Math.Round(at.TotalMinutes, 2),
                server.ResidentMegabytes() is { } rss ? Math.Round(rss, 1) : null,
                cpu is { } c && lastCpu is { } l ? Math.Round(100 * (c - l).TotalSeconds / seconds / Environment.ProcessorCount, 1) : null,
                clients.Count(c => c.State == HubConnectionState.Connected),
                Math.Round((received - lastReceived) / seconds, 0),
                Interlocked.Read(ref _missing));
            samples.Add(sample);
            output.WriteLine(sample.ToString());
            (lastReceived, lastCpu, lastAt) = (received, cpu, at);
        }

        return samples;
    }
}

/// <param name="CpuPercent">Of the whole machine (all cores) over the interval.</param>
public sealed record SoakSample(double Minute, double? ServerRssMegabytes, double? CpuPercent, int ConnectedClients, double ScoresPerSecond, long ScoresMissingSoFar)
{
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Minute,7:F2} min  rss {ServerRssMegabytes,7:F1} MB  cpu {CpuPercent,5:F1} %  clients {ConnectedClients,5}  scores/s {ScoresPerSecond,7:F0}  missing {ScoresMissingSoFar}");
}

/// <summary>The samples, and the trend that matters: resident memory after warm-up (the first sample) against the end.</summary>
public sealed record SoakReport(DateTimeOffset At, int Clients, double Minutes, IReadOnlyList<SoakSample> Samples, double? RssFirstMegabytes, double? RssLastMegabytes, double? RssMaxMegabytes, double? RssSlopeMegabytesPerHour)
{
    public static SoakReport From(SoakOptions options, IReadOnlyList<SoakSample> samples)
    {
        var rss = samples.Where(s => s.ServerRssMegabytes is not null).Select(s => (s.Minute, Mb: s.ServerRssMegabytes!.Value)).ToArray();
        return new SoakReport(
            DateTimeOffset.UtcNow,
            options.Clients,
            options.Minutes,
            samples,
            rss.Length > 0 ? rss[0].Mb : null,
            rss.Length > 0 ? rss[^1].Mb : null,
            rss.Length > 0 ? rss.Max(r => r.Mb) : null,
            rss.Length > 1 ? Math.Round(60 * Slope(rss), 1) : null);
    }

    public string Summary => string.Create(
        CultureInfo.InvariantCulture,
        $"soak: {Clients} clients, {Minutes} min: server RSS {RssFirstMegabytes} MB at the first sample, {RssLastMegabytes} MB at the end, max {RssMaxMegabytes} MB, trend {RssSlopeMegabytesPerHour} MB/hour; scores missing {(Samples.Count > 0 ? Samples[^1].ScoresMissingSoFar : 0)}");

    public IReadOnlyList<string> Write(string folder)
    {
        Directory.CreateDirectory(folder);
        var name = Path.Combine(folder, "soak-" + At.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        var markdown = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"# Soak {At:yyyy-MM-dd HH:mm} UTC")
            .AppendLine()
            .AppendLine(Summary)
            .AppendLine()
            .AppendLine("| minute | server RSS (MB) | CPU (% of machine) | connected | scores/s received | scores missing so far |")
            .AppendLine("|---|---|---|---|---|---|");
        foreach (var s in Samples)
        {
            markdown.AppendLine(CultureInfo.InvariantCulture, $"| {s.Minute} | {s.ServerRssMegabytes} | {s.CpuPercent} | {s.ConnectedClients} | {s.ScoresPerSecond} | {s.ScoresMissingSoFar} |");
        }

        File.WriteAllText(name + ".md", markdown.ToString());
        File.WriteAllText(name + ".json", JsonSerializer.Serialize(this, SoakJsonContext.Default.SoakReport));
        return [name + ".md", name + ".json"];
    }

    /// <summary>Least-squares slope of MB over minutes.</summary>
    private static double Slope(IReadOnlyList<(double Minute, double Mb)> points)
    {
        var (mx, my) = (points.Average(p => p.Minute), points.Average(p => p.Mb));
        var den = points.Sum(p => (p.Minute - mx) * (p.Minute - mx));
        return den == 0 ? 0 : points.Sum(p => (p.Minute - mx) * (p.Mb - my)) / den;
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(SoakReport))]
internal sealed partial class SoakJsonContext : JsonSerializerContext;
