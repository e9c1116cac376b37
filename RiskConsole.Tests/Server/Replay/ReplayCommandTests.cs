using System.Diagnostics;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Data.Sqlite;
using RiskConsole.Engine.Journal;
using RiskConsole.Tests.Core.History;
using RiskConsole.Tests.Engine.Journal;
using RiskConsole.Tests.Server.Infrastructure;

namespace RiskConsole.Tests.Server.Replay;

/// <summary>
/// The server process: killed in the middle of writing, its journal opens intact and lacks at most the last unflushed
/// batch; `replay` prints its summary and writes its outputs, refuses a file that is not what it claims with one line
/// and exit code 2; `export` writes JSONL and CSV that read back as the journal.
/// </summary>
[Category(TestCategories.EndToEnd)]
public sealed class ReplayCommandTests
{
    private string _folder = null!;

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "riskconsole-replay-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void DeleteFolder()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Test]
    public async Task AServerKilledMidWriteLosesAtMostItsLastUnflushedBatch()
    {
        var port = ServerProcess.FreePort();
        var start = ServerProcess.StartInfo(_folder, new Dictionary<string, string>
        {
            ["HOST"] = "127.0.0.1",
            ["PORT"] = ServerProcess.Text(port),
            ["Ingest__Mock__PriceTicksPerSecond"] = "200",
            ["Ingest__Mock__MarketUpdatesPerSecond"] = "20",
            ["Ingest__Mock__RedditPostsPerSecond"] = "10",
            ["Risk__BarSeconds"] = "0.1",
            ["Risk__PublishIntervalMs"] = "50",
            ["Risk__LatenessSeconds"] = "0.3",
            ["Risk__CryptoReturnSeconds"] = "1",
            ["Serilog__MinimumLevel__Default"] = "Warning",
            ["Serilog__MinimumLevel__Override__Microsoft.Hosting.Lifetime"] = "Information",
        });
        using var process = Process.Start(start)!;
        try
        {
            var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data?.Contains("Now listening on", StringComparison.Ordinal) == true)
                {
                    listening.TrySetResult();
                }
            };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));

            await using var hub = new HubConnectionBuilder().WithUrl($"http://127.0.0.1:{port}/hubs/risk").Build();
            var recorder = new HubRecorder(hub);
            await hub.StartAsync();
            var last = await recorder.Score(s => s.Seq >= 60, TimeSpan.FromSeconds(30));

            // No shutdown, no flush, no checkpoint: the process is gone mid-stream.
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();

            var path = Path.Combine(_folder, "journal", "journal.db");
            using var journal = JournalDatabase.OpenForReading(path);
            var scores = journal.Read().OfType<JournalRecord.Score>().Select(s => s.Value.Seq).ToList();
            await using var check = new SqliteConnection($"Data Source={path};Pooling=False");
            await check.OpenAsync();
            await using var command = check.CreateCommand();
            command.CommandText = "PRAGMA integrity_check";
            var integrity = (string?)await command.ExecuteScalarAsync();
            TestContext.Out.WriteLine($"client saw seq {last.Seq}; journal has {scores.Count} scores up to seq {scores.Max()}, {journal.Count("signals")} signals");
            Assert.Multiple(() =>
            {
                Assert.That(integrity, Is.EqualTo("ok"));
                Assert.That(scores, Is.Ordered.And.Unique);
                Assert.That(scores.Max(), Is.GreaterThanOrEqualTo(last.Seq - 10), "at most the last flush interval (100 ms = two 50 ms ticks, and the client's own lag) is missing");
                Assert.That(journal.Count("signals"), Is.GreaterThan(100));
            });
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    [Test]
    public async Task ReplayOfTheCrashFilePrintsTheSummaryAndWritesScoresAndAChart()
    {
        var scores = Path.Combine(_folder, "scores.csv");
        var chart = Path.Combine(_folder, "scores.png");
        var (exitCode, stdout, _) = await ServerProcess.RunToExitAsync(_folder, "replay", CandleReplay.PathOf(CandleReplay.Crash), "--out", scores, "--chart", chart);
        TestContext.Out.WriteLine(stdout);
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(0));
            Assert.That(stdout, Does.Contain("Binance kline CSV, BTCUSDT, 1 m candles: 1,500 rows, 0 bad"));
            Assert.That(stdout, Does.Match(@"score\s+p50 \d+\.\d  p90 \d+\.\d  p99 \d+\.\d  max 100\.0"));
            Assert.That(stdout, Does.Match(@"interrupts\s+\d+: 2021-05-19 \d\d:\d\d:\d\d \(\d+\.\d\)"));
            Assert.That(stdout, Does.Contain("crypto max"));
            Assert.That(File.ReadLines(scores).First(), Does.StartWith("at,score,warming_up,raw,crypto"));
            Assert.That(File.ReadLines(scores).Count(), Is.GreaterThan(1400));
            Assert.That(File.ReadAllBytes(chart).Take(8), Is.EqualTo(new byte[] { 137, 80, 78, 71, 13, 10, 26, 10 }));
            Assert.That(stdout, Does.Not.Contain("Now listening"), "a replay starts no server");
        });
    }

    [TestCase("notes.csv", "just,some\nwords,here\n", "is not a Binance kline CSV")]
    [TestCase("journal.db", "not sqlite", "is not a SQLite database")]
    [TestCase("missing.csv", null, "no such file")]
    public async Task AFileThatIsNotWhatItClaimsEndsWithOneLineAndExitCode2(string name, string? content, string expected)
    {
        var path = Path.Combine(_folder, name);
        if (content is not null)
        {
            await File.WriteAllTextAsync(path, content);
        }

        var (exitCode, stdout, stderr) = await ServerProcess.RunToExitAsync(_folder, "replay", path);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(2));
            Assert.That(lines, Has.Length.EqualTo(1), stdout);
            Assert.That(lines[0], Does.StartWith("replay: ").And.Contain(expected));
            Assert.That(stderr, Is.Empty);
        });
    }

    [Test]
    public async Task ExportWritesJsonlAndCsvThatReadBackAsTheJournalAndThatReplayTakes()
    {
        var path = Path.Combine(_folder, "journal.db");
        using (var writer = JournalDatabase.OpenForWriting(path, new JournalOptions()))
        {
            writer.Write(JournalSamples.Records().Select(JournalSamples.Payload).ToList());
        }

        var jsonl = await ServerProcess.RunToExitAsync(_folder, "export", path, "--out", Path.Combine(_folder, "all.jsonl"));
        var csv = await ServerProcess.RunToExitAsync(_folder, "export", path, "--out", Path.Combine(_folder, "part.csv"), "--from", "2026-03-01T12:00:03Z");
        var usage = await ServerProcess.RunToExitAsync(_folder, "export", path, "--out", Path.Combine(_folder, "x.txt"));
        var replay = await ServerProcess.RunToExitAsync(_folder, "replay", Path.Combine(_folder, "all.jsonl"));
        Assert.Multiple(() =>
        {
            Assert.That(jsonl.ExitCode, Is.EqualTo(0), jsonl.Stdout);
            Assert.That(jsonl.Stdout, Does.StartWith("exported 7 records"));
            Assert.That(global::RiskConsole.Engine.Replay.ReplayFile.Open(Path.Combine(_folder, "all.jsonl")).Read().ToList(), Is.EqualTo(JournalSamples.Records()));
            Assert.That(csv.ExitCode, Is.EqualTo(0), csv.Stdout);
            Assert.That(global::RiskConsole.Engine.Replay.ReplayFile.Open(Path.Combine(_folder, "part.csv")).Read().ToList(), Is.EqualTo(JournalSamples.Records().Skip(3)));
            Assert.That(usage.ExitCode, Is.EqualTo(2));
            Assert.That(replay.ExitCode, Is.EqualTo(0), replay.Stdout);
            Assert.That(replay.Stdout, Does.Contain("RiskConsole journal export (JSONL): 7 rows, 0 bad").And.Contain("reproduced"));
        });
    }
}
