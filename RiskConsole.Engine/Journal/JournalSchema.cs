using Microsoft.Data.Sqlite;

namespace RiskConsole.Engine.Journal;

/// <summary>
/// The journal's tables, versioned by SQLite's user_version: each migration runs once, in its own transaction, and
/// bumps the version, so a database written by an older console is brought up to date on open and one written by a
/// newer console is refused rather than misread.
/// <para>
/// Times (<c>at</c>) are UTC in 100-nanosecond units since 1970-01-01: exact to the tick, so a replay sees every
/// signal at the very moment the live engine did, and still readable in SQL (<c>datetime(at / 10000000, 'unixepoch')</c>).
/// Rows are kept in the order they happened (<c>id</c>); for signals that is the order the engine accepted them.
/// </para>
/// </summary>
internal static class JournalSchema
{
    /// <summary>SQLite's SQLITE_NOTADB: the file is not a database.</summary>
    public const int NotADatabase = 26;

    /// <summary>SQLite's SQLITE_FULL: the disk (or Journal:MaxSizeMegabytes) is full.</summary>
    public const int Full = 13;

    public static int CurrentVersion => Migrations.Length;

    private static readonly string[][] Migrations =
    [
        // 1: the first journal.
        [
            """
            CREATE TABLE signals (
                id INTEGER PRIMARY KEY,
                at INTEGER NOT NULL,
                source TEXT NOT NULL,
                key TEXT NOT NULL,
                value REAL NOT NULL,
                text TEXT,
                mock INTEGER NOT NULL)
            """,
            "CREATE INDEX signals_at ON signals (at)",
            """
            CREATE TABLE scores (
                id INTEGER PRIMARY KEY,
                at INTEGER NOT NULL,
                seq INTEGER NOT NULL,
                score REAL NOT NULL,
                raw REAL,
                crypto REAL,
                polymarket REAL,
                reddit REAL,
                amplification REAL,
                elevated INTEGER NOT NULL,
                riskiest_symbol TEXT,
                crypto_volatility REAL,
                polymarket_repricing REAL,
                polymarket_shock REAL,
                reddit_sentiment REAL,
                warming_up INTEGER NOT NULL,
                crypto_stale INTEGER NOT NULL,
                polymarket_stale INTEGER NOT NULL,
                reddit_stale INTEGER NOT NULL)
            """,
            "CREATE INDEX scores_at ON scores (at)",
            "CREATE TABLE alerts (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, type TEXT NOT NULL, message TEXT NOT NULL)",
            "CREATE INDEX alerts_at ON alerts (at)",
            "CREATE TABLE interrupts (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, score REAL NOT NULL, forced INTEGER NOT NULL, roast TEXT NOT NULL, audio_url TEXT)",
            "CREATE INDEX interrupts_at ON interrupts (at)",
        ],
    ];

    /// <summary>The tables a journal has, in the order a full read merges them.</summary>
    public static IReadOnlyList<string> Tables { get; } = ["signals", "scores", "alerts", "interrupts"];

    /// <summary>
    /// Brings the database to <see cref="CurrentVersion"/>. A new (empty) database gets every table; a journal of an
    /// older version gets the missing migrations; anything else is a <see cref="JournalFormatException"/>.
    /// </summary>
    public static void Migrate(SqliteConnection connection, string path)
    {
        var version = Version(connection, path);
        for (var next = version; next < CurrentVersion; next++)
        {
            using var transaction = connection.BeginTransaction();
            foreach (var statement in Migrations[next])
            {
                Execute(connection, transaction, statement);
            }

            Execute(connection, transaction, $"PRAGMA user_version = {next + 1}");
            transaction.Commit();
        }
    }

    /// <summary>The schema version of a journal (0 for a new, empty database); refuses a file that is no journal of ours.</summary>
    public static long Version(SqliteConnection connection, string path)
    {
        long version;
        long tables;
        try
        {
            version = Scalar(connection, "PRAGMA user_version");
            tables = Scalar(connection, "SELECT count(*) FROM sqlite_master WHERE type = 'table'");
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == NotADatabase)
        {
            throw new JournalFormatException($"{path} is not a SQLite database (the file is damaged or something else)", ex);
        }

        if (version > CurrentVersion)
        {
            throw new JournalFormatException($"{path} was written by a newer RiskConsole (journal schema {version}; this one knows up to {CurrentVersion})");
        }

        if (version == 0 && tables > 0)
        {
            throw new JournalFormatException($"{path} is a SQLite database but not a RiskConsole journal (it has other tables)");
        }

        return version;
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
