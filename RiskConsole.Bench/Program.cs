using BenchmarkDotNet.Running;
using RiskConsole.Bench.Benchmarks;
using RiskConsole.Bench.Soak;

// `soak --clients N --minutes M [--sample-seconds S] [--url U]`: see docs/reliability.md, "Soak".
if (args is ["soak", .. var rest])
{
    var options = SoakOptions.Parse(rest, out var error);
    if (options is null)
    {
        Console.Error.WriteLine(error);
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

Console.Error.WriteLine("usage: dotnet run -c Release --project RiskConsole.Bench -- soak --clients 1000 --minutes 60 [--sample-seconds 60] [--url http://host:port]\n       dotnet run -c Release --project RiskConsole.Bench -- sentiment [BenchmarkDotNet options]\n       dotnet run -c Release --project RiskConsole.Bench -- micro [BenchmarkDotNet options]");
return 2;
