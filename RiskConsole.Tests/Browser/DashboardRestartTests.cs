using System.Net;
using System.Net.Sockets;
using Microsoft.Playwright;
using RiskConsole.Tests.Server.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace RiskConsole.Tests.Browser;

/// <summary>
/// The page across a server restart: the server is stopped under an open page and a new one started on the same port.
/// The page says it is reconnecting, comes back connected by itself (no reload), and the score moves again.
/// </summary>
[Category(TestCategories.EndToEnd)]
public sealed class DashboardRestartTests
{
    private Chromium? _chromium;
    private IBrowserContext? _context;
    private RiskConsoleServer? _first;
    private RiskConsoleServer? _second;

    [OneTimeSetUp]
    public async Task StartBrowser()
    {
        _chromium = await Chromium.LaunchAsync();
        _context = await _chromium.Browser.NewContextAsync(new BrowserNewContextOptions { Locale = "en-US", TimezoneId = "UTC" });
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

    [TearDown]
    public async Task StopServers()
    {
        if (_first is not null)
        {
            await _first.DisposeAsync();
            _first = null;
        }

        if (_second is not null)
        {
            await _second.DisposeAsync();
            _second = null;
        }
    }

    [Test]
    public async Task AServerRestartShowsReconnectingThenConnectedAndTheScoreMovesAgain()
    {
        var port = FreePort();
        _first = RiskConsoleServer.Start(port: port);
        var page = await _context!.NewPageAsync();
        await page.GotoAsync(_first.BaseAddress.ToString());
        var connection = page.Locator("#connection");
        await Expect(connection).ToHaveAttributeAsync("data-state", "connected");
        await Expect(page.Locator("#score-seq")).Not.ToBeEmptyAsync();
        await page.EvaluateAsync("() => { window.__sameDocument = true; }");

        await _first.DisposeAsync();
        _first = null;
        await Expect(connection).ToHaveAttributeAsync("data-state", "reconnecting");
        await Expect(page.Locator("#connection-text")).ToHaveTextAsync("Reconnecting…");
        var seqWhileDown = await page.Locator("#score-seq").TextContentAsync();

        _second = RiskConsoleServer.Start(port: port);
        await Expect(connection).ToHaveAttributeAsync("data-state", "connected");
        await Expect(page.Locator("#connection-text")).ToHaveTextAsync("Connected");

        // The new server numbers its scores from the start again: the page follows it, and keeps following.
        await Expect(page.Locator("#score-seq")).Not.ToHaveTextAsync(seqWhileDown!);
        var seqAfter = await page.Locator("#score-seq").TextContentAsync();
        await Expect(page.Locator("#score-seq")).Not.ToHaveTextAsync(seqAfter!);
        await Expect(page.Locator("#source-list li.source")).ToHaveCountAsync(3);
        var sameDocument = await page.EvaluateAsync<bool>("() => window.__sameDocument === true");
        await page.CloseAsync();
        Assert.That(sameDocument, Is.True, "the page came back without a reload");
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
