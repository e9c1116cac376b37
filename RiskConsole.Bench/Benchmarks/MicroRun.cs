using System.Globalization;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;
using BenchmarkDotNet.Running;

namespace RiskConsole.Bench.Benchmarks;

/// <summary>
/// <c>micro [BenchmarkDotNet options]</c>: every micro benchmark (engine, normalizer, sentiment, parsers, hub payloads)
/// with a short job (1 launch, warm-up until stable, 30 measured iterations of about 25 ms: short enough that the fastest
/// often ran without being preempted; the tiered JIT, slow to recompile hot methods on a busy machine, is through with
/// them by then) in this process (BenchmarkDotNet's in-process
/// toolchain: no generated project to build, which on a busy two-core machine outlasts BenchmarkDotNet's two-minute build
/// timeout), so the whole run stays under about ten minutes. Options such as <c>--filter *Parser*</c> or <c>--job medium</c> pass through to BenchmarkDotNet.
/// Writes bench/results/micro-&lt;yyyyMMdd-HHmmss&gt;.md (BenchmarkDotNet's GitHub markdown per class, with the machine's
/// load average at the start and end) and .json (one row per benchmark: mean and fastest-iteration ns/op, B/op, ops/s).
/// On a shared machine the fastest iteration is the better estimate of the code's own cost; the mean includes the time
/// other processes took the core.
/// </summary>
public static class MicroRun
{
    public static readonly Type[] Benchmarks =
        [typeof(EngineBenchmarks), typeof(ParserBenchmarks), typeof(SentimentBenchmarks), typeof(HubPayloadBenchmarks)];

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static int Run(string[] args, TextWriter console)
    {
        var startedAt = DateTimeOffset.UtcNow;
        var loadBefore = LoadAverage();
        var config = DefaultConfig.Instance
            .AddJob(Job.Default
                .WithId("Micro")
                .WithLaunchCount(1)
                .WithMinWarmupCount(6)
                .WithMaxWarmupCount(40)
                .WithIterationCount(30)
                .WithIterationTime(TimeInterval.FromMilliseconds(25))
                .WithToolchain(InProcessEmitToolchain.Instance))
            .AddColumn(StatisticColumn.Min, StatisticColumn.Median)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddExporter(JsonExporter.Full);

        // Without a filter the switcher would ask which benchmarks to run: all of them is what `micro` means.
        var switcherArgs = args.Any(a => a is "--filter" or "-f") ? args : [.. args, "--filter", "*"];
        var summaries = BenchmarkSwitcher.FromTypes(Benchmarks).Run(switcherArgs, config).ToList();
        if (summaries.Count == 0)
        {
            console.WriteLine("no benchmark matched");
            return 1;
        }

        var loadAfter = LoadAverage();
        var name = Path.Combine("bench", "results", "micro-" + startedAt.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        Directory.CreateDirectory(Path.GetDirectoryName(name)!);
        File.WriteAllText(name + ".md", Markdown(summaries, args, startedAt, loadBefore, loadAfter));
        File.WriteAllText(name + ".json", Json(summaries, args, startedAt, loadBefore, loadAfter));
        console.WriteLine($"results: {name}.md, {name}.json");
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }

    private static string Markdown(List<Summary> summaries, string[] args, DateTimeOffset startedAt, string loadBefore, string loadAfter)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# Micro benchmarks, {startedAt:yyyy-MM-dd HH:mm:ss} UTC");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"`{string.Join(' ', ["dotnet run -c Release --project RiskConsole.Bench -- micro", .. args])}`");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"- cores: {Environment.ProcessorCount}; load average (1, 5, 15 min) at the start: {loadBefore}; at the end: {loadAfter}");
        text.AppendLine(CultureInfo.InvariantCulture, $"- JIT: {Jit()}");
        text.AppendLine();
        text.AppendLine("| benchmark | ns/op (mean) | ns/op (fastest iteration) | B/op | ops/s (from the fastest) |");
        text.AppendLine("|---|---:|---:|---:|---:|");
        foreach (var row in Rows(summaries))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {row.Benchmark} | {row.NanosecondsPerOp:N1} | {row.FastestNanosecondsPerOp:N1} | {row.BytesPerOp:N0} | {row.OpsPerSecond:N0} |");
        }

        foreach (var summary in summaries)
        {
            text.AppendLine();
            var log = new AccumulationLogger();
            MarkdownExporter.GitHub.ExportToLog(summary, log);
            text.Append(log.GetLog());
        }

        return text.ToString();
    }

    private static string Json(List<Summary> summaries, string[] args, DateTimeOffset startedAt, string loadBefore, string loadAfter) =>
        JsonSerializer.Serialize(
            new
            {
                kind = "micro",
                startedAt,
                arguments = args,
                processorCount = Environment.ProcessorCount,
                loadAverageAtStart = loadBefore,
                loadAverageAtEnd = loadAfter,
                jit = Jit(),
                benchmarks = Rows(summaries),
            },
            JsonOptions);

    private static List<MicroRow> Rows(List<Summary> summaries) =>
        [.. summaries.SelectMany(s => s.Reports.Where(r => r.Success && r.ResultStatistics is not null).Select(r =>
        {
            var mean = r.ResultStatistics!.Mean;
            var fastest = r.ResultStatistics.Min;
            var bytes = r.GcStats.GetBytesAllocatedPerOperation(r.BenchmarkCase);
            var parameters = r.BenchmarkCase.HasParameters ? $"({r.BenchmarkCase.Parameters.DisplayInfo})" : "";
            return new MicroRow(
                $"{r.BenchmarkCase.Descriptor.Type.Name}.{r.BenchmarkCase.Descriptor.WorkloadMethod.Name}{parameters}",
                mean,
                fastest,
                bytes ?? 0,
                fastest > 0 ? 1e9 / fastest : 0);
        }))];

    /// <summary>
    /// Whether the tiered JIT ran. On a busy machine its background recompilation to optimized code lags far behind,
    /// and BenchmarkDotNet's warm-up can settle on unoptimized code; DOTNET_TieredCompilation=0 compiles optimized at once.
    /// </summary>
    private static string Jit() =>
        Environment.GetEnvironmentVariable("DOTNET_TieredCompilation") is "0"
            ? "tiered compilation off (DOTNET_TieredCompilation=0): optimized from the first call, no dynamic PGO"
            : "tiered compilation on (the default: dynamic PGO, optimized code only after recompilation in the background)";

    /// <summary>/proc/loadavg's three averages: the machine is shared, and a figure means little without it.</summary>
    private static string LoadAverage()
    {
        try
        {
            var parts = File.ReadAllText("/proc/loadavg").Split(' ');
            return string.Join(", ", parts.Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
        catch (UnauthorizedAccessException)
        {
            return "unknown";
        }
    }

    private sealed record MicroRow(string Benchmark, double NanosecondsPerOp, double FastestNanosecondsPerOp, long BytesPerOp, double OpsPerSecond);
}
