using System.Globalization;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RiskConsole.Core.Contracts;
using RiskConsole.Core.Signals;
using RiskConsole.Engine.Publishing;
using RiskConsole.Engine.Scoring;

namespace RiskConsole.Engine.Journal;

/// <summary>
/// The signal journal: every accepted signal (from the monitor, in the order the engine took them) and every published
/// score, alert and interrupt (from the tap on the engine's port) go into a bounded queue that the router never waits
/// on, and one writer task stores them in SQLite in batches, one transaction per flush interval or per
/// <see cref="JournalOptions.BatchSize"/> rows. Losing rows is never silent: a full queue (the disk cannot keep up), a
/// write that fails (a full disk) and a database that cannot be opened (corrupt, locked) are counted, shown in /health
/// and announced by an alert; an unusable database is tried again every <see cref="JournalOptions.RetrySeconds"/>
/// while the console runs without it. A periodic cleanup keeps <see cref="JournalOptions.RetentionDays"/>.
/// </summary>
public sealed partial class SignalJournal : BackgroundService, IRiskHistory
{
    /// <summary>Queue-full drops are announced at most this often (the first at once), so a slow disk is one alert a minute, not one a row.</summary>
    public static readonly TimeSpan DropAlertInterval = TimeSpan.FromMinutes(1);

    private readonly JournalOptions _options;
    private readonly RiskMonitor _monitor;
    private readonly OutboundMailbox _outbound;
    private readonly TimeProvider _time;
    private readonly ILogger<SignalJournal> _logger;
    private readonly Channel<object> _queue;
    private readonly string _path;
    private readonly Lock _statusGate = new();

    // The writer task's own state: only ExecuteAsync touches these.
    private readonly List<object> _batch = [];
    private JournalDatabase? _database;
    private long _nextCleanupTimestamp;
    private long _queueDropsAnnounced;
    private long? _lastDropAlertTimestamp;
    private int _closed;

    // Status, read by /health and history from other threads.
    private string _state;
    private string? _detail;
    private string? _lastError;
    private DateTimeOffset? _lastErrorAt;
    private DateTimeOffset? _lastWriteAt;
    private long _written;
    private long _queueDrops;
    private long _writeDrops;

    public SignalJournal(IOptions<JournalOptions> options, RiskMonitor monitor, OutboundMailbox outbound, TimeProvider time, ILogger<SignalJournal> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _monitor = monitor;
        _outbound = outbound;
        _time = time;
        _logger = logger;
        _path = System.IO.Path.GetFullPath(_options.Path);
        _queue = Channel.CreateBounded<object>(new BoundedChannelOptions(_options.QueueCapacity)
        {
            SingleReader = true,
            SingleWriter = false,

            // Writers only ever call TryWrite, which in Wait mode fails when the queue is full: the row is counted as
            // dropped. (The Drop* modes would make TryWrite succeed and lose the row silently.)
            FullMode = BoundedChannelFullMode.Wait,
        });
        _state = _options.Enabled ? JournalStates.Starting : JournalStates.Disabled;
        _detail = _options.Enabled ? $"opening {_path}" : $"{JournalOptions.SectionName}:{nameof(JournalOptions.Enabled)} is false";
    }

    public string Path => _path;

    /// <summary>Rows written so far.</summary>
    public long RowsWritten => Interlocked.Read(ref _written);

    /// <summary>Rows lost so far: queue full, a failed write, or the database unavailable.</summary>
    public long RowsDropped => Interlocked.Read(ref _queueDrops) + Interlocked.Read(ref _writeDrops);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Subscribed before the router starts reading (this service is registered before it), so the journal has
        // every accepted signal from the first: a replay that starts later than the live run would not reproduce it.
        if (_options.Enabled)
        {
            _monitor.SignalAccepted += Record;
        }

        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _monitor.SignalAccepted -= Record;
        await base.StopAsync(cancellationToken);

