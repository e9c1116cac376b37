using System.Globalization;
using Microsoft.Data.Sqlite;
using RiskConsole.Core.Contracts;
using RiskConsole.Core.Signals;
using RiskConsole.Hosting;

namespace RiskConsole.Engine.Journal;

/// <summary>
/// One open journal database: the writer's (WAL, batched inserts, retention, checkpoint) or a reader's (history,
/// replay, export). Not thread-safe: one caller at a time per instance; WAL lets one writer and any number of readers
/// (other instances, other processes) work at once.
/// </summary>
public sealed class JournalDatabase : IDisposable
{
    /// <summary>Interrupts one history answer lists at most (the newest are kept out only in an absurd range).</summary>
    public const int MaxHistoryInterrupts = 1_000;

    private const int DeleteChunk = 5_000;

    private readonly SqliteConnection _connection;
    private readonly string _path;
    private SqliteCommand? _insertSignal;
    private SqliteCommand? _insertScore;
    private SqliteCommand? _insertAlert;
    private SqliteCommand? _insertInterrupt;

    private JournalDatabase(SqliteConnection connection, string path)
    {
        _connection = connection;
        _path = path;
    }

    public string Path => _path;

    /// <summary>Journal time: UTC in 100-nanosecond units since 1970-01-01 (see <see cref="JournalSchema"/>).</summary>
    public static long ToStored(DateTimeOffset at) => at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;

    public static DateTimeOffset FromStored(long at) => new(at + DateTimeOffset.UnixEpoch.UtcTicks, TimeSpan.Zero);

