using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using RiskConsole.Engine.Journal;

namespace RiskConsole.Server.Replay;

/// <summary>
/// <c>dotnet run --project RiskConsole.Server -- export [journal.db] --out FILE.jsonl|FILE.csv [--from T --to T]</c>: the
/// journal (the configured Journal:Path unless a file is named), or a time range of it, as JSONL (one record per line,
/// the hub's JSON) or CSV (one row per record). Both read back exactly, and <c>replay</c> takes either. It reads a live
/// journal too (SQLite's WAL lets it while the server writes). Exit codes: 0 written, 2 usage or not a journal, 1 the
/// output could not be written.
/// </summary>
public static class ExportCommand
{
    public const string Verb = "export";

    public const string Usage = "usage: dotnet run --project RiskConsole.Server -- export [journal.db] --out journal.jsonl|journal.csv [--from T --to T]";

    public static bool Is(string[] args) => args is [var verb, ..] && string.Equals(verb, Verb, StringComparison.OrdinalIgnoreCase);

    public static async Task<int> RunExportAsync(this WebApplication app, string[] args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var request = ReplayRequest.Parse(args.Skip(1).ToList(), out var problem);
        var csv = request?.Out?.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) == true;
        var jsonl = request?.Out is { } named && (named.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) || named.EndsWith(".ndjson", StringComparison.OrdinalIgnoreCase));
        if (request is null || request.Out is null || !(csv || jsonl) || request.Serve || request.Speed is not null || request.Chart is not null)
        {
            await output.WriteLineAsync("export: " + (problem.Length > 0 ? problem : "--out must name a .jsonl or .csv file (and only --from/--to may be added)"));
            await output.WriteLineAsync(Usage);
            return 2;
        }

        var path = request.Path ?? app.Services.GetRequiredService<IOptions<JournalOptions>>().Value.Path;
        JournalDatabase database;
        try
        {
            database = JournalDatabase.OpenForReading(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or JournalFormatException or SqliteException)
        {
            await output.WriteLineAsync($"export: {(ex is FileNotFoundException ? $"{Path.GetFullPath(path)}: no such journal" : ex.Message)}");
            return 2;
        }

        using (database)
        {
            try
            {
                long rows = 0;
                await using (var writer = new StreamWriter(request.Out))
                {
                    if (csv)
                    {
                        await writer.WriteLineAsync(JournalFiles.CsvHeader);
                    }

                    foreach (var record in database.Read(request.From, request.Until))
                    {
                        await writer.WriteLineAsync(csv ? JournalFiles.ToCsv(record) : JournalFiles.ToJsonl(record));
                        rows++;
                    }
                }

                await output.WriteLineAsync($"exported {rows.ToString("N0", CultureInfo.InvariantCulture)} records of {database.Path} to {Path.GetFullPath(request.Out)}");
                return 0;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await output.WriteLineAsync($"export: could not write {request.Out}: {ex.Message}");
                return 1;
            }
        }
    }
}
