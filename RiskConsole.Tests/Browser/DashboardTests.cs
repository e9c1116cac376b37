using System.Globalization;
using System.Reflection;
using System.Runtime.Serialization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using RiskConsole.Core.Contracts;
using RiskConsole.Ingest;
using RiskConsole.Server.Delivery;
using RiskConsole.Server.Hubs;
using RiskConsole.Server.Security;
using RiskConsole.Tests.Ai.Voice;
using RiskConsole.Tests.Server.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace RiskConsole.Tests.Browser;

/// <summary>
/// The dashboard in real headless Chromium against the real server on Kestrel (mock feeds, fast test settings) and a
/// local stand-in for ElevenLabs that returns a playable MP3. One browser for the fixture, one page per test. Every wait
/// is an Expect-style or WaitFor* wait with a timeout; nothing sleeps. Screenshots (full page light and dark, the
/// interrupt overlay, a phone) are attached to the test results.
/// </summary>
[Category(TestCategories.EndToEnd)]
public sealed partial class DashboardTests
{
    private Chromium? _chromium;
    private FakeElevenLabsServer? _voice;
    private RiskConsoleServer? _server;
    private IBrowserContext? _context;
    private IPage? _page;
    private HubConnection? _hub;

    private RiskConsoleServer Server => _server ?? throw new InvalidOperationException("OneTimeSetUp did not run");

    [OneTimeSetUp]
    public async Task StartBrowserAndServer()
    {
        // The browser first: without it the fixture is skipped before any server starts.
        _chromium = await Chromium.LaunchAsync();
        _voice = await FakeElevenLabsServer.StartAsync();
        var mp3 = SilentMp3.Create();
        _voice.Default = async http =>
        {
            http.Response.ContentType = "audio/mpeg";
            await http.Response.Body.WriteAsync(mp3);
        };
        _server = RiskConsoleServer.Start(settings: new Dictionary<string, string?>
        {
            ["Ai:ElevenLabs:ApiKey"] = "xi-browser-test-key",
            ["Ai:ElevenLabs:BaseUrl"] = _voice.BaseUrl,
            // Every page of this fixture comes from 127.0.0.1; the per-address attempt limit is not what is tested here.
            ["Server:TestInterruptAttemptsPerMinute"] = "600",
        });
        _context = await NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
    }

