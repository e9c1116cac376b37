using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RiskConsole.Core.Contracts;
using RiskConsole.Core.Interrupts;
using RiskConsole.Core.Risk;
using RiskConsole.Core.Signals;
using RiskConsole.Engine.Journal;
using RiskConsole.Engine.Publishing;
using RiskConsole.Engine.Scoring;

namespace RiskConsole.Tests.Engine.Journal;

/// <summary>
/// The journal's writer on real SQLite and real time: nothing lost when the disk keeps up (10,000 signals a second),
/// drops counted and announced when it cannot, a full disk and a corrupt or locked file survived with an alert, and
/// recording resumed on its own once the file is usable again.
/// </summary>
public sealed class SignalJournalTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    // Recent times: the journal's first cleanup (soon after it opens) deletes rows older than Journal:RetentionDays.
    private readonly DateTimeOffset _start = DateTimeOffset.UtcNow.AddMinutes(-10);
    private string _folder = null!;
    private string _path = null!;
    private OutboundMailbox _mailbox = null!;
    private RiskMonitor _monitor = null!;
    private SignalJournal? _journal;

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "riskconsole-journal-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        _path = Path.Combine(_folder, "journal.db");
        _mailbox = new OutboundMailbox();
        _monitor = new RiskMonitor(new RiskEngine(new RiskModelOptions()), new InterruptPolicy(new InterruptPolicyOptions(), TimeProvider.System), TimeProvider.System);
    }

    [TearDown]
    public async Task StopAndDelete()
    {
        if (_journal is not null)
        {
            await _journal.StopAsync(CancellationToken.None);
            _journal.Dispose();
        }

        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Test]
    public async Task TenThousandSignalsASecondForThreeSecondsAreAllWritten()
    {
        await StartAsync(new JournalOptions { Path = _path });
        const int PerSecond = 10_000;
        var seconds = 3.0;
        var clock = Stopwatch.StartNew();
        var sent = 0;
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            // Paced like a busy market: whatever is due by now, then a short pause.
            var due = (int)(clock.Elapsed.TotalSeconds * PerSecond);
            for (; sent < due; sent++)
            {
                _journal!.Record(new PriceTick("BTCUSDT", 40_000 + (sent * 0.01), _start.AddTicks(sent * 1_000L)));
            }

            await Task.Delay(10);
        }

        var produced = clock.Elapsed;
        await _journal!.StopAsync(CancellationToken.None);
        var flushed = clock.Elapsed - produced;
        var size = new FileInfo(_path).Length;
        TestContext.Out.WriteLine($"{sent} signals in {produced.TotalSeconds:F2} s ({sent / produced.TotalSeconds:N0}/s); stop flushed the rest in {flushed.TotalMilliseconds:F0} ms; {size / 1024.0 / 1024:F1} MB, {(double)size / sent:F0} bytes a signal");
        using var reader = JournalDatabase.OpenForReading(_path);
        Assert.Multiple(() =>
        {
            Assert.That(_journal.RowsDropped, Is.Zero);
            Assert.That(_journal.RowsWritten, Is.EqualTo(sent));
            Assert.That(reader.Count("signals"), Is.EqualTo(sent));
            Assert.That(reader.ReadSignals().Last(), Is.EqualTo(new PriceTick("BTCUSDT", 40_000 + ((sent - 1) * 0.01), _start.AddTicks((sent - 1) * 1_000L))));
            Assert.That(File.Exists(_path + "-wal") ? new FileInfo(_path + "-wal").Length : 0, Is.Zero, "stopping checkpoints the WAL into the file");
        });
    }

    [Test]
    public async Task OnlyAcceptedSignalsAreRecordedInTheOrderTheEngineTookThem()
    {
        await StartAsync(new JournalOptions { Path = _path });
        var now = DateTimeOffset.UtcNow;
        var first = new PriceTick("BTCUSDT", 40_000, now);
        var second = new MarketProbability("m1", "Will it?", 0.4, now.AddMilliseconds(-500));
        Assert.Multiple(() =>
        {
            Assert.That(_monitor.Ingest(first), Is.EqualTo(SignalVerdict.Accepted));
            Assert.That(_monitor.Ingest(first), Is.EqualTo(SignalVerdict.Duplicate));
            Assert.That(_monitor.Ingest(new PriceTick("BTCUSDT", double.NaN, now)), Is.EqualTo(SignalVerdict.NotFinite));
            Assert.That(_monitor.Ingest(second), Is.EqualTo(SignalVerdict.Accepted));
        });

        await _journal!.StopAsync(CancellationToken.None);
        TestContext.Out.WriteLine(_journal.Status());
        using var reader = JournalDatabase.OpenForReading(_path);
        Assert.That(reader.ReadSignals().ToList(), Is.EqualTo(new MarketSignal[] { first, second }));
    }

    [Test]
    public async Task RowsTheDiskCannotTakeInTimeAreDroppedCountedAndAnnounced()
    {
        JournalDatabase.OpenForWriting(_path, new JournalOptions()).Dispose();
        await using var holder = await HoldWriteLockAsync(exclusive: false);
        await StartAsync(new JournalOptions { Path = _path, QueueCapacity = 100, BatchSize = 100, LockTimeoutSeconds = 30 });
        const int Sent = 10_000;
        for (var i = 0; i < Sent; i++)
        {
            _journal!.Record(new PriceTick("BTCUSDT", 40_000 + i, _start.AddSeconds(i)));
        }

        await holder.DisposeAsync();
        var alert = await NextAlertAsync(a => a.Message.StartsWith("Journal dropped", StringComparison.Ordinal));
        await _journal!.StopAsync(CancellationToken.None);
        using var reader = JournalDatabase.OpenForReading(_path);
        Assert.Multiple(() =>
        {
            Assert.That(alert.AlertType, Is.EqualTo(AlertTypes.Warning));
            Assert.That(alert.Message, Does.Contain("the disk could not keep up (queue of 100 full)"));
            Assert.That(_journal.RowsDropped, Is.GreaterThan(Sent / 2));
            Assert.That(_journal.RowsWritten + _journal.RowsDropped, Is.EqualTo(Sent), "every row is either written or counted");
            Assert.That(reader.Count("signals"), Is.EqualTo(_journal.RowsWritten));
        });
    }

    [Test]
    public async Task AFullDiskDropsAndCountsRowsWithAnAlertAndNoCrash()
    {
        await StartAsync(new JournalOptions { Path = _path, MaxSizeMegabytes = 1 });
        var text = new string('x', 1500);
        for (var i = 0; i < 3000; i++)
        {
            _journal!.Record(new SentimentSample("r/Bitcoin", 0.1, _start.AddSeconds(i), text + i));
        }

        var alert = await NextAlertAsync(a => a.Message.StartsWith("Journal cannot write", StringComparison.Ordinal));
        var status = _journal!.Status();
        Assert.Multiple(() =>
        {
            Assert.That(alert.AlertType, Is.EqualTo(AlertTypes.Error));
            Assert.That(alert.Message, Does.Contain("full"));
            Assert.That(status.State, Is.EqualTo(JournalStates.Failing));
            Assert.That(status.RowsDropped, Is.GreaterThan(0));
            Assert.That(status.LastError, Does.Contain("full"));
        });
        Assert.That(async () => await _journal.StopAsync(CancellationToken.None), Throws.Nothing);
    }

    [Test]
    public async Task ACorruptFileLeavesTheConsoleWithoutAJournalUntilItIsReplaced()
    {
        await File.WriteAllTextAsync(_path, new string('#', 4096));
        await StartAsync(new JournalOptions { Path = _path, RetrySeconds = 0.2 });
        var unavailable = await NextAlertAsync(a => a.Message.StartsWith("Journal unavailable", StringComparison.Ordinal));
        var status = _journal!.Status();
        _journal.Record(new PriceTick("BTCUSDT", 1, _start));

        // The operator moves the broken file away; the journal starts a new one at its next try.
        File.Move(_path, _path + ".broken");
        var back = await NextAlertAsync(a => a.Message.StartsWith("Journal recording again", StringComparison.Ordinal));
        _journal.Record(new PriceTick("BTCUSDT", 2, _start.AddSeconds(1)));
        await _journal.StopAsync(CancellationToken.None);
        using var reader = JournalDatabase.OpenForReading(_path);
        Assert.Multiple(() =>
        {
            Assert.That(unavailable.AlertType, Is.EqualTo(AlertTypes.Error));
            Assert.That(unavailable.Message, Does.Contain("is not a SQLite database").And.Contain("tries again every 0.2 s"));
            Assert.That(status.State, Is.EqualTo(JournalStates.Unavailable));
            Assert.That(back.AlertType, Is.EqualTo(AlertTypes.Info));
            Assert.That(_journal.Status().State, Is.EqualTo(JournalStates.Recording));
            Assert.That(reader.ReadSignals().Select(s => ((PriceTick)s).Price), Is.EqualTo(new[] { 2.0 }), "the signal queued while it was unavailable is counted as dropped");
            Assert.That(_journal.RowsDropped, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task ALockedFileIsRetriedUntilTheLockGoes()
    {
        var holder = await HoldWriteLockAsync(exclusive: true);
        await StartAsync(new JournalOptions { Path = _path, RetrySeconds = 0.2, LockTimeoutSeconds = 1 });
        var unavailable = await NextAlertAsync(a => a.Message.StartsWith("Journal unavailable", StringComparison.Ordinal));
        await holder.DisposeAsync();
        var back = await NextAlertAsync(a => a.Message.StartsWith("Journal recording again", StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            Assert.That(unavailable.Message, Does.Contain("locked"));
            Assert.That(back.AlertType, Is.EqualTo(AlertTypes.Info));
            Assert.That(_journal!.Status().State, Is.EqualTo(JournalStates.Recording));
        });
    }

    [Test]
    public async Task ADisabledJournalRecordsNothingAndSaysSo()
    {
        await StartAsync(new JournalOptions { Path = _path, Enabled = false });
        _journal!.Record(new PriceTick("BTCUSDT", 1, _start));
        var history = await _journal.GetHistoryAsync(_start, _start.AddHours(1), 10);
        Assert.Multiple(() =>
        {
            Assert.That(File.Exists(_path), Is.False);
            Assert.That(history.Journal, Is.EqualTo(JournalStates.Disabled));
            Assert.That(history.Scores, Is.Empty);
            Assert.That(_journal.Status().Detail, Is.EqualTo("Journal:Enabled is false"));
        });
    }

    private async Task StartAsync(JournalOptions options)
    {
        _journal = new SignalJournal(Options.Create(options), _monitor, _mailbox, TimeProvider.System, NullLogger<SignalJournal>.Instance);
        await _journal.StartAsync(CancellationToken.None);
    }

    /// <summary>Another connection holding the write lock (exclusive: nobody may even read) until disposed.</summary>
    private async Task<LockHolder> HoldWriteLockAsync(bool exclusive)
    {
        var connection = new SqliteConnection($"Data Source={_path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = exclusive ? "PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE" : "BEGIN IMMEDIATE";
        await command.ExecuteNonQueryAsync();
        return new LockHolder(connection);
    }

    private async Task<AlertNotice> NextAlertAsync(Func<AlertNotice, bool> match)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var seen = new List<string>();
        try
        {
            while (true)
            {
                if (await _mailbox.Reader.ReadAsync(timeout.Token) is OutboundMessage.Alert { Notice: var alert })
                {
                    seen.Add(alert.Message);
                    if (match(alert))
                    {
                        return alert;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new AssertionException($"no such alert within {Patience.TotalSeconds} s; alerts seen: {string.Join(" | ", seen)}; journal: {_journal?.Status()}");
        }
    }

    private sealed class LockHolder(SqliteConnection connection) : IAsyncDisposable
    {
        private bool _released;

        public async ValueTask DisposeAsync()
        {
            if (_released)
            {
                return;
            }

            _released = true;
            await connection.DisposeAsync();
        }
    }
}
