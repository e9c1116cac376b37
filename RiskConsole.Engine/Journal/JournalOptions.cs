using RiskConsole.Core;
using RiskConsole.Hosting;

namespace RiskConsole.Engine.Journal;

/// <summary>The signal journal: where it is kept, for how long, and how it writes; bound from the configuration section "Journal".</summary>
public sealed class JournalOptions : IValidatableOptions
{
    public const string SectionName = "Journal";

    /// <summary>Whether every accepted signal, published score, alert and interrupt is recorded (and history served).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The SQLite database file. A relative path is resolved against the process's current directory. Default:
    /// <see cref="DefaultPath"/>. Its folder is created owner-only, like the audio cache's.
    /// </summary>
    public string Path { get; set; } = DefaultPath();

    /// <summary>Rows older than this many days are deleted by the periodic cleanup.</summary>
    public double RetentionDays { get; set; } = 7;

    /// <summary>How often the cleanup runs, in minutes (and once soon after the journal opens).</summary>
    public double CleanupIntervalMinutes { get; set; } = 60;

    /// <summary>
    /// Rows that may wait for the disk. Beyond this the router does not wait: the row is dropped, counted and announced
    /// by an alert. The default holds several seconds of a very busy market.
    /// </summary>
    public int QueueCapacity { get; set; } = 100_000;

    /// <summary>Most rows written in one transaction.</summary>
    public int BatchSize { get; set; } = 5_000;

    /// <summary>
    /// How long the writer gathers rows before it writes them in one transaction (the publish tick's default); also at
    /// most how much a crash of the process loses.
    /// </summary>
    public int FlushIntervalMs { get; set; } = 100;

    /// <summary>How long a write waits for another process's lock on the database before its batch counts as dropped.</summary>
    public double LockTimeoutSeconds { get; set; } = 5;

    /// <summary>How often a journal that could not be opened (corrupt, locked, not writable) is tried again.</summary>
    public double RetrySeconds { get; set; } = 30;

    /// <summary>The database never grows beyond this (MB); past it writes fail like on a full disk (dropped, counted, alerted). 0 = no limit.</summary>
    public int MaxSizeMegabytes { get; set; } = 4096;

    /// <summary>
    /// journal/journal.db in the console's data folder: riskconsole/ under the user's local application data
    /// (Linux: ~/.local/share/riskconsole/journal/journal.db), beside the audio cache.
    /// </summary>
    public static string DefaultPath() => System.IO.Path.Combine(DataFolder.Default("journal"), "journal.db");

    public IEnumerable<string> Validate()
    {
        string Key(string name) => $"{SectionName}:{name}";

        if (string.IsNullOrWhiteSpace(Path))
        {
            yield return $"{Key(nameof(Path))} must be a file path (was empty).";
        }
        else if (Path.IndexOfAny(System.IO.Path.GetInvalidPathChars()) >= 0)
        {
            yield return $"{Key(nameof(Path))} contains characters that are not valid in a path (was \"{Path}\").";
        }
        else if (Path.EndsWith('/') || Path.EndsWith('\\'))
        {
            yield return $"{Key(nameof(Path))} must name a file, not a folder (was \"{Path}\").";
        }

        if (!(RetentionDays is > 0 and <= 3650))
        {
            yield return $"{Key(nameof(RetentionDays))} must be greater than 0 and at most 3650 (was {RetentionDays}).";
        }

        if (!(CleanupIntervalMinutes is >= 1 and <= 1440))
        {
            yield return $"{Key(nameof(CleanupIntervalMinutes))} must be between 1 and 1440 (was {CleanupIntervalMinutes}).";
        }

        if (QueueCapacity is < 100 or > 10_000_000)
        {
            yield return $"{Key(nameof(QueueCapacity))} must be between 100 and 10000000 (was {QueueCapacity}).";
        }

        if (BatchSize is < 1 or > 100_000)
        {
            yield return $"{Key(nameof(BatchSize))} must be between 1 and 100000 (was {BatchSize}).";
        }

        if (FlushIntervalMs is < 1 or > 10_000)
        {
            yield return $"{Key(nameof(FlushIntervalMs))} must be between 1 and 10000 (was {FlushIntervalMs}).";
        }

        if (!(LockTimeoutSeconds is >= 1 and <= 600))
        {
            yield return $"{Key(nameof(LockTimeoutSeconds))} must be between 1 and 600 (was {LockTimeoutSeconds}).";
        }

        if (!(RetrySeconds is >= 0.1 and <= 3600))
        {
            yield return $"{Key(nameof(RetrySeconds))} must be between 0.1 and 3600 (was {RetrySeconds}).";
        }

        if (MaxSizeMegabytes is < 0 or > 1_000_000)
        {
            yield return $"{Key(nameof(MaxSizeMegabytes))} must be between 0 (no limit) and 1000000 (was {MaxSizeMegabytes}).";
        }
    }
}
