using System.Globalization;
using Microsoft.Extensions.Options;
using RiskConsole.Core.Interrupts;
using RiskConsole.Core.Risk;
using RiskConsole.Engine.Journal;
using RiskConsole.Engine.Replay;

namespace RiskConsole.Server.Replay;

/// <summary>
/// <c>dotnet run --project RiskConsole.Server -- replay &lt;file&gt; [--speed N] [--from T --to T] [--out scores.csv]
/// [--chart scores.png] [--serve]</c>: recorded data (a journal, its JSONL or CSV export) or Binance kline CSV through
/// the same engine, normalizer and interrupt policy as the server (its Risk settings, from the same configuration), on a
/// virtual clock, then a summary. Like the probe it runs before anything listens and starts nothing. Exit codes: 0 done,
/// 2 usage or a file that is not what it claims (one line saying why), 1 an output that could not be written.
/// With <c>--serve</c> the server itself runs, driven by the replay (see <see cref="ReplayServing"/>).
/// </summary>
public static class ReplayCommand
{
    public const string Verb = "replay";

    public const string Usage = "usage: dotnet run --project RiskConsole.Server -- replay <journal.db|export.jsonl|export.csv|klines.csv> [--speed N] [--from T --to T] [--out scores.csv] [--chart scores.png] [--serve]";

    /// <summary>How often a long replay says how far it has got.</summary>
    public static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(2);

    public static bool Is(string[] args) => args is [var verb, ..] && string.Equals(verb, Verb, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether the command line asks for a replay or an export that runs instead of the server (a served replay runs as the server).</summary>
    public static bool RunsInsteadOfServer(string[] args, IServiceProvider services) =>
        ExportCommand.Is(args) || (Is(args) && !ReplayServing.IsServing(services));

    /// <summary>Runs the replay or the export asked for and returns the process exit code.</summary>
    public static Task<int> RunReplayOrExportAsync(this WebApplication app, string[] args, TextWriter output) =>
        ExportCommand.Is(args) ? app.RunExportAsync(args, output) : app.RunReplayAsync(args, output);

    public static async Task<int> RunReplayAsync(this WebApplication app, string[] args, TextWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        if (ReplayRequest.Parse(args.Skip(1).ToList(), out var problem) is not { Path: { } path } request)
        {
            await output.WriteLineAsync(problem.Length > 0 ? $"replay: {problem}" : "replay: which file?");
            await output.WriteLineAsync(Usage);
            return 2;
        }

        ReplayFile file;
        try
        {
            file = ReplayFile.Open(path);
        }
        catch (ReplayFileException ex)
        {
            await output.WriteLineAsync($"replay: {ex.Message}");
            return 2;
        }

        if (request.Serve)
        {
            // Serving was set up before the host was built (ReplayServing); getting here means it could not start.
            await output.WriteLineAsync($"replay: {file.Path} has no signal to serve in the range given");
            return 2;
        }

        var configured = app.Services.GetRequiredService<IOptions<RiskModelOptions>>().Value;
        var model = file.CandleInterval is { } interval ? ReplayRun.ForBars(configured, interval) : configured;
        ReplayRun run;
        try
        {
            run = new ReplayRun(model, app.Services.GetRequiredService<IOptions<InterruptPolicyOptions>>().Value);
        }
        catch (ArgumentException ex)
        {
            await output.WriteLineAsync($"replay: the Risk settings do not fit {file.Description}: {ex.Message.Split(" (Parameter", 2)[0]}");
            return 2;
        }

        var time = app.Services.GetRequiredService<TimeProvider>();
        await output.WriteLineAsync($"replaying {file.Path} ({file.Description}){(request.Speed is { } s ? $" at {s.ToString(CultureInfo.InvariantCulture)}× real time" : string.Empty)}");
        if (request.Speed is not null)
        {
            // A paced replay is watched: say what happens when it happens.
            run.Happened += e => output.WriteLine($"  {e.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}  {Describe(e.Kind)} (score {e.Score.ToString("F1", CultureInfo.InvariantCulture)})");
        }

        var started = time.GetTimestamp();
        var lastProgress = started;
        DateTimeOffset? origin = null;
        foreach (var record in file.Read(request.From, request.Until))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (request.Speed is { } speed)
            {
                origin ??= record.At;
                var due = TimeSpan.FromTicks((long)((record.At - origin.Value).Ticks / speed)) - time.GetElapsedTime(started);
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, time, cancellationToken);
                }
            }

            run.Feed(record);
            if (time.GetElapsedTime(lastProgress) >= ProgressInterval)
            {
                lastProgress = time.GetTimestamp();
                await output.WriteLineAsync($"  … {(file.Progress * 100).ToString("F0", CultureInfo.InvariantCulture)} % ({file.Rows.ToString("N0", CultureInfo.InvariantCulture)} rows, at {record.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)})");
            }
        }

        var result = run.Finish();
        var elapsed = time.GetElapsedTime(started);
        if (file.Rows > 0 && file.Rows == file.BadRows)
        {
            await output.WriteLineAsync($"replay: {file.Path} has no usable row ({file.BadRows.ToString(CultureInfo.InvariantCulture)} bad; first: {(file.BadRowSamples.Count > 0 ? file.BadRowSamples[0] : "none")})");
            return 2;
        }

        ReplayReport.WriteSummary(output, file, result, elapsed);
        return await WriteOutputsAsync(request, file, result, output);
    }

    private static async Task<int> WriteOutputsAsync(ReplayRequest request, ReplayFile file, ReplayResult result, TextWriter output)
    {
        try
        {
            if (request.Out is { } scores)
            {
                await using (var writer = new StreamWriter(scores))
                {
                    ReplayReport.WriteScoresCsv(writer, result);
                }

                await output.WriteLineAsync($"  scores       {Path.GetFullPath(scores)} ({result.Evaluated.Count.ToString("N0", CultureInfo.InvariantCulture)} bars)");
            }

            if (request.Chart is { } chart)
            {
                var title = $"{result.ChartSymbol ?? Path.GetFileNameWithoutExtension(file.Path)}: risk score, {result.Interrupts.Count} interrupts";
                await File.WriteAllBytesAsync(chart, ScoreChart.Render(result, title));
                await output.WriteLineAsync($"  chart        {Path.GetFullPath(chart)}");
            }

            return 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await output.WriteLineAsync($"replay: could not write an output: {ex.Message}");
            return 1;
        }
    }

    private static string Describe(ReplayEventKind kind) => kind switch
    {
        ReplayEventKind.Interrupt => "INTERRUPT",
        ReplayEventKind.CrossedUp => "above the threshold",
        _ => "back below the threshold",
    };
}
