using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using RiskConsole.Core.Contracts;
using RiskConsole.Tests.Server.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace RiskConsole.Tests.Browser;

/// <summary>
/// The dashboard's chart fills from the signal journal (GET /history) when the page starts and after a reconnect: what
/// the server published before the page opened is drawn at once, with its interrupts, and a server restarted on the
/// same journal still gives a new page (and the open one) the scores of the first run. Each test its own journal file.
/// </summary>
[Category(TestCategories.EndToEnd)]
public sealed class DashboardHistoryTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// The page asks for 5 minutes in 1,200 buckets: 250 ms each, counted from the request's start, and draws each at its
    /// last score. A score is therefore drawn at its own time or up to a bucket later (where a later score shares its
    /// bucket); and the chart keeps one point per 250 ms slot of its own (aligned to the clock, not to the request), the
    /// later one, so a bucket's point can give way to the next bucket's if both fall in one slot: a score is drawn less
    /// than two buckets after its own time (CI once saw 300 ms, where one bucket was assumed).
    /// </summary>
    private const long Bucket = 250;

    private const long DrawnWithin = 2 * Bucket;

    private Chromium? _chromium;
    private IBrowserContext? _context;
    private readonly List<RiskConsoleServer> _servers = [];
    private string _folder = null!;
    private string _journal = null!;

    [OneTimeSetUp]
    public async Task StartBrowser()
    {
        _chromium = await Chromium.LaunchAsync();
        _context = await _chromium.Browser.NewContextAsync(new BrowserNewContextOptions { Locale = "en-US", TimezoneId = "UTC", ServiceWorkers = ServiceWorkerPolicy.Block });
        _context.SetDefaultTimeout(Chromium.WaitMilliseconds);
    }

    [OneTimeTearDown]
    public async Task StopBrowser()
    {
        if (_context is not null)
        {
            await _context.DisposeAsync();
        }

        if (_chromium is not null)
        {
            await _chromium.DisposeAsync();
        }
    }

    [SetUp]
    public void CreateJournalFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "riskconsole-dashboard-history-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        _journal = Path.Combine(_folder, "journal.db");
    }

    [TearDown]
    public async Task StopServersAndDeleteJournal()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }

        _servers.Clear();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Test]
    public async Task ScoresAndInterruptsPublishedBeforeThePageOpenedAreDrawnWhenItLoads()
    {
        var server = Start(port: 0);
        await using var hub = server.CreateHub();
        var recorder = new HubRecorder(hub);
        await hub.StartAsync();
        // A computed score (Seq ≥ 1): a new connection is first sent the latest reading, which right after start is
        // the empty one (Seq 0), never published to the journal.
        var before = await recorder.Score(s => s.Seq >= 1, TimeSpan.FromSeconds(30));
        var forced = await hub.InvokeAsync<ForceInterruptResult>(nameof(IRiskHub.ForceInterrupt));
        Assert.That(forced.Accepted, Is.True, forced.Message);
        var interrupt = await recorder.Interrupt(timeout: TimeSpan.FromSeconds(30));

        // A second of scores later the journal (which writes every 100 ms) has both; the server's own answer says so.
        await recorder.Score(s => s.At >= before.At.AddSeconds(1) && s.At >= interrupt.At.AddSeconds(1), TimeSpan.FromSeconds(30));
        var journal = await server.Http.GetFromJsonAsync<ScoreHistory>("/history?minutes=5&maxPoints=1200", Web);
        Assert.That(journal!.Scores.Any(b => b.From <= before.At), Is.True, "the journal holds the score published before the page opened");

        var page = await _context!.NewPageAsync();
        var probe = new PageProbe(page);
        var opened = DateTimeOffset.UtcNow;
        await page.GotoAsync(server.BaseAddress.ToString());
        var chart = page.Locator("#chart");
        await Expect(chart).ToHaveAttributeAsync("data-history", "loaded");
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#chart polyline.line').length > 0");
        var oldest = long.Parse((await chart.GetAttributeAsync("data-oldest-point"))!, CultureInfo.InvariantCulture);
        var marks = await page.Locator("#chart .interrupt-mark").CountAsync();
        await page.CloseAsync();
        Assert.Multiple(() =>
        {
            Assert.That(oldest, Is.LessThan(before.At.ToUnixTimeMilliseconds() + DrawnWithin), "the chart starts at (the bucket of) a score published before the page opened, or earlier");
            Assert.That(oldest, Is.LessThan(opened.ToUnixTimeMilliseconds() - 1000), "drawn from history, not only from what arrived live");
            Assert.That(marks, Is.EqualTo(1), "the interrupt from the journal is marked once");
            Assert.That(probe.Errors, Is.Empty);
            Assert.That(probe.FailedRequests, Is.Empty);
            Assert.That(probe.Requests, Has.Some.Contains("/history?minutes=5&maxPoints=1200"));
        });
    }

    [Test]
    public async Task AfterARestartOnTheSameJournalTheEarlierScoresAreStillDrawn()
    {
        var port = FreePort();
        var first = Start(port);
        RiskScoreUpdate early;
        await using (var hub = first.CreateHub())
        {
            var recorder = new HubRecorder(hub);
            await hub.StartAsync();
            // Computed scores only (Seq ≥ 1): the empty reading a new connection may get first is never journaled.
            early = await recorder.Score(s => s.Seq >= 1, TimeSpan.FromSeconds(30));
            await recorder.Score(s => s.At >= early.At.AddSeconds(1), TimeSpan.FromSeconds(30));
        }

        var open = await _context!.NewPageAsync();
        await open.GotoAsync(first.BaseAddress.ToString());
        var connection = open.Locator("#connection");
        await Expect(connection).ToHaveAttributeAsync("data-state", "connected");
        await Expect(open.Locator("#chart")).ToHaveAttributeAsync("data-history", "loaded");

        await first.DisposeAsync();
        _servers.Remove(first);
        await Expect(connection).ToHaveAttributeAsync("data-state", "reconnecting");
        var second = Start(port);
        await Expect(connection).ToHaveAttributeAsync("data-state", "connected");

        // A page opened (or refreshed) after the restart draws the first run's scores, read from the journal.
        var fresh = await _context.NewPageAsync();
        var probe = new PageProbe(fresh);
        await fresh.GotoAsync(second.BaseAddress.ToString());
        await Expect(fresh.Locator("#chart")).ToHaveAttributeAsync("data-history", "loaded");
        await fresh.WaitForFunctionAsync("() => document.querySelectorAll('#chart polyline.line').length > 0");
        var oldestFresh = long.Parse((await fresh.Locator("#chart").GetAttributeAsync("data-oldest-point"))!, CultureInfo.InvariantCulture);

        // The page that stayed open keeps them too, and moves on with the new server's scores.
        var oldestOpen = long.Parse((await open.Locator("#chart").GetAttributeAsync("data-oldest-point"))!, CultureInfo.InvariantCulture);
        var seq = await open.Locator("#score-seq").TextContentAsync();
        await Expect(open.Locator("#score-seq")).Not.ToHaveTextAsync(seq!);
        await fresh.CloseAsync();
        await open.CloseAsync();
        Assert.Multiple(() =>
        {
            Assert.That(oldestFresh, Is.LessThan(early.At.ToUnixTimeMilliseconds() + DrawnWithin), "a page opened after the restart draws the first run's scores");
            Assert.That(oldestOpen, Is.LessThan(early.At.ToUnixTimeMilliseconds() + DrawnWithin), "the open page keeps them across the reconnect");
            Assert.That(probe.Errors, Is.Empty);
            Assert.That(probe.FailedRequests, Is.Empty);
        });
    }

    [Test]
    public async Task HistoryMergedWithLiveScoresKeepsOnePointPerSlotAndOneMarkPerInterrupt()
    {
        var server = Start(port: 0);
        var page = await _context!.NewPageAsync();
        await page.GotoAsync(server.BaseAddress.ToString());

        // ScoreHistory on its own, in the page: live points, then a history overlapping them (as after a reconnect), twice.
        var merged = await page.EvaluateAsync<JsonElement>("""
            async () => {
              const { ScoreHistory } = await import('/js/chart.js');
              const h = new ScoreHistory({ keepMs: 60_000, resolutionMs: 250 });
              const t0 = 1_000_000_000_000;
              h.add(t0 + 1000, 10); h.add(t0 + 1100, 11); h.add(t0 + 1300, 12); h.addInterrupt(t0 + 1300, 12, false);
              const loaded = [{ t: t0, score: 5 }, { t: t0 + 1100, score: 11 }, { t: t0 + 1249, score: 11.5 }, { t: t0 + 1300, score: 12 }, { t: t0 + 1600, score: 13 }];
              const interrupts = [{ t: t0 + 1300, score: 12, forced: false }, { t: t0 + 1600, score: 13, forced: true }];
              h.load(loaded, interrupts);
              h.load(loaded, interrupts);
              h.add(t0 + 1700, 14);
              return { points: h.points.map(p => [p.t - t0, p.score]), interrupts: h.interrupts.map(i => [i.t - t0, i.forced]) };
            }
            """);
        await page.CloseAsync();
        var points = merged.GetProperty("points").EnumerateArray().Select(p => (T: p[0].GetInt64(), Score: p[1].GetDouble())).ToList();
        var interrupts = merged.GetProperty("interrupts").EnumerateArray().Select(i => (T: i[0].GetInt64(), Forced: i[1].GetBoolean())).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(points, Is.EqualTo(new[] { (0L, 5.0), (1249L, 11.5), (1300L, 12.0), (1700L, 14.0) }),
                "one point per 250 ms slot, the later score of a slot wins, and a live point after the history still merges into its slot");
            Assert.That(interrupts, Is.EqualTo(new[] { (1300L, false), (1600L, true) }), "an interrupt seen live and in the history is marked once");
        });
    }

    private RiskConsoleServer Start(int port)
    {
        var server = RiskConsoleServer.Start(settings: new Dictionary<string, string?> { ["Journal:Path"] = _journal }, port: port);
        _servers.Add(server);
        return server;
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
