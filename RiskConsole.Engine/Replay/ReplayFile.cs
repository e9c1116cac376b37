using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using RiskConsole.Core.Signals;
using RiskConsole.Engine.Journal;

namespace RiskConsole.Engine.Replay;

/// <summary>What a replay can read.</summary>
public enum ReplayFormat
{
    /// <summary>The signal journal's SQLite database.</summary>
    Journal,

    /// <summary>The journal exported as JSONL.</summary>
    JournalJsonl,

    /// <summary>The journal exported as CSV.</summary>
    JournalCsv,

    /// <summary>Binance's public kline (candle) CSV.</summary>
    KlineCsv,
}

/// <summary>A replay input that is not what it claims to be (missing, empty, another format); the message is the one line to show.</summary>
public sealed class ReplayFileException : Exception
{
    public ReplayFileException()
    {
    }

    public ReplayFileException(string message)
        : base(message)
    {
    }

    public ReplayFileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// A file to replay, recognized by its content (a SQLite header, a JSONL record, the journal CSV header, or kline
/// rows) and read as journal records in order: for klines, one price per candle, its close stamped at the candle's
/// close time. Bad rows are skipped and counted with their line numbers, never fatal; a file with no usable row at all
/// is a <see cref="ReplayFileException"/>. Read once, from one thread.
/// </summary>
public sealed class ReplayFile
{
    /// <summary>Bad rows listed by line in the summary at most (all are counted).</summary>
    public const int MaxBadRowSamples = 10;

    /// <summary>Rows looked at to recognize a text file and its candle interval.</summary>
    private const int SniffRows = 200;

    private static readonly byte[] SqliteHeader = Encoding.ASCII.GetBytes("SQLite format 3\0");
    private readonly List<string> _badRowSamples = [];
    private long _progressDone;
    private long _progressTotal = 1;

    private ReplayFile(string path, ReplayFormat format, string? symbol, TimeSpan? interval)
    {
        Path = path;
        Format = format;
        Symbol = symbol;
        CandleInterval = interval;
    }

    public string Path { get; }

    public ReplayFormat Format { get; }

    /// <summary>The symbol of a kline file (from its name: "BTCUSDT-1m-….csv").</summary>
    public string? Symbol { get; }

    /// <summary>The candle length of a kline file: the shortest gap between open times (1 m, 1 h, …).</summary>
    public TimeSpan? CandleInterval { get; }

    /// <summary>Rows read (good and bad).</summary>
    public long Rows { get; private set; }

    public long BadRows { get; private set; }

    /// <summary>The first bad rows, each as "line N: what is wrong".</summary>
    public IReadOnlyList<string> BadRowSamples => _badRowSamples;

    /// <summary>How far reading has got, 0 to 1 (by bytes for text files, by rows for a journal).</summary>
    public double Progress => Math.Clamp((double)Interlocked.Read(ref _progressDone) / Math.Max(1, _progressTotal), 0, 1);

    public string Description => Format switch
    {
        ReplayFormat.Journal => "RiskConsole journal (SQLite)",
        ReplayFormat.JournalJsonl => "RiskConsole journal export (JSONL)",
        ReplayFormat.JournalCsv => "RiskConsole journal export (CSV)",
        _ => $"Binance kline CSV, {Symbol}, {DescribeInterval(CandleInterval ?? TimeSpan.FromMinutes(1))} candles",
    };

    /// <summary>"1 m", "1 h", "15 m", "1 d", "30 s".</summary>
    public static string DescribeInterval(TimeSpan interval) => interval switch
    {
        { TotalDays: >= 1 } when interval.Ticks % TimeSpan.TicksPerDay == 0 => $"{interval.TotalDays.ToString(CultureInfo.InvariantCulture)} d",
        { TotalHours: >= 1 } when interval.Ticks % TimeSpan.TicksPerHour == 0 => $"{interval.TotalHours.ToString(CultureInfo.InvariantCulture)} h",
        { TotalMinutes: >= 1 } when interval.Ticks % TimeSpan.TicksPerMinute == 0 => $"{interval.TotalMinutes.ToString(CultureInfo.InvariantCulture)} m",
        _ => $"{interval.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s",
    };