        // A stop right after the start cancels ExecuteAsync before it ever runs: what was queued is written here then.
        if (_options.Enabled && ExecuteTask is null or { IsCompleted: true })
        {
            CloseOnce(openIfNeeded: true);
        }
    }

    /// <summary>The engine's port with the journal tapping it: what the router sends to the clients is recorded on the way.</summary>
    public IRiskClient Tap(IRiskClient clients) => new JournalTap(clients, this);

    /// <summary>Queues a signal, score, alert or interrupt; never waits. A full queue drops it and counts it.</summary>
    public void Record(object payload)
    {
        if (!_options.Enabled)
        {
            return;
        }

        if (!_queue.Writer.TryWrite(payload))
        {
            Interlocked.Increment(ref _queueDrops);
        }
    }

    private void Record(MarketSignal signal) => Record((object)signal);

    public JournalStatus Status()
    {
        lock (_statusGate)
        {
            return new JournalStatus(_state, _path, _detail, RowsWritten, RowsDropped, _queue.Reader.Count, _lastWriteAt, _lastError, _lastErrorAt);
        }
    }

    public Task<ScoreHistory> GetHistoryAsync(DateTimeOffset from, DateTimeOffset until, int maxPoints, CancellationToken cancellationToken = default)
    {
        if (!_options.Enabled)
        {
            return Task.FromResult(EmptyHistory(from, until, JournalStates.Disabled, _detail));
        }

        // SQLite's API is synchronous: the query runs on the pool, never on the caller's (a hub's) thread.
        return Task.Run(
            () =>
            {
                try
                {
                    using var database = JournalDatabase.OpenForReading(_path, _options.LockTimeoutSeconds);
                    var (scores, interrupts, bucket) = database.History(from, until, maxPoints);
                    var status = Status();
                    return new ScoreHistory(from, until, bucket.TotalSeconds, scores, interrupts, status.State, status.Detail);
                }
                catch (Exception ex) when (ex is SqliteException or JournalFormatException or IOException or UnauthorizedAccessException)
                {
                    // Not there yet (the writer is still opening it) or unusable: an empty history that says why.
                    var status = Status();
                    var state = status.State == JournalStates.Recording ? JournalStates.Unavailable : status.State;
                    return EmptyHistory(from, until, state, status.State == JournalStates.Recording ? Describe(ex) : status.Detail);
                }
            },
            cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            return Task.CompletedTask;
        }

        // SQLite blocks (each commit, and the WAL checkpoint's fsync every thousand pages): on a thread of its own, never
        // one of the pool's few (two on a two-core machine) that the router and the clients need.
        return Task.Factory.StartNew(() => WriteUntilStopped(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private void WriteUntilStopped(CancellationToken stoppingToken)
    {
        var flush = TimeSpan.FromMilliseconds(_options.FlushIntervalMs);
        try
        {
            while (true)
            {
                if (_database is null && !TryOpen())
                {
                    Wait(TimeSpan.FromSeconds(_options.RetrySeconds), stoppingToken);

                    // What came while the database was unusable cannot be written: counted, and told when it is back.
                    DiscardQueued();
                    continue;
                }

                if (!_queue.Reader.WaitToReadAsync(stoppingToken).AsTask().GetAwaiter().GetResult())
                {
                    break;
                }

                var full = WriteQueued();
                Maintain();
                if (!full)
                {
                    // Gather the next batch: one transaction per flush interval, not one per row.
                    Wait(flush, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the rest is written below.
        }
        finally
        {
            CloseOnce(openIfNeeded: false);
        }
    }

    /// <summary>Blocks the writer's own thread for <paramref name="delay"/> on the injected clock, or until stopping.</summary>
    private void Wait(TimeSpan delay, CancellationToken stoppingToken) => Task.Delay(delay, _time, stoppingToken).GetAwaiter().GetResult();

    public override void Dispose()
    {
        // The host may stop waiting for the writer (its shutdown timeout) and dispose this while the writer still
        // writes its last batch on its own thread; that thread closes the database itself when it ends (CloseOnce), so
        // disposing it here underneath would race it ("Collection was modified" inside SQLite's statement cleanup).
        if (ExecuteTask is null || ExecuteTask.IsCompleted)
        {
            _database?.Dispose();
            _database = null;
        }

        base.Dispose();
    }

    private static ScoreHistory EmptyHistory(DateTimeOffset from, DateTimeOffset to, string state, string? detail) =>
        new(from, to, 0, [], [], state, detail);

    /// <summary>Opens the database; on failure says why (once per new reason) and leaves the retry to the loop.</summary>
    private bool TryOpen()
    {
        try
        {
            _database = JournalDatabase.OpenForWriting(_path, _options);
            string? recovered;
            lock (_statusGate)
            {
                recovered = _state == JournalStates.Unavailable ? _lastError : null;
                _state = JournalStates.Recording;
                _detail = _database.JournalMode == "wal" ? $"writing to {_path}" : $"writing to {_path} (journal mode {_database.JournalMode}: the file system has no shared memory for WAL)";
            }

            _nextCleanupTimestamp = _time.GetTimestamp();
            LogOpened(_path, _database.JournalMode);
            if (recovered is not null)
            {
                Announce(AlertTypes.Info, $"Journal recording again at {_path}; {RowsDropped} rows could not be recorded while it was unavailable.");
            }

            return true;
        }
        catch (Exception ex) when (IsStorageFailure(ex))
        {
            _database?.Dispose();
            _database = null;
            var reason = Describe(ex);
            if (Fail(JournalStates.Unavailable, reason))
            {
                LogUnavailable(ex, _path, reason, _options.RetrySeconds);
                Announce(AlertTypes.Error, $"Journal unavailable: {reason}. The console runs without history and tries again every {_options.RetrySeconds.ToString(CultureInfo.InvariantCulture)} s.");
            }

            return false;
        }
    }

    /// <summary>Writes what is queued, up to one batch; returns whether the batch was full (more is waiting).</summary>
    private bool WriteQueued()
    {
        _batch.Clear();
        while (_batch.Count < _options.BatchSize && _queue.Reader.TryRead(out var payload))
        {
            _batch.Add(payload);
        }

        if (_batch.Count == 0)
        {
            return false;
        }

        try
        {
            _database!.Write(_batch);
            Interlocked.Add(ref _written, _batch.Count);
            bool recovered;
            lock (_statusGate)
            {
                recovered = _state == JournalStates.Failing;
                _state = JournalStates.Recording;
                _detail = $"writing to {_path}";
                _lastWriteAt = _time.GetUtcNow();
            }

            if (recovered)
            {
                LogRecovered(_path, RowsDropped);
                Announce(AlertTypes.Info, $"Journal recording again at {_path}; {RowsDropped} rows were dropped in all.");
            }
        }
        catch (Exception ex) when (IsStorageFailure(ex))
        {
            Interlocked.Add(ref _writeDrops, _batch.Count);
            var reason = Describe(ex);
            if (ex is SqliteException { SqliteErrorCode: JournalSchema.Full })
            {
                // The file is fine, there is just no room: keep it open and try again with the next batch.
                if (Fail(JournalStates.Failing, reason))
                {
                    LogWriteFailed(ex, _path, reason, _batch.Count);
                    Announce(AlertTypes.Error, $"Journal cannot write to {_path}: {reason}. Rows are dropped and counted ({RowsDropped} so far) until there is room again.");
                }
            }
            else
            {
                // Anything else may be a broken file or connection: start over from opening it.
                _database?.Dispose();
                _database = null;
                if (Fail(JournalStates.Unavailable, reason))
                {
                    LogUnavailable(ex, _path, reason, _options.RetrySeconds);
                    Announce(AlertTypes.Error, $"Journal unavailable: {reason}. The console runs without history and tries again every {_options.RetrySeconds.ToString(CultureInfo.InvariantCulture)} s.");
                }
            }
        }

        return _batch.Count == _options.BatchSize;
    }

    /// <summary>Records a failure; returns whether it is news (a new state or reason), which is logged and alerted once.</summary>
    private bool Fail(string state, string reason)
    {
        lock (_statusGate)
        {
            var news = _state != state || _lastError != reason;
            _state = state;
            _detail = reason;
            _lastError = reason;
            _lastErrorAt = _time.GetUtcNow();
            return news;
        }
    }

    private void DiscardQueued()
    {
        long discarded = 0;
        while (_queue.Reader.TryRead(out _))
        {
            discarded++;
        }

        Interlocked.Add(ref _writeDrops, discarded);
    }

    /// <summary>The periodic cleanup, and the alert for rows the full queue dropped.</summary>
    private void Maintain()
    {
        var now = _time.GetTimestamp();
        var queueDrops = Interlocked.Read(ref _queueDrops);
        if (queueDrops > _queueDropsAnnounced
            && (_lastDropAlertTimestamp is not { } last || _time.GetElapsedTime(last, now) >= DropAlertInterval))
        {
            var recent = queueDrops - _queueDropsAnnounced;
            _queueDropsAnnounced = queueDrops;
            _lastDropAlertTimestamp = now;
            LogQueueDrops(recent, _options.QueueCapacity, RowsDropped);
            Announce(AlertTypes.Warning, $"Journal dropped {recent} rows: the disk could not keep up (queue of {_options.QueueCapacity} full); {RowsDropped} dropped since start.");
        }

        if (_database is null || _time.GetElapsedTime(_nextCleanupTimestamp, now) < TimeSpan.Zero)
        {
            return;
        }

        _nextCleanupTimestamp = now + (long)(TimeSpan.FromMinutes(_options.CleanupIntervalMinutes).TotalSeconds * _time.TimestampFrequency);
        try
        {
            var cutoff = _time.GetUtcNow() - TimeSpan.FromDays(_options.RetentionDays);
            var deleted = _database.DeleteOlderThan(cutoff);
            if (deleted > 0)
            {
                LogCleanedUp(deleted, cutoff);
            }
        }
        catch (Exception ex) when (IsStorageFailure(ex))
        {
            // A cleanup that fails costs disk space, not data: it is tried again at the next interval.
            LogCleanupFailed(ex, Describe(ex));
        }
    }

    /// <summary>Closes once, from whichever of ExecuteAsync and StopAsync gets there (both only after the writer loop has ended).</summary>
    private void CloseOnce(bool openIfNeeded)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        if (openIfNeeded && _database is null && _queue.Reader.Count > 0)
        {
            TryOpen();
        }

        Close();
    }

    /// <summary>At shutdown: writes everything still queued, empties the WAL into the file, and closes it.</summary>
    private void Close()
    {
        if (_database is not null)
        {
            while (_queue.Reader.Count > 0 && _database is not null)
            {
                WriteQueued();
            }

            try
            {
                _database?.Checkpoint();
            }
            catch (Exception ex) when (IsStorageFailure(ex))
            {
                // The WAL stays beside the file and is applied at the next open: nothing is lost.
                LogCleanupFailed(ex, Describe(ex));
            }
        }

        DiscardQueued();
        _database?.Dispose();
        _database = null;
    }

    private void Announce(string type, string message) => _outbound.Alert(new AlertNotice(type, message, _time.GetUtcNow()));

    private static bool IsStorageFailure(Exception ex) =>
        ex is SqliteException or JournalFormatException or IOException or UnauthorizedAccessException;

    /// <summary>One line a user can act on: what SQLite or the file system said, without the error-code boilerplate.</summary>
    private string Describe(Exception ex)
    {
        var text = ex switch
        {
            JournalFormatException format => format.Message,
            SqliteException sqlite => $"{_path}: {sqlite.Message.Replace("SQLite Error ", "error ", StringComparison.Ordinal)}",
            _ => $"{_path}: {ex.Message}",
        };
        return text.ReplaceLineEndings(" ").TrimEnd('.');
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Journal recording to {Path} (journal mode {Mode})")]
    private partial void LogOpened(string path, string mode);

    [LoggerMessage(Level = LogLevel.Error, Message = "Journal {Path} unavailable: {Reason}; the console runs without history and tries again every {RetrySeconds} s")]
    private partial void LogUnavailable(Exception ex, string path, string reason, double retrySeconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Journal {Path} cannot write: {Reason}; {Rows} rows dropped, rows are dropped and counted until a write works")]
    private partial void LogWriteFailed(Exception ex, string path, string reason, int rows);

    [LoggerMessage(Level = LogLevel.Information, Message = "Journal {Path} writes again ({Dropped} rows dropped in all)")]
    private partial void LogRecovered(string path, long dropped);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Journal dropped {Rows} rows: the queue of {Capacity} was full (the disk cannot keep up); {Dropped} dropped since start")]
    private partial void LogQueueDrops(long rows, int capacity, long dropped);

    [LoggerMessage(Level = LogLevel.Information, Message = "Journal cleanup deleted {Rows} rows older than {Cutoff:O}")]
    private partial void LogCleanedUp(long rows, DateTimeOffset cutoff);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Journal cleanup or checkpoint failed ({Reason}); it is tried again later")]
    private partial void LogCleanupFailed(Exception ex, string reason);
}