    /// <summary>
    /// Opens (creating if needed) the journal for writing: its folder owner-only, a new file owner-only (SQLite gives its
    /// -wal and -shm files the same mode), WAL mode, the schema migrated, the size capped. Throws a
    /// <see cref="JournalFormatException"/> for a file that is no journal, and SqliteException or IOException otherwise.
    /// </summary>
    public static JournalDatabase OpenForWriting(string path, JournalOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var full = System.IO.Path.GetFullPath(path);
        DataFolder.Create(System.IO.Path.GetDirectoryName(full)!);
        if (!File.Exists(full))
        {
            try
            {
                // An empty file is an empty SQLite database; made here so it is owner-only from its first byte.
                using (new FileStream(full, DataFolder.NewFile(FileOptions.None)))
                {
                }
            }
            catch (IOException) when (File.Exists(full))
            {
                // Another process made it first: fine, it is opened below like any existing journal.
            }
        }

        var connection = Connect(full, SqliteOpenMode.ReadWrite, options.LockTimeoutSeconds);
        var database = new JournalDatabase(connection, full);
        try
        {
            // First what the file is: a damaged file or another application's database is refused before anything is set.
            JournalSchema.Version(connection, full);

            // WAL: readers (history, export, a replay of the live file) never block the writer, and a commit is one
            // append. synchronous=NORMAL: a crash of the process loses nothing committed; a power cut at most the last
            // commits, never the database.
            // Asked first: setting the mode takes a lock, and a journal already in WAL needs none (another process may
            // be writing it).
            var mode = database.Text("PRAGMA journal_mode");
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                mode = database.Text("PRAGMA journal_mode = WAL");
            }

            database.Execute("PRAGMA synchronous = NORMAL");
            JournalSchema.Migrate(connection, full);
            if (options.MaxSizeMegabytes > 0)
            {
                var pageSize = database.Number("PRAGMA page_size");
                database.Execute(string.Create(CultureInfo.InvariantCulture, $"PRAGMA max_page_count = {options.MaxSizeMegabytes * 1024L * 1024L / pageSize}"));
            }

            database.JournalMode = mode;
            database.PrepareInserts();
            return database;
        }
        catch
        {
            database.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens an existing journal for reading (a live one too: WAL lets it be read while the server writes). A missing
    /// file is a FileNotFoundException; a file that is no journal a <see cref="JournalFormatException"/>.
    /// </summary>
    public static JournalDatabase OpenForReading(string path, double lockTimeoutSeconds = 5)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"{full} does not exist", full);
        }

        // ReadWrite, not ReadOnly: reading a WAL database may need to create its -shm file. Nothing is written.
        var connection = Connect(full, SqliteOpenMode.ReadWrite, lockTimeoutSeconds);
        var database = new JournalDatabase(connection, full);
        try
        {
            if (JournalSchema.Version(connection, full) == 0)
            {
                throw new JournalFormatException($"{full} is an empty SQLite database, not a RiskConsole journal");
            }

            return database;
        }
        catch
        {
            database.Dispose();
            throw;
        }
    }

    /// <summary>What SQLite answered to journal_mode=WAL ("wal", or the mode it kept on a file system without shared memory).</summary>
    public string JournalMode { get; private set; } = "wal";

    /// <summary>Bytes of the database file and its WAL.</summary>
    public long SizeBytes()
    {
        long size = 0;
        foreach (var file in new[] { _path, _path + "-wal" })
        {
            if (File.Exists(file))
            {
                size += new FileInfo(file).Length;
            }
        }

        return size;
    }

    /// <summary>Writes queued payloads (signals, scores, alerts, interrupts) in one transaction: all of them or none.</summary>
    public void Write(IReadOnlyList<object> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (_insertSignal is null)
        {
            throw new InvalidOperationException("This journal was opened for reading.");
        }

        using var transaction = _connection.BeginTransaction();
        foreach (var command in new[] { _insertSignal, _insertScore!, _insertAlert!, _insertInterrupt! })
        {
            command.Transaction = transaction;
        }

        foreach (var payload in batch)
        {
            switch (payload)
            {
                case MarketSignal signal:
                    InsertSignal(signal);
                    break;
                case RiskScoreUpdate score:
                    InsertScore(score);
                    break;
                case AlertNotice alert:
                    Bind(_insertAlert!, ToStored(alert.At), alert.AlertType, alert.Message);
                    _insertAlert!.ExecuteNonQuery();
                    break;
                case InterruptNotice interrupt:
                    Bind(_insertInterrupt!, ToStored(interrupt.At), interrupt.RiskScore, interrupt.Forced ? 1 : 0, interrupt.Roast, interrupt.AudioUrl);
                    _insertInterrupt!.ExecuteNonQuery();
                    break;
            }
        }

        transaction.Commit();
    }

    /// <summary>Deletes every row older than <paramref name="cutoff"/>, in chunks so no single transaction grows large; returns how many.</summary>
    public long DeleteOlderThan(DateTimeOffset cutoff)
    {
        long deleted = 0;
        foreach (var table in JournalSchema.Tables)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = $"DELETE FROM {table} WHERE id IN (SELECT id FROM {table} WHERE at < $cutoff LIMIT {DeleteChunk})";
            command.Parameters.AddWithValue("$cutoff", ToStored(cutoff));
            int changed;
            do
            {
                changed = command.ExecuteNonQuery();
                deleted += changed;
            }
            while (changed == DeleteChunk);
        }

        return deleted;
    }

    /// <summary>Moves everything in the WAL into the database file and empties the WAL, so the file alone is a complete copy.</summary>
    public void Checkpoint() => Execute("PRAGMA wal_checkpoint(TRUNCATE)");

    /// <summary>Accepted signals in the order the engine took them, from <paramref name="from"/> (inclusive) to <paramref name="to"/> (exclusive).</summary>
    public IEnumerable<MarketSignal> ReadSignals(DateTimeOffset? from = null, DateTimeOffset? to = null)
    {
        foreach (var record in ReadTable("signals", from, to))
        {
            yield return ((JournalRecord.Signal)record).Value;
        }
    }

    /// <summary>How many rows of <paramref name="table"/> (one of <see cref="JournalSchema.Tables"/>) lie in the range.</summary>
    public long Count(string table, DateTimeOffset? from = null, DateTimeOffset? to = null)
    {
        if (!JournalSchema.Tables.Contains(table, StringComparer.Ordinal))
        {
            throw new ArgumentException($"No journal table '{table}'.", nameof(table));
        }

        using var command = RangeCommand($"SELECT count(*) FROM {table}", from, to, orderById: false);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>The earliest and latest time of any row, or nulls for an empty journal.</summary>
    public (DateTimeOffset? First, DateTimeOffset? Last) Span()
    {
        long? first = null, last = null;
        foreach (var table in JournalSchema.Tables)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = $"SELECT min(at), max(at) FROM {table}";
            using var reader = command.ExecuteReader();
            if (reader.Read() && !reader.IsDBNull(0))
            {
                first = Math.Min(first ?? long.MaxValue, reader.GetInt64(0));
                last = Math.Max(last ?? long.MinValue, reader.GetInt64(1));
            }
        }

        return (first is { } f ? FromStored(f) : null, last is { } l ? FromStored(l) : null);
    }

    /// <summary>
    /// Every row in the range, all four kinds merged by time; each kind keeps its own order (signals the order they
    /// were accepted in), so replaying the signals of this sequence is replaying the live run.
    /// </summary>
    public IEnumerable<JournalRecord> Read(DateTimeOffset? from = null, DateTimeOffset? to = null)
    {
        var streams = JournalSchema.Tables.Select(table => ReadTable(table, from, to).GetEnumerator()).ToList();
        try
        {
            var alive = streams.Select(s => s.MoveNext()).ToArray();
            while (true)
            {
                var next = -1;
                for (var i = 0; i < streams.Count; i++)
                {
                    // Strictly earlier wins, so at one time the kinds come in table order: the signal before the score it made.
                    if (alive[i] && (next < 0 || streams[i].Current.At < streams[next].Current.At))
                    {
                        next = i;
                    }
                }

                if (next < 0)
                {
                    yield break;
                }

                yield return streams[next].Current;
                alive[next] = streams[next].MoveNext();
            }
        }
        finally
        {
            foreach (var stream in streams)
            {
                stream.Dispose();
            }
        }
    }

    /// <summary>
    /// The published scores in [<paramref name="from"/>, <paramref name="to"/>) in at most <paramref name="maxPoints"/>
    /// buckets of equal length (min, max and last per bucket, so a one-score spike survives), and the interrupts.
    /// </summary>
    public (IReadOnlyList<ScoreBucket> Scores, IReadOnlyList<InterruptNotice> Interrupts, TimeSpan Bucket) History(DateTimeOffset from, DateTimeOffset to, int maxPoints)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoints, 1);
        var span = Math.Max(1, to.UtcTicks - from.UtcTicks);
        var bucket = Math.Max(1, (span + maxPoints - 1) / maxPoints);
        var scores = new List<ScoreBucket>();
        using (var command = _connection.CreateCommand())
        {
            command.CommandText = """
                SELECT g.bucket, g.lo, g.hi, g.n, g.last_at,
                       (SELECT s.score FROM scores s WHERE s.at = g.last_at ORDER BY s.id DESC LIMIT 1)
                FROM (SELECT (at - $from) / $bucket AS bucket, min(score) AS lo, max(score) AS hi, count(*) AS n, max(at) AS last_at
                      FROM scores WHERE at >= $from AND at < $to GROUP BY bucket) AS g
                ORDER BY g.bucket
                """;
            command.Parameters.AddWithValue("$from", ToStored(from));
            command.Parameters.AddWithValue("$to", ToStored(to));
            command.Parameters.AddWithValue("$bucket", bucket);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                scores.Add(new ScoreBucket(
                    FromStored(ToStored(from) + (reader.GetInt64(0) * bucket)),
                    FromStored(reader.GetInt64(4)),
                    reader.GetDouble(1),
                    reader.GetDouble(2),
                    reader.GetDouble(5),
                    reader.GetInt32(3)));
            }
        }

        var interrupts = new List<InterruptNotice>();
        using (var command = RangeCommand($"SELECT at, score, forced, roast, audio_url FROM interrupts", from, to, orderById: true, limit: MaxHistoryInterrupts))
        {
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                interrupts.Add(ReadInterrupt(reader));
            }
        }

        return (scores, interrupts, TimeSpan.FromTicks(bucket));
    }

    public void Dispose()
    {
        _insertSignal?.Dispose();
        _insertScore?.Dispose();
        _insertAlert?.Dispose();
        _insertInterrupt?.Dispose();
        _connection.Dispose();
    }

    private static SqliteConnection Connect(string path, SqliteOpenMode mode, double lockTimeoutSeconds)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = mode,

            // No pool: the writer holds its one connection for its life, and a reader's file handle must be gone when
            // it is disposed (a test, or an operator, may move the file away right after).
            Pooling = false,

            // Also SQLite's busy timeout: how long a statement waits for another connection's lock.
            // At least a second: 0 would mean "wait for ever" to ADO.NET.
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(lockTimeoutSeconds)),
        }.ToString());
        try
        {
            connection.Open();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void PrepareInserts()
    {
        _insertSignal = Insert("INSERT INTO signals (at, source, key, value, text, mock) VALUES ($p0, $p1, $p2, $p3, $p4, $p5)", 6);
        _insertScore = Insert(
            """
            INSERT INTO scores (at, seq, score, raw, crypto, polymarket, reddit, amplification, elevated, riskiest_symbol,
                crypto_volatility, polymarket_repricing, polymarket_shock, reddit_sentiment, warming_up, crypto_stale,
                polymarket_stale, reddit_stale)
            VALUES ($p0, $p1, $p2, $p3, $p4, $p5, $p6, $p7, $p8, $p9, $p10, $p11, $p12, $p13, $p14, $p15, $p16, $p17)
            """,
            18);
        _insertAlert = Insert("INSERT INTO alerts (at, type, message) VALUES ($p0, $p1, $p2)", 3);
        _insertInterrupt = Insert("INSERT INTO interrupts (at, score, forced, roast, audio_url) VALUES ($p0, $p1, $p2, $p3, $p4)", 5);
    }

    private SqliteCommand Insert(string sql, int parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < parameters; i++)
        {
            command.Parameters.Add(new SqliteParameter("$p" + i.ToString(CultureInfo.InvariantCulture), null));
        }

        return command;
    }

    private static void Bind(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            // SQLite has no NaN (it would store NULL anyway); null reads back as NaN or as a missing component.
            command.Parameters[i].Value = values[i] switch
            {
                null => DBNull.Value,
                double d when double.IsNaN(d) => DBNull.Value,
                var value => value,
            };
        }
    }

    private void InsertSignal(MarketSignal signal)
    {
        var (key, value, text) = signal switch
        {
            PriceTick tick => (tick.Symbol, tick.Price, (string?)null),
            MarketProbability market => (market.MarketId, market.Probability, market.Question),
            SentimentSample post => (post.SourceId, post.Compound, post.Text),
            _ => (null, 0d, null),
        };
        if (key is null)
        {
            // A signal type the engine does not know was never accepted; nothing to record.
            return;
        }

        Bind(_insertSignal!, ToStored(signal.Timestamp), signal.Source, key, value, text, signal.IsMock ? 1 : 0);
        _insertSignal!.ExecuteNonQuery();
    }

    private void InsertScore(RiskScoreUpdate score)
    {
        var c = score.Components;
        Bind(
            _insertScore!,
            ToStored(score.At),
            score.Seq,
            score.Score,
            c.Raw,
            c.Crypto,
            c.Polymarket,
            c.Reddit,
            c.Amplification,
            c.ElevatedCount,
            c.RiskiestSymbol,
            c.CryptoVolatilityAnnualized,
            c.PolymarketRepricing,
            c.PolymarketShock,
            c.RedditSentiment,
            c.WarmingUp ? 1 : 0,
            c.CryptoStale ? 1 : 0,
            c.PolymarketStale ? 1 : 0,
            c.RedditStale ? 1 : 0);
        _insertScore!.ExecuteNonQuery();
    }

    private IEnumerable<JournalRecord> ReadTable(string table, DateTimeOffset? from, DateTimeOffset? to)
    {
        var columns = table switch
        {
            "signals" => "at, source, key, value, text, mock",
            "scores" => "at, seq, score, raw, crypto, polymarket, reddit, amplification, elevated, riskiest_symbol, crypto_volatility, "
                + "polymarket_repricing, polymarket_shock, reddit_sentiment, warming_up, crypto_stale, polymarket_stale, reddit_stale",
            "alerts" => "at, type, message",
            _ => "at, score, forced, roast, audio_url",
        };
        using var command = RangeCommand($"SELECT {columns} FROM {table}", from, to, orderById: true);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            JournalRecord? record = table switch
            {
                "signals" => ReadSignal(reader),
                "scores" => new JournalRecord.Score(ReadScore(reader)),
                "alerts" => new JournalRecord.Alert(new AlertNotice(reader.GetString(1), reader.GetString(2), FromStored(reader.GetInt64(0)))),
                _ => new JournalRecord.Interrupt(ReadInterrupt(reader)),
            };
            if (record is not null)
            {
                yield return record;
            }
        }
    }

    private static JournalRecord.Signal? ReadSignal(SqliteDataReader reader)
    {
        var at = FromStored(reader.GetInt64(0));
        var key = reader.GetString(2);
        var value = reader.GetDouble(3);
        var text = reader.IsDBNull(4) ? null : reader.GetString(4);
        var mock = reader.GetInt64(5) != 0;
        MarketSignal? signal = reader.GetString(1) switch
        {
            DataSources.Crypto => new PriceTick(key, value, at, mock),
            DataSources.Polymarket => new MarketProbability(key, text ?? string.Empty, value, at, mock),
            DataSources.Reddit => new SentimentSample(key, value, at, text ?? string.Empty, mock),

            // A source a later console added: not a signal this engine can replay.
            _ => null,
        };
        return signal is null ? null : new JournalRecord.Signal(signal);
    }

    private static RiskScoreUpdate ReadScore(SqliteDataReader reader) => new(
        reader.GetDouble(2),
        new RiskComponents(
            Nullable(reader, 4),
            Nullable(reader, 5),
            Nullable(reader, 6),
            Nullable(reader, 3) ?? double.NaN,
            Nullable(reader, 7) ?? double.NaN,
            reader.GetInt32(8),
            reader.IsDBNull(9) ? null : reader.GetString(9),
            Nullable(reader, 10),
            Nullable(reader, 11),
            Nullable(reader, 12),
            Nullable(reader, 13),
            reader.GetInt64(14) != 0,
            reader.GetInt64(15) != 0,
            reader.GetInt64(16) != 0,
            reader.GetInt64(17) != 0),
        reader.GetInt64(1),
        FromStored(reader.GetInt64(0)));

    private static InterruptNotice ReadInterrupt(SqliteDataReader reader) => new(
        reader.GetString(3),
        reader.IsDBNull(4) ? null : reader.GetString(4),
        reader.GetDouble(1),
        reader.GetInt64(2) != 0,
        FromStored(reader.GetInt64(0)));

    private static double? Nullable(SqliteDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetDouble(column);

    private SqliteCommand RangeCommand(string select, DateTimeOffset? from, DateTimeOffset? to, bool orderById, int? limit = null)
    {
        var command = _connection.CreateCommand();
        var where = new List<string>();
        if (from is { } start)
        {
            where.Add("at >= $from");
            command.Parameters.AddWithValue("$from", ToStored(start));
        }

        if (to is { } end)
        {
            where.Add("at < $to");
            command.Parameters.AddWithValue("$to", ToStored(end));
        }

        command.CommandText = select
            + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : string.Empty)
            + (orderById ? " ORDER BY id" : string.Empty)
            + (limit is { } max ? " LIMIT " + max.ToString(CultureInfo.InvariantCulture) : string.Empty);
        return command;
    }

    private string Text(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture) ?? string.Empty;
    }

    private long Number(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