    /// <summary>Recognizes <paramref name="path"/>; a file that is none of the formats is a <see cref="ReplayFileException"/> saying why.</summary>
    public static ReplayFile Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new ReplayFileException($"{path}: no such file");
        }

        var head = new byte[SqliteHeader.Length];
        int read;
        using (var stream = File.OpenRead(full))
        {
            read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }

        if (read == 0)
        {
            throw new ReplayFileException($"{path} is empty");
        }

        var extension = System.IO.Path.GetExtension(full).ToUpperInvariant();
        if (read == head.Length && head.AsSpan().SequenceEqual(SqliteHeader))
        {
            try
            {
                using var database = JournalDatabase.OpenForReading(full);
                return new ReplayFile(full, ReplayFormat.Journal, null, null);
            }
            catch (Exception ex) when (ex is JournalFormatException or SqliteException)
            {
                throw new ReplayFileException(ex is JournalFormatException ? ex.Message : $"{path} is not a readable journal: {ex.Message}", ex);
            }
        }

        if (extension is ".DB" or ".SQLITE" or ".SQLITE3")
        {
            throw new ReplayFileException($"{path} is not a SQLite database (it does not start with 'SQLite format 3')");
        }

        if (extension is ".JSONL" or ".NDJSON" or ".JSON")
        {
            var first = File.ReadLines(full).Select((text, index) => (text, line: index + 1)).FirstOrDefault(l => l.text.Trim().Length > 0);
            try
            {
                JournalFiles.FromJsonl(first.text ?? string.Empty);
            }
            catch (FormatException ex)
            {
                throw new ReplayFileException($"{path} is not a journal JSONL export: line {first.line} is {ex.Message}", ex);
            }

            return new ReplayFile(full, ReplayFormat.JournalJsonl, null, null);
        }

