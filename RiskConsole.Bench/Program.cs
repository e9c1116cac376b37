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

Console.Error.WriteLine("usage: dotnet run -c Release --project RiskConsole.Bench -- soak --clients 1000 --minutes 60 [--sample-seconds 60] [--url http://host:port]");
return 2;