    [OneTimeTearDown]
    public async Task StopBrowserAndServer()
    {
        if (_context is not null)
        {
            await _context.DisposeAsync();
        }

        if (_chromium is not null)
        {
            await _chromium.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (_voice is not null)
        {
            await _voice.DisposeAsync();
        }
    }

    [TearDown]
    public async Task ClosePageAndHub()
    {
        if (_page is not null)
        {
            await _page.CloseAsync();
            _page = null;
        }

        if (_hub is not null)
        {
            await _hub.DisposeAsync();
            _hub = null;
        }
    }

    [Test]
    public async Task ThePageLoadsWithoutErrorsStaysOnItsServerAndConnectsOverWebSockets()
    {
        var (page, probe) = await OpenAsync();
        var response = await page.GotoAsync(Server.BaseAddress.ToString());
        await ExpectConnectedWithAScoreAsync(page);
        await Expect(page.Locator("#source-list li.source")).ToHaveCountAsync(3);

        var origin = Server.BaseAddress.GetLeftPart(UriPartial.Authority);
        var csp = response is null ? null : await response.HeaderValueAsync(SecurityHeaders.ContentSecurityPolicyHeader);
        Assert.Multiple(() =>
        {
            Assert.That(response?.Status, Is.EqualTo(200));
            Assert.That(csp, Does.Contain("default-src 'none'").And.Contain("script-src 'self'").And.Contain("connect-src 'self'"));
            Assert.That(probe.Errors, Is.Empty, "console errors and uncaught exceptions");
            Assert.That(probe.FailedRequests, Is.Empty, "failed requests and 4xx/5xx answers");
            Assert.That(probe.Requests.Where(url => !url.StartsWith(origin, StringComparison.Ordinal)), Is.Empty, "every request goes to the page's own server");
            Assert.That(probe.Requests, Has.Some.EndsWith("/lib/signalr.min.js"), "the SignalR browser client copied from npm");
            Assert.That(probe.WebSockets, Has.Some.Contains("/hubs/risk?id="), "the hub connection is a WebSocket");
            Assert.That(probe.ClosedWebSockets, Is.Empty);
        });
    }

    [Test]
    public async Task TheScoreComponentsChartAndLiveDataUpdateFromTheMockFeeds()
    {
        _hub = Server.CreateHub();
        var published = new HubRecorder(_hub);
        await _hub.StartAsync();

        var (page, probe) = await OpenAsync();
        await page.GotoAsync(Server.BaseAddress.ToString());
        await ExpectConnectedWithAScoreAsync(page);
        var firstSeq = await page.Locator("#score-seq").TextContentAsync();
        await Expect(page.Locator("#score-seq")).Not.ToHaveTextAsync(firstSeq!);
        foreach (var component in new[] { "crypto", "polymarket", "reddit" })
        {
            var row = page.Locator($"[data-component='{component}']");
            await Expect(row).ToHaveAttributeAsync("data-state", "ok");
            await Expect(row.Locator(".bar-value")).ToHaveTextAsync(PercentText());
        }

        await Expect(page.Locator("[data-component='amplification'] .bar-value")).ToHaveTextAsync(AmplificationText());
        await Expect(page.Locator("#prices tr[data-symbol]").First).ToBeVisibleAsync();
        await Expect(page.Locator("#markets li.market").First).ToBeVisibleAsync();
        await Expect(page.Locator("#posts li.post").First).ToBeVisibleAsync();
        await Expect(page.Locator("#connection")).ToHaveAttributeAsync("data-data", "batches");
        Assert.That(Server.Services.GetRequiredService<HubAudience>().DataBatchConnections, Is.GreaterThanOrEqualTo(1), "the page takes its data as one DataBatch per tick");
        await Expect(page.Locator("#threshold-value")).ToHaveTextAsync("75");
        await page.WaitForFunctionAsync("() => (document.querySelector('#chart polyline.line')?.getAttribute('points') ?? '').split(' ').length >= 3");

        // What the page shows is what the server published under that sequence number (read together, in the page).
        var shown = await page.EvaluateAsync<JsonElement>("() => ({ seq: document.getElementById('score-seq').textContent, score: document.getElementById('score-value').textContent })");
        var seq = long.Parse(shown.GetProperty("seq").GetString()!.TrimStart('#'), CultureInfo.InvariantCulture);
        var same = await published.Score(update => update.Seq >= seq);
        var level = await page.Locator("#score-level-text").TextContentAsync();
        Assert.Multiple(() =>
        {
            Assert.That(same.Seq, Is.EqualTo(seq), "the test's own client received that score too");
            Assert.That(shown.GetProperty("score").GetString(), Is.EqualTo(same.Score.ToString("F1", CultureInfo.InvariantCulture)));
            Assert.That(level, Is.AnyOf("Low", "Elevated", "High", "Above threshold"), "the level is named, not only coloured");
            Assert.That(probe.Errors, Is.Empty);
        });
    }

    [Test]
    public async Task ASourceSwitchShowsInItsStatusWithItsReason()
    {
        var board = Server.Services.GetRequiredService<SourceStatusBoard>();
        var before = board.Get(DataSources.Polymarket)!;
        var (page, _) = await OpenAsync();
        await page.GotoAsync(Server.BaseAddress.ToString());
        await ExpectConnectedWithAScoreAsync(page);
        var card = page.Locator("#source-list li.source[data-source='polymarket']");
        await Expect(card).ToHaveAttributeAsync("data-mode", "mock");
        try
        {
            // The page polls GetStatus (every 5 s): the switch shows without a reload. (Unknown modes and the fields a
            // newer server adds are rendered in SourceCardsShowTheNewStatusFieldsWhenPresentAndDoNotNeedThem.)
            board.Report(DataSources.Polymarket, "down", healthy: false, "Polymarket CLOB unreachable: connection refused (browser test)");
            await Expect(card).ToHaveAttributeAsync("data-mode", "down");
            await Expect(card.Locator(".mode-text")).ToHaveTextAsync("down");
            await Expect(card).ToContainTextAsync("Polymarket CLOB unreachable: connection refused (browser test)");
            await Expect(card).ToContainTextAsync("unhealthy");
            await Expect(page.Locator("#source-list li.source[data-source='crypto']")).ToHaveAttributeAsync("data-mode", "mock");
        }
        finally
        {
            board.Report(DataSources.Polymarket, before.Mode, before.Healthy, before.Detail);
        }
    }

    [Test]
    public async Task SourceCardsShowTheNewStatusFieldsWhenPresentAndDoNotNeedThem()
    {
        var (page, probe) = await OpenAsync();
        await page.GotoAsync(Server.BaseAddress.ToString());

        // The card renderer on its own, in the page, with SourceStatus as a newer server sends it and as today's does.
        var cards = await page.EvaluateAsync<JsonElement>("""
            async () => {
              const { sourceCard } = await import('/js/panels.js');
              const now = Date.parse('2026-01-01T12:10:00Z');
              const render = status => { const c = sourceCard(status, { now }); return { mode: c.dataset.mode, text: c.textContent }; };
              return [
                render({ source: 'crypto', mode: 'down', healthy: false, detail: 'Binance unreachable, retrying', lastSignalAt: null,
                         since: '2026-01-01T12:05:00Z', messages: 12345, rejected: 7, errors: 3, lastMessageAt: '2026-01-01T12:04:58Z',
                         lastError: 'HTTP 429 Too Many Requests', lastErrorAt: '2026-01-01T12:09:30Z' }),
                render({ source: 'reddit', mode: 'connecting', healthy: true, detail: 'OAuth token requested', lastSignalAt: null }),
                render({ source: 'polymarket', mode: 'mock', healthy: true, detail: 'mock data (Ingest:Mode=mock)', lastSignalAt: '2026-01-01T12:09:58Z' }),
                render({ source: 'reddit', mode: 'mock', healthy: true, detail: 'mock data', lastSignalAt: '2026-01-01T12:09:59Z',
                         since: '2026-01-01T11:00:00Z', messages: 0, rejected: 0, errors: 0, lastMessageAt: null, lastError: null, lastErrorAt: null }),
                render({ source: 'crypto', mode: 'paused-by-operator', healthy: true, detail: null, lastSignalAt: null }),
              ];
            }
            """);
        var down = cards[0];
        var connecting = cards[1];
        var mock = cards[2];
        var mockNow = cards[3];
        var unknown = cards[4];
        Assert.Multiple(() =>
        {
            Assert.That(down.GetProperty("mode").GetString(), Is.EqualTo("down"));
            Assert.That(down.GetProperty("text").GetString(), Does.Contain("since").And.Contain("(5 min)").And.Contain("12,345 messages")
                .And.Contain("7 dropped").And.Contain("3 errors").And.Contain("last update 5 min ago").And.Contain("Binance unreachable, retrying")
                .And.Contain("last error (30 s ago): HTTP 429 Too Many Requests").And.Contain("unhealthy"));
            Assert.That(connecting.GetProperty("mode").GetString(), Is.EqualTo("connecting"));
            Assert.That(connecting.GetProperty("text").GetString(), Does.Contain("no update yet").And.Contain("OAuth token requested"));
            Assert.That(mock.GetProperty("mode").GetString(), Is.EqualTo("mock"));
            Assert.That(mock.GetProperty("text").GetString(), Does.Contain("last update 2 s ago").And.Not.Contain("messages").And.Not.Contain("since"));
            Assert.That(mockNow.GetProperty("text").GetString(), Does.Contain("since 11:00:00 (1 h 10 min)").And.Not.Contain("messages").And.Not.Contain("error"),
                "a mock source as today's server sends it: counts of 0 are not shown");
            Assert.That(unknown.GetProperty("mode").GetString(), Is.EqualTo("other"), "unknown modes get the neutral style");
            Assert.That(unknown.GetProperty("text").GetString(), Does.Contain("paused-by-operator"), "and are shown as they arrived");
            Assert.That(probe.Errors, Is.Empty);
        });
    }

    [Test]
    public async Task AComponentWithoutDataOrWithStaleDataIsShownAsSuchNotAsZero()
    {
        var (page, probe) = await OpenAsync();
        await page.GotoAsync(Server.BaseAddress.ToString());

        // The bar renderer on a copy of the page's own bars, with components as the server sends them when a source
        // never delivered (null, not stale), went quiet (null, stale) or scores (a number, here 0 for a calm source).
        var rows = await page.EvaluateAsync<JsonElement>("""
            async () => {
              const { renderComponents } = await import('/js/panels.js');
              const bars = document.getElementById('component-bars').cloneNode(true);
              renderComponents(bars, { crypto: null, cryptoStale: false, polymarket: null, polymarketStale: true, reddit: 0,
                                       redditSentiment: 1, raw: 0.1, amplification: 1, elevatedCount: 0, warmingUp: false },
                               { cryptoWeight: 0.4, polymarketWeight: 0.3, redditWeight: 0.3 });
              return Object.fromEntries([...bars.querySelectorAll('[data-component]')].map(row => [row.dataset.component, {
                state: row.dataset.state, value: row.querySelector('.bar-value').textContent, detail: row.querySelector('.bar-detail').textContent }]));
            }
            """);
        var crypto = rows.GetProperty("crypto");
        var polymarket = rows.GetProperty("polymarket");
        var reddit = rows.GetProperty("reddit");
        Assert.Multiple(() =>
        {
            Assert.That(crypto.GetProperty("state").GetString(), Is.EqualTo("missing"));
            Assert.That(crypto.GetProperty("value").GetString(), Is.EqualTo("no data"));
            Assert.That(crypto.GetProperty("detail").GetString(), Does.StartWith("no prices yet"));
            Assert.That(polymarket.GetProperty("state").GetString(), Is.EqualTo("stale"));
            Assert.That(polymarket.GetProperty("value").GetString(), Is.EqualTo("stale"));
            Assert.That(polymarket.GetProperty("detail").GetString(), Does.StartWith("stale: no recent market updates"));
            Assert.That(reddit.GetProperty("state").GetString(), Is.EqualTo("ok"), "0 is a score, not missing data");
            Assert.That(reddit.GetProperty("value").GetString(), Is.EqualTo("● 0 %"));
            Assert.That(probe.Errors, Is.Empty);
        });
    }

    [Test]
    public async Task ForceInterruptShowsTheOverlayWithTheRoastAndPlaysItsAudio_ASecondIsRefusedVisibly()
    {
        _hub = Server.CreateHub();
        var recorder = new HubRecorder(_hub);
        await _hub.StartAsync();
        var (page, probe) = await OpenAsync();
        await page.GotoAsync(Server.BaseAddress.ToString());
        await ExpectConnectedWithAScoreAsync(page);
        var force = page.Locator("#force-interrupt");
        await Expect(force).ToBeVisibleAsync();

        // Some history first, so the full-page screenshots below show a chart with the interrupt on it.
        await page.WaitForFunctionAsync("() => Number(document.getElementById('chart').dataset.spanMs) >= 12000", null, new PageWaitForFunctionOptions { Timeout = 40_000 });
        await force.ClickAsync();
        var interrupt = await recorder.Interrupt(timeout: TimeSpan.FromSeconds(30));
        var overlay = page.Locator("#interrupt");
        await Expect(overlay).ToBeVisibleAsync();
        await Expect(page.Locator("#interrupt-roast")).ToHaveTextAsync(interrupt.Roast);
        await Expect(page.Locator("#interrupt-title")).ToHaveTextAsync($"Risk {interrupt.RiskScore.ToString("F1", CultureInfo.InvariantCulture)}/100");
        await Expect(page.Locator("#interrupt-forced")).ToBeVisibleAsync();
        Assert.That(interrupt.AudioUrl, Does.StartWith("/audio/"), "the stand-in voice service answered");

        // The MP3 plays (the browser reports "playing"), or, where autoplay is refused, the play button is offered.
        await page.WaitForFunctionAsync(
            "() => ['audio-playing', 'audio-ended'].includes(document.getElementById('interrupt').dataset.voice) || !document.getElementById('interrupt-play').hidden",
            null,
            new PageWaitForFunctionOptions { Timeout = Chromium.WaitMilliseconds });
        var voice = await overlay.GetAttributeAsync("data-voice");
        var audioSource = await page.EvaluateAsync<string>("() => document.getElementById('interrupt-audio').currentSrc");
        await ScreenshotAsync(page, "interrupt-overlay.png", "The interrupt overlay", fullPage: false);
        await Expect(page.Locator("#alert-log li[data-type='interrupt']").First).ToContainTextAsync("Forced interrupt at");
        await Expect(page.Locator("#chart .interrupt-mark")).Not.ToHaveCountAsync(0);

        await page.Keyboard.PressAsync("Escape");
        await Expect(overlay).ToBeHiddenAsync();
        var focused = await page.EvaluateAsync<string>("() => document.activeElement?.id");
        await ScreenshotAsync(page, "dashboard-light.png", "The dashboard on mock data after a forced interrupt, light", fullPage: true);
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = ColorScheme.Dark });
        await ScreenshotAsync(page, "dashboard-dark.png", "The dashboard on mock data after a forced interrupt, dark", fullPage: true);
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = ColorScheme.Light });

        // Forced interrupts are limited (Risk:ForcedMinimumIntervalSeconds, 10 s): the refusal is shown as the server said it.
        await force.ClickAsync();
        await Expect(page.Locator("#action-message")).ToHaveAttributeAsync("data-kind", "error");
        await Expect(page.Locator("#action-message")).ToHaveTextAsync(new Regex("^Force interrupt refused: (Forced interrupts are limited; retry in \\d+ s\\.|An interrupt is already in progress.*)$"));
        Assert.Multiple(() =>
        {
            Assert.That(voice, Is.AnyOf("audio-playing", "audio-ended"), "autoplay is allowed in this browser (--autoplay-policy), so the audio plays");
            Assert.That(audioSource, Does.EndWith(interrupt.AudioUrl));
            Assert.That(focused, Is.EqualTo("force-interrupt"), "focus returns to where it was before the overlay");
            Assert.That(probe.FailedRequests, Is.Empty);
            Assert.That(probe.Errors, Is.Empty);
        });
    }

    [Test]
    public async Task AnInterruptWithoutAudioIsReadBySpeechSynthesis_AndMuteSilencesItAcrossAReload()
    {
        var (page, probe) = await OpenAsync();
        await page.AddInitScriptAsync("""
            window.__spoken = [];
            const speak = window.speechSynthesis.speak.bind(window.speechSynthesis);
            window.speechSynthesis.speak = utterance => { window.__spoken.push(utterance.text); speak(utterance); };
            """);
        await page.GotoAsync(Server.BaseAddress.ToString());
        await ExpectConnectedWithAScoreAsync(page);

        const string Roast = "Browser test roast: the market is as calm as a cat on a heated keyboard.";
        await PushInterruptAsync(new InterruptNotice(Roast, null, 42.5, false, DateTimeOffset.UtcNow));
        await Expect(page.Locator("#interrupt-roast")).ToHaveTextAsync(Roast);
        await page.WaitForFunctionAsync($"() => window.__spoken.includes({JsonSerializer.Serialize(Roast)})");
        await Expect(page.Locator("#interrupt")).ToHaveAttributeAsync("data-voice", "speech");
        await page.Locator("#interrupt-dismiss").ClickAsync();
        await Expect(page.Locator("#interrupt")).ToBeHiddenAsync();

        await page.Locator("#mute").ClickAsync();
        await Expect(page.Locator("#mute")).ToHaveAttributeAsync("aria-pressed", "true");
        await page.ReloadAsync();
        await ExpectConnectedWithAScoreAsync(page);
        await Expect(page.Locator("#mute")).ToHaveAttributeAsync("aria-pressed", "true");
        const string Second = "Browser test roast while muted.";
        await PushInterruptAsync(new InterruptNotice(Second, null, 43.5, false, DateTimeOffset.UtcNow));
        await Expect(page.Locator("#interrupt-roast")).ToHaveTextAsync(Second);
        await Expect(page.Locator("#interrupt")).ToHaveAttributeAsync("data-voice", "muted");
        var spokenWhileMuted = await page.EvaluateAsync<int>("() => window.__spoken.length");
        await page.Locator("#interrupt-dismiss").ClickAsync();
        await page.Locator("#mute").ClickAsync();
        await Expect(page.Locator("#mute")).ToHaveAttributeAsync("aria-pressed", "false");
        Assert.Multiple(() =>
        {
            Assert.That(spokenWhileMuted, Is.Zero);
            Assert.That(probe.Errors, Is.Empty);
        });
    }

    [Test]
    public async Task WhenTheBrowserBlocksAutoplayAPlayButtonIsOffered()
    {
        var (page, _) = await OpenAsync();
        await page.AddInitScriptAsync("HTMLMediaElement.prototype.play = function () { return Promise.reject(new DOMException('blocked by the test', 'NotAllowedError')); };");
        await page.GotoAsync(Server.BaseAddress.ToString());
        await ExpectConnectedWithAScoreAsync(page);

        await PushInterruptAsync(new InterruptNotice("Roast with audio the browser will not autoplay.", "/audio/autoplay-check.mp3", 77.7, false, DateTimeOffset.UtcNow));
        await Expect(page.Locator("#interrupt-play")).ToBeVisibleAsync();
        await Expect(page.Locator("#interrupt-play")).ToBeFocusedAsync();
        await Expect(page.Locator("#interrupt")).ToHaveAttributeAsync("data-voice", "audio-blocked");
        await Expect(page.Locator("#interrupt-voice-note")).ToHaveTextAsync("Your browser blocked autoplay.");
    }

    [Test]
    public async Task TheStatisticsPanelShowsWhatGetStatisticsReturned_AndStatusWhatGetStatusReturned()
    {
        _hub = Server.CreateHub();
        await _hub.StartAsync();
        var (page, probe) = await OpenAsync();
        await page.GotoAsync(Server.BaseAddress.ToString());
        await ExpectConnectedWithAScoreAsync(page);

        var before = await _hub.InvokeAsync<RiskStatistics>(nameof(IRiskHub.GetStatistics));
        await page.Locator("#show-statistics").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#details")).ToBeVisibleAsync();
        await Expect(page.Locator("#details-title")).ToHaveTextAsync("Statistics");
        await Expect(page.Locator("#details-table tr[data-field='totalUpdates']")).ToBeVisibleAsync();
        var after = await _hub.InvokeAsync<RiskStatistics>(nameof(IRiskHub.GetStatistics));
        var shown = await DetailsAsync(page);
        var focused = await page.EvaluateAsync<string>("() => document.activeElement?.id");

        string[] expected = [.. WireNames(typeof(RiskStatistics)).SelectMany(name => name == "normalizerStats"
            ? WireNames(typeof(NormalizerStats)).Select(inner => $"{name}.{inner}")
            : [name])];
        Assert.Multiple(() =>
        {
            Assert.That(shown.Keys, Is.EquivalentTo(expected), "every field GetStatistics returns, and nothing else");
            Assert.That(Number(shown["totalUpdates"]), Is.InRange(before.TotalUpdates, after.TotalUpdates));
            Assert.That(Number(shown["interruptCount"]), Is.InRange(before.InterruptCount, after.InterruptCount));
            Assert.That(Number(shown["forcedInterruptCount"]), Is.InRange(before.ForcedInterruptCount, after.ForcedInterruptCount));
            Assert.That(Number(shown["normalizerStats.historySize"]), Is.InRange(Math.Min(before.NormalizerStats.HistorySize, after.NormalizerStats.HistorySize), Math.Max(before.NormalizerStats.HistorySize, after.NormalizerStats.HistorySize)));
            Assert.That(shown["rejectedSignals"], Is.EqualTo(after.RejectedSignals.Count == 0 ? "none" : shown["rejectedSignals"]));
            Assert.That(focused, Is.EqualTo("details-title"), "keyboard users land in the panel they opened");
        });

        await page.Locator("#show-status").ClickAsync();
        await Expect(page.Locator("#details-title")).ToHaveTextAsync("Status");
        await Expect(page.Locator("#details-table tr[data-field='connections']")).ToBeVisibleAsync();
        var status = await DetailsAsync(page);
        Assert.Multiple(() =>
        {
            Assert.That(status.Keys, Is.SupersetOf(new[] { "isRunning", "connections", "sources", "ai", "at", "statistics.totalUpdates", "statistics.normalizerStats.mean" }));
            Assert.That(status["isRunning"], Is.EqualTo("yes"));
            Assert.That(Number(status["connections"]), Is.GreaterThanOrEqualTo(2), "this page and the test's own client");
            Assert.That(status["sources"], Does.Contain("source: crypto").And.Contain("mode: mock"));
            Assert.That(probe.Errors, Is.Empty);
        });
    }

    [Test]
    public async Task AtAPhoneViewportThePageHasNoHorizontalScroll()
    {
        await using var phone = await NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            DeviceScaleFactor = 2,
            IsMobile = true,
            HasTouch = true,
        });
        var page = await phone.NewPageAsync();
        var probe = new PageProbe(page);
        await page.GotoAsync(Server.BaseAddress.ToString());
        await ExpectConnectedWithAScoreAsync(page);
        await Expect(page.Locator("#prices tr[data-symbol]").First).ToBeVisibleAsync();
        await Expect(page.Locator("#posts li.post").First).ToBeVisibleAsync();
        await Expect(page.Locator("#markets li.market").First).ToBeVisibleAsync();
        await Expect(page.Locator("#source-list li.source")).ToHaveCountAsync(3);

        var widths = await page.EvaluateAsync<JsonElement>("() => ({ page: document.documentElement.scrollWidth, body: document.body.scrollWidth, viewport: window.innerWidth })");
        await ScreenshotAsync(page, "dashboard-phone.png", "The dashboard at 390 x 844", fullPage: true);
        Assert.Multiple(() =>
        {
            Assert.That(widths.GetProperty("viewport").GetInt32(), Is.EqualTo(390));
            Assert.That(widths.GetProperty("page").GetInt32(), Is.LessThanOrEqualTo(390), "document scroll width");
            Assert.That(widths.GetProperty("body").GetInt32(), Is.LessThanOrEqualTo(390), "body scroll width");
            Assert.That(probe.Errors, Is.Empty);
        });
    }

    [Test]
    public async Task EveryControlIsReachableByKeyboardAndScoreAndAlertsAreAnnounced()
    {
        var (page, _) = await OpenAsync();
        await page.GotoAsync(Server.BaseAddress.ToString());
        await ExpectConnectedWithAScoreAsync(page);
        await Expect(page.Locator("#force-interrupt")).ToBeVisibleAsync();

        var order = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            order.Add(await page.EvaluateAsync<string>("() => document.activeElement?.id || document.activeElement?.className || document.activeElement?.tagName"));
        }

        await Expect(page.Locator("#score-announcer")).Not.ToBeEmptyAsync();
        var announced = await page.Locator("#score-announcer").TextContentAsync();
        var live = await page.Locator("#score-announcer").GetAttributeAsync("aria-live");
        var log = await page.Locator("#alert-log").GetAttributeAsync("role");
        var connection = await page.Locator("#connection").GetAttributeAsync("role");
        var dialog = await page.Locator("#interrupt-dialog").GetAttributeAsync("role");
        Assert.Multiple(() =>
        {
            Assert.That(order[0], Is.EqualTo("skip-link"), "the first stop skips to the dashboard");
            Assert.That(order.Where(id => id is "mute" or "show-status" or "show-statistics" or "force-interrupt"),
                Is.EqualTo(new[] { "mute", "show-status", "show-statistics", "force-interrupt" }), "the header controls, in reading order");
            Assert.That(live, Is.EqualTo("polite"));
            Assert.That(announced, Does.Match("^Risk \\d+ of 100, (low|elevated|high|above threshold)"));
            Assert.That(log, Is.EqualTo("log"), "alerts are a live log");
            Assert.That(connection, Is.EqualTo("status"));
            Assert.That(dialog, Is.EqualTo("alertdialog"));
        });
    }

    private async Task<IBrowserContext> NewContextAsync(BrowserNewContextOptions options)
    {
        options.Locale = "en-US";
        options.TimezoneId = "UTC";
        options.ServiceWorkers = ServiceWorkerPolicy.Block;
        var context = await _chromium!.Browser.NewContextAsync(options);
        context.SetDefaultTimeout(Chromium.WaitMilliseconds);
        return context;
    }

    private async Task<(IPage Page, PageProbe Probe)> OpenAsync()
    {
        _page = await _context!.NewPageAsync();
        return (_page, new PageProbe(_page));
    }

    private static async Task ExpectConnectedWithAScoreAsync(IPage page)
    {
        await Expect(page.Locator("#connection")).ToHaveAttributeAsync("data-state", "connected");
        await Expect(page.Locator("#score-value")).ToHaveTextAsync(ScoreText());
    }

    private async Task PushInterruptAsync(InterruptNotice notice)
    {
        var hub = Server.Services.GetRequiredService<IHubContext<RiskHub, IRiskClient>>();
        await hub.Clients.Group(RiskTopics.Risk).Interrupt(notice);
    }

    private static async Task<Dictionary<string, string>> DetailsAsync(IPage page) =>
        (await page.EvaluateAsync<Dictionary<string, string>>(
            "() => Object.fromEntries([...document.querySelectorAll('#details-table tr[data-field]')].map(r => [r.dataset.field, r.querySelector('td').textContent]))"))!;

    private static IEnumerable<string> WireNames(Type contract) =>
        contract.GetProperties().Select(p => p.GetCustomAttribute<DataMemberAttribute>()?.Name).OfType<string>();

    private static double Number(string shown) => double.Parse(shown.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);

    private static async Task ScreenshotAsync(IPage page, string name, string description, bool fullPage)
    {
        var directory = Path.Combine(TestContext.CurrentContext.WorkDirectory, "screenshots");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = fullPage, Animations = ScreenshotAnimations.Disabled });
        TestContext.AddTestAttachment(path, description);
    }

    [GeneratedRegex(@"^\d{1,3}\.\d$")]
    private static partial Regex ScoreText();

    [GeneratedRegex(@"^. \d{1,3} %$")]
    private static partial Regex PercentText();

    [GeneratedRegex(@"^×\d\.\d\d$")]
    private static partial Regex AmplificationText();
}