        return SniffCsv(path, full);
    }

    /// <summary>The journal records of the file in [<paramref name="from"/>, <paramref name="until"/>), in order.</summary>
    public IEnumerable<JournalRecord> Read(DateTimeOffset? from = null, DateTimeOffset? until = null) => Format switch
    {
        ReplayFormat.Journal => ReadJournal(from, until),
        ReplayFormat.JournalJsonl => InRange(ReadJsonl(), from, until),
        ReplayFormat.JournalCsv => InRange(ReadJournalCsv(), from, until),
        _ => InRange(ReadKlines(), from, until),
    };

    private static ReplayFile SniffCsv(string path, string full)
    {
        using var reader = new StreamReader(full);
        var rows = JournalFiles.ReadCsv(reader).Take(SniffRows).ToList();
        if (rows.Count == 0)
        {
            throw new ReplayFileException($"{path} has no rows");
        }

        if (string.Join(',', rows[0].Fields).Trim() == JournalFiles.CsvHeader)
        {
            return new ReplayFile(full, ReplayFormat.JournalCsv, null, null);
        }

        var candles = new List<KlineCsv.Candle>();
        string? firstError = null;
        foreach (var (line, fields) in rows)
        {
            if (line == rows[0].Line && KlineCsv.IsHeader(fields))
            {
                continue;
            }

            if (KlineCsv.TryParse(fields, out var candle, out var error))
            {
                candles.Add(candle);
            }
            else
            {
                firstError ??= $"line {line}: {error}";
            }
        }

        if (candles.Count == 0)
        {
            throw new ReplayFileException($"{path} is not a Binance kline CSV (open time, open, high, low, close, volume, close time, ...) nor a journal export: {firstError ?? "no data row"}");
        }

        return new ReplayFile(full, ReplayFormat.KlineCsv, KlineCsv.SymbolFromFileName(full), Interval(candles));
    }

    /// <summary>The shortest positive gap between consecutive open times; with one candle, its own length; at least one second.</summary>
    private static TimeSpan Interval(List<KlineCsv.Candle> candles)
    {
        var shortest = long.MaxValue;
        for (var i = 1; i < candles.Count; i++)
        {
            var gap = candles[i].OpenTime.UtcTicks - candles[i - 1].OpenTime.UtcTicks;
            if (gap > 0)
            {
                shortest = Math.Min(shortest, gap);
            }
        }

        if (shortest == long.MaxValue)
        {
            // One candle (or none ordered): its close time says how long it was (Binance: the last millisecond of it).
            shortest = candles[0].CloseTime is { } close ? close.UtcTicks - candles[0].OpenTime.UtcTicks + TimeSpan.TicksPerMillisecond : TimeSpan.TicksPerMinute;
        }

        // Whole seconds: Binance's shortest candle is one second, and its close time is one millisecond (or µs) short.
        return TimeSpan.FromSeconds(Math.Max(1, Math.Round((double)shortest / TimeSpan.TicksPerSecond)));
    }

    private IEnumerable<JournalRecord> ReadKlines()
    {
        var interval = CandleInterval!.Value;
        DateTimeOffset? previous = null;
        var first = true;
        foreach (var (line, fields) in ReadTextRows())
        {
            if (first && KlineCsv.IsHeader(fields))
            {
                // A header is not a row of data.
                Rows--;
                first = false;
                continue;
            }

            first = false;
            if (!KlineCsv.TryParse(fields, out var candle, out var error))
            {
                Bad(line, error);
                continue;
            }

            if (previous is { } last && candle.OpenTime <= last)
            {
                Bad(line, $"open time {candle.OpenTime:yyyy-MM-dd HH:mm:ss} is not after the previous candle's");
                continue;
            }

            previous = candle.OpenTime;

            // The close is the last trade of the candle: stamped at its close time, the last millisecond of its bar.
            var at = candle.CloseTime ?? candle.OpenTime + interval - TimeSpan.FromMilliseconds(1);
            yield return new JournalRecord.Signal(new PriceTick(Symbol!, candle.Close, at));
        }
    }

    private IEnumerable<JournalRecord> ReadJournalCsv()
    {
        var first = true;
        foreach (var (line, fields) in ReadTextRows())
        {
            if (first && string.Join(',', fields).Trim() == JournalFiles.CsvHeader)
            {
                Rows--;
                first = false;
                continue;
            }

            first = false;
            JournalRecord record;
            try
            {
                record = JournalFiles.FromCsv(fields);
            }
            catch (FormatException ex)
            {
                Bad(line, ex.Message);
                continue;
            }

            yield return record;
        }
    }

    private IEnumerable<JournalRecord> ReadJsonl()
    {
        using var stream = File.OpenRead(Path);
        using var reader = new StreamReader(stream);
        _progressTotal = Math.Max(1, stream.Length);
        long line = 0;
        while (reader.ReadLine() is { } text)
        {
            line++;
            Interlocked.Exchange(ref _progressDone, stream.Position);
            if (text.Trim().Length == 0)
            {
                continue;
            }

            Rows++;
            JournalRecord record;
            try
            {
                record = JournalFiles.FromJsonl(text);
            }
            catch (FormatException ex)
            {
                Bad(line, ex.Message);
                continue;
            }

            yield return record;
        }
    }

    private IEnumerable<(long Line, List<string> Fields)> ReadTextRows()
    {
        using var stream = File.OpenRead(Path);
        using var reader = new StreamReader(stream);
        _progressTotal = Math.Max(1, stream.Length);
        foreach (var row in JournalFiles.ReadCsv(reader))
        {
            Rows++;
            Interlocked.Exchange(ref _progressDone, stream.Position);
            yield return row;
        }
    }

    private IEnumerable<JournalRecord> ReadJournal(DateTimeOffset? from, DateTimeOffset? until)
    {
        using var database = JournalDatabase.OpenForReading(Path);
        _progressTotal = Math.Max(1, JournalSchema.Tables.Sum(table => database.Count(table, from, until)));
        foreach (var record in database.Read(from, until))
        {
            Rows++;
            Interlocked.Increment(ref _progressDone);
            yield return record;
        }
    }

    private static IEnumerable<JournalRecord> InRange(IEnumerable<JournalRecord> records, DateTimeOffset? from, DateTimeOffset? until)
    {
        foreach (var record in records)
        {
            if ((from is null || record.At >= from) && (until is null || record.At < until))
            {
                yield return record;
            }
        }
    }

    private void Bad(long line, string error)
    {
        BadRows++;
        if (_badRowSamples.Count < MaxBadRowSamples)
        {
            _badRowSamples.Add($"line {line.ToString(CultureInfo.InvariantCulture)}: {error}");
        }
    }
}
