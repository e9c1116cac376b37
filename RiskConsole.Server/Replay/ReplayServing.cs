using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RiskConsole.Core.Interrupts;
using RiskConsole.Core.Risk;
using RiskConsole.Engine.Journal;
using RiskConsole.Engine.Replay;
using RiskConsole.Engine.Scoring;
using RiskConsole.Ingest;

namespace RiskConsole.Server.Replay;

/// <summary>
/// <c>replay &lt;file&gt; --serve [--speed N]</c> (default 60×): the whole server — router, hub, /ws, dashboard, interrupts
/// with roast and voice — driven by the replay instead of the upstreams. Only what judges time in the engine moves to
/// the <see cref="ReplayClock"/> (the monitor that advances the engine, the interrupt policy); the publish tick, health,
/// client timeouts and AI budgets stay on real time. The live sources are not started, and the journal is off, so a
/// replay never mixes recorded data into the live history.
/// </summary>
public static class ReplayServing
{
    /// <summary>Speed of a served replay without --speed: an hour of data a minute.</summary>
    public const double DefaultSpeed = 60;

    /// <summary>Sets up serving when the command line asks for it and the file can be served; otherwise changes nothing.</summary>
    public static WebApplicationBuilder AddReplayServing(this WebApplicationBuilder builder, string[] args)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (!ReplayCommand.Is(args) || ReplayRequest.Parse(args.Skip(1).ToList(), out _) is not { Serve: true, Path: { } path } request)
        {
            return builder;
        }

        ReplayFile file;
        try
        {
            file = ReplayFile.Open(path);
        }
        catch (ReplayFileException)
        {
            // The command reports it, with exit code 2.
            return builder;
        }

        if (file.Read(request.From, request.Until).OfType<JournalRecord.Signal>().FirstOrDefault() is not { } first)
        {
            return builder;
        }

        var services = builder.Services;
        var clock = new ReplayClock(first.At - TimeSpan.FromSeconds(1), request.Speed ?? DefaultSpeed, TimeProvider.System);
        services.AddSingleton(clock);
        services.AddSingleton(new ServedReplay(file));
        if (file.CandleInterval is { } interval)
        {
            services.RemoveAll<RiskEngine>();
            services.AddSingleton(sp => new RiskEngine(ReplayRun.ForBars(sp.GetRequiredService<IOptions<RiskModelOptions>>().Value, interval)));
        }

        services.RemoveAll<InterruptPolicy>();
        services.AddSingleton(sp => new InterruptPolicy(sp.GetRequiredService<IOptions<InterruptPolicyOptions>>().Value, clock));
        services.RemoveAll<RiskMonitor>();
        services.AddSingleton(sp => new RiskMonitor(sp.GetRequiredService<RiskEngine>(), sp.GetRequiredService<InterruptPolicy>(), clock));
        services.PostConfigure<JournalOptions>(journal => journal.Enabled = false);
        services.SilenceSignalSources();
        services.AddHostedService(sp => new ReplayFeed(
            file,
            request.From,
            request.Until,
            clock,
            sp.GetRequiredService<SignalChannel>(),
            sp.GetRequiredService<SourceStatusBoard>(),
            TimeProvider.System,
            sp.GetRequiredService<ILogger<ReplayFeed>>()));
        return builder;
    }

    /// <summary>Whether this host serves a replay (set up by <see cref="AddReplayServing"/>), so Program runs it as a server.</summary>
    public static bool IsServing(IServiceProvider services) => services.GetService<ServedReplay>() is not null;

    private sealed record ServedReplay(ReplayFile File);
}
