using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RiskConsole.Core.Contracts;
using RiskConsole.Engine.Journal;
using RiskConsole.Ingest;

namespace RiskConsole.Engine.Replay;

/// <summary>
/// The source of a served replay: writes the file's signals into the router's channel when the <see cref="ReplayClock"/>
/// reaches their time, so the live server (scores, alerts, interrupts with roast and voice, the dashboard) runs on the
/// recorded data as if it were happening, at the clock's speed. Each source in the data shows mode "replay" on the board.
/// </summary>
public sealed partial class ReplayFeed(
    ReplayFile file,
    DateTimeOffset? from,
    DateTimeOffset? until,
    ReplayClock clock,
    SignalChannel channel,
    SourceStatusBoard board,
    TimeProvider real,
    ILogger<ReplayFeed> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var detail = $"replay of {Path.GetFileName(file.Path)} at {clock.Speed}× real time";
        var reported = new HashSet<string>(StringComparer.Ordinal);
        long signals = 0;
        LogStarted(file.Path, clock.Speed, clock.Origin);
        clock.Start();

        // The file is read on the pool: a large journal must not hold a host thread.
        await Task.Run(
            async () =>
            {
                foreach (var record in file.Read(from, until))
                {
                    if (record is not JournalRecord.Signal { Value: var signal })
                    {
                        continue;
                    }

                    var wait = clock.RealTimeUntil(signal.Timestamp);
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait, real, stoppingToken);
                    }

                    if (reported.Add(signal.Source))
                    {
                        board.Report(signal.Source, SourceModes.Replay, healthy: true, detail);
                    }

                    await channel.Writer.WriteAsync(signal, stoppingToken);
                    signals++;
                }
            },
            stoppingToken);

        LogFinished(file.Path, signals, file.BadRows);
        foreach (var source in reported)
        {
            board.Report(source, SourceModes.Replay, healthy: true, $"{detail}: finished");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Serving a replay of {Path} at {Speed}x real time from {Origin:O}")]
    private partial void LogStarted(string path, double speed, DateTimeOffset origin);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replay of {Path} finished: {Signals} signals served, {BadRows} bad rows skipped; the server keeps running")]
    private partial void LogFinished(string path, long signals, long badRows);
}
