using BenchmarkDotNet.Running;
using RiskConsole.Bench.Benchmarks;
using RiskConsole.Bench.Load;
using RiskConsole.Bench.Soak;

namespace RiskConsole.Bench;

/// <summary>
/// The bench's commands. A named class rather than top-level statements: this project references RiskConsole.Server,
/// whose entry point is the global <c>Program</c> that WebApplicationFactory starts, and a second global Program would
/// make that name ambiguous here and in the tests that reference both.
/// </summary>
public static class BenchCommands
{
    private const string Usage = """
        usage: dotnet run -c Release --project RiskConsole.Bench -- load --clients 1000 --signals-per-second 1000 --seconds 20 [--stalled-clients K] [--workers W] [--data batches|updates] [--protocol json|messagepack] [--warmup-seconds 10] [--url http://host:port]
               dotnet run -c Release --project RiskConsole.Bench -- soak --clients 1000 --minutes 60 [--sample-seconds 60] [--url http://host:port]
               dotnet run -c Release --project RiskConsole.Bench -- sentiment [BenchmarkDotNet options]
               dotnet run -c Release --project RiskConsole.Bench -- micro [BenchmarkDotNet options]
        """;

    public static async Task<int> Main(string[] args)
    {
        // `load --clients N --signals-per-second R --seconds S …`: see docs/performance.md, "Load".
        if (args is ["load", .. var loadArgs])
        {
            var options = LoadOptions.Parse(loadArgs, out var error);
            if (options is null)
            {
                await Console.Error.WriteLineAsync(error);
                return 2;
            }

            var report = await new LoadRun(options, Console.Out).RunAsync();
            var written = report.Write(Path.Combine(LoadServer.RepositoryRoot(), "bench", "results"));
            await Console.Out.WriteLineAsync(report.Markdown());
            await Console.Out.WriteLineAsync($"written: {string.Join(", ", written)}");
            return 0;
        }

        // Hidden: one worker process of `load`, holding a share of its clients (started by LoadRun, not by hand).
        if (args is ["load-worker", .. var workerArgs])
        {
            return await LoadWorkerProcess.RunAsync(workerArgs, Console.In, Console.Out);
        }

        // `soak --clients N --minutes M [--sample-seconds S] [--url U]`: see docs/reliability.md, "Soak".
        if (args is ["soak", .. var rest])
        {
            var options = SoakOptions.Parse(rest, out var error);
            if (options is null)
            {
                await Console.Error.WriteLineAsync(error);
                return 2;
            }

            return await new SoakRun(options, Console.Out).RunAsync();
        }

        // `sentiment [BenchmarkDotNet options]`: ns and bytes per post of the sentiment scorer (see Benchmarks/SentimentBenchmarks.cs).
        if (args is ["sentiment", .. var benchmarkArgs])
        {
            BenchmarkRunner.Run<SentimentBenchmarks>(args: benchmarkArgs);
            return 0;
        }

        // `micro [BenchmarkDotNet options]`: engine, normalizer, sentiment, parsers and hub payloads, ns and bytes per
        // operation, written to bench/results/micro-<time>.md and .json (see Benchmarks/MicroRun.cs, docs/performance.md).
        if (args is ["micro", .. var microArgs])
        {
            return MicroRun.Run(microArgs, Console.Out);
        }

        await Console.Error.WriteLineAsync(Usage);
        return 2;
    }
}
