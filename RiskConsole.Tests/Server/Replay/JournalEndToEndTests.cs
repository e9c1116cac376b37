using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RiskConsole.Core.Contracts;
using RiskConsole.Core.Interrupts;
using RiskConsole.Core.Risk;
using RiskConsole.Engine.Replay;
using RiskConsole.Tests.Server.Infrastructure;

namespace RiskConsole.Tests.Server.Replay;

/// <summary>
/// The journal in the real server: what the server published comes back after a restart (GET /history and the hub's
/// GetHistory), a replay of what it recorded reproduces every published score exactly, and a database another process
/// has locked leaves the console running without history, saying so in /health, until the lock goes.
/// </summary>
[Category(TestCategories.EndToEnd)]
public sealed class JournalEndToEndTests
{
    private string _folder = null!;
    private string _path = null!;

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "riskconsole-journal-e2e-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        _path = Path.Combine(_folder, "journal.db");
    }

    [TearDown]
    public void DeleteFolder()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Test]
    public async Task HistorySurvivesARestartAndAReplayOfTheJournalReproducesEveryPublishedScore()
    {
        var settings = new Dictionary<string, string?> { ["Journal:Path"] = _path };
        RiskModelOptions model;
        InterruptPolicyOptions policy;
        RiskScoreUpdate last;
        await using (var server = RiskConsoleServer.Start(settings: settings))
        {
            await using var hub = server.CreateHub();
            var recorder = new HubRecorder(hub);
            await hub.StartAsync();
            last = await recorder.Score(s => s.Seq >= 40 && !s.Components.WarmingUp, TimeSpan.FromSeconds(30));
            model = server.Services.GetRequiredService<IOptions<RiskModelOptions>>().Value;
            policy = server.Services.GetRequiredService<IOptions<InterruptPolicyOptions>>().Value;
        }

        // Stopped: the journal has written everything it was given. Replayed through a new engine with the same settings:
        var file = ReplayFile.Open(_path);
        var run = new ReplayRun(model, policy);
        foreach (var record in file.Read())
        {
            run.Feed(record);
        }

        var reproduction = run.Finish().Reproduction;
        TestContext.Out.WriteLine($"{reproduction?.Compared} recorded scores, {reproduction?.Identical} reproduced exactly; {string.Join("; ", reproduction?.Differences ?? [])}");
        Assert.Multiple(() =>
        {
            Assert.That(file.Format, Is.EqualTo(ReplayFormat.Journal));
            Assert.That(reproduction, Is.Not.Null);
            Assert.That(reproduction!.Compared, Is.GreaterThanOrEqualTo(40));
            Assert.That(reproduction.Identical, Is.EqualTo(reproduction.Compared), "every published score, score and components to the last bit");
        });

        await using (var server = RiskConsoleServer.Start(settings: settings))
        {
            var http = await server.Http.GetFromJsonAsync<ScoreHistory>("/history?minutes=10&maxPoints=30", new JsonSerializerOptions(JsonSerializerDefaults.Web));
            await using var hub = server.CreateHub();
            await hub.StartAsync();
            var now = DateTimeOffset.UtcNow;
            var viaHub = await hub.InvokeAsync<ScoreHistory>(nameof(IRiskHub.GetHistory), now.AddMinutes(-10), now, 5);
            var refused = Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<ScoreHistory>(nameof(IRiskHub.GetHistory), now, now.AddMinutes(-1), 5));
            Assert.Multiple(() =>
            {
                Assert.That(http!.Scores, Is.Not.Empty);
                Assert.That(http.Scores, Has.Count.LessThanOrEqualTo(30));
                Assert.That(http.Scores.Sum(b => b.Count), Is.GreaterThanOrEqualTo(40), "the first run's scores are there after the restart");
                Assert.That(http.Scores.Any(b => b.From <= last.At && b.Max >= b.Last && b.Min <= b.Last), Is.True, "a bucket covers the last score the client saw");
                Assert.That(viaHub.Scores, Has.Count.InRange(1, 5));
                Assert.That(viaHub.Scores.Max(b => b.Max), Is.EqualTo(http.Scores.Max(b => b.Max)), "downsampling keeps the highest score");
                Assert.That(refused!.Message, Does.Contain("from must be before until"));
            });
        }
    }

    [Test]
    public async Task ALockedJournalLeavesTheServerRunningAndSayingSoUntilTheLockGoes()
    {
        var holder = new SqliteConnection($"Data Source={_path};Pooling=False");
        await holder.OpenAsync();
        await using (var command = holder.CreateCommand())
        {
            command.CommandText = "PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE";
            await command.ExecuteNonQueryAsync();
        }

        await using var server = RiskConsoleServer.Start(settings: new Dictionary<string, string?>
        {
            ["Journal:Path"] = _path,
            ["Journal:RetrySeconds"] = "0.5",
            ["Journal:LockTimeoutSeconds"] = "1",
        });
        await server.Logs.WaitForLine(l => l.Contains("Journal", StringComparison.Ordinal) && l.Contains("unavailable", StringComparison.Ordinal), "the journal saying it is unavailable");
        var locked = await JournalCheckAsync(server);
        await using var hub = server.CreateHub();
        var recorder = new HubRecorder(hub);
        await hub.StartAsync();
        await recorder.Score();
        await holder.DisposeAsync();
        var back = await recorder.Alert(a => a.Message.StartsWith("Journal recording again", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        var recording = await JournalCheckAsync(server);
        Assert.Multiple(() =>
        {
            Assert.That(locked.GetProperty("status").GetString(), Is.EqualTo("Degraded"));
            Assert.That(locked.GetProperty("description").GetString(), Does.StartWith("unavailable").And.Contain("locked"));
            Assert.That(back.AlertType, Is.EqualTo(AlertTypes.Info));
            Assert.That(recording.GetProperty("status").GetString(), Is.EqualTo("Healthy"));
            Assert.That(recording.GetProperty("data").GetProperty("state").GetString(), Is.EqualTo(JournalStates.Recording));
        });
    }

    private static async Task<JsonElement> JournalCheckAsync(RiskConsoleServer server)
    {
        using var response = await server.Http.GetAsync(new Uri("/health", UriKind.Relative));
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty("checks").GetProperty("journal").Clone();
    }
}
