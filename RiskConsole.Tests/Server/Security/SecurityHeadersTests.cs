using System.Net;
using System.Text.RegularExpressions;
using RiskConsole.Server.Security;
using RiskConsole.Tests.Server.Infrastructure;

namespace RiskConsole.Tests.Server.Security;

/// <summary>
/// The page's Content-Security-Policy and the files it is built from: everything the dashboard loads comes from this
/// server, and the policy says so (the browser tests then prove the page works under it without a console error).
/// </summary>
[Category(TestCategories.EndToEnd)]
public sealed partial class SecurityHeadersTests
{
    private RiskConsoleServer _server = null!;

    [OneTimeSetUp]
    public void StartServer() => _server = RiskConsoleServer.Start();

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [Test]
    public async Task ThePageAndItsFilesCarryAPolicyThatAllowsOnlyThisServer()
    {
        using var page = new HttpRequestMessage(HttpMethod.Get, "/");
        page.Headers.Accept.ParseAdd("text/html");
        using var pageResponse = await _server.Http.SendAsync(page);
        using var script = await _server.Http.GetAsync("/lib/signalr.min.js");
        using var module = await _server.Http.GetAsync("/js/dashboard.js");
        var policy = pageResponse.Headers.GetValues(SecurityHeaders.ContentSecurityPolicyHeader).Single();
        Assert.Multiple(() =>
        {
            Assert.That(pageResponse.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(policy, Does.StartWith("default-src 'none'; script-src 'self'; style-src 'self'"));
            Assert.That(policy, Does.Contain("connect-src 'self'").And.Contain("media-src 'self'").And.Contain("frame-ancestors 'none'"));
            Assert.That(policy, Does.Not.Contain("unsafe").And.Not.Contain("http"), "no inline code, no other origin");
            Assert.That(pageResponse.Headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"));
            Assert.That(pageResponse.Headers.GetValues("Referrer-Policy").Single(), Is.EqualTo("no-referrer"), "the page URL may carry ?adminKey=");
            Assert.That(script.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the build copied the SignalR browser client from npm into wwwroot/lib");
            Assert.That(script.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/javascript"));
            Assert.That(module.Headers.CacheControl?.NoCache, Is.True, "dashboard files are revalidated, so an upgrade never mixes old and new modules");
        });
    }

    [Test]
    public void AnAbsoluteFallbackAudioUrlAddsItsOriginToMediaSrcOnly()
    {
        var policy = SecurityHeaders.ContentSecurityPolicy("https://cdn.example.org/sounds/fallback_roast.mp3");
        Assert.Multiple(() =>
        {
            Assert.That(policy, Does.Contain("media-src 'self' https://cdn.example.org;"));
            Assert.That(Regex.Matches(policy, "cdn\\.example\\.org"), Has.Count.EqualTo(1));
            Assert.That(SecurityHeaders.ContentSecurityPolicy("/audio/fallback_roast.mp3"), Does.Contain("media-src 'self';"));
        });
    }

    [Test]
    public void TheDashboardFilesHaveNoInlineCodeAndNameNoOtherServer()
    {
        var root = Path.Combine(RepositoryRoot(), "RiskConsole.Server", "wwwroot");
        var files = Directory.EnumerateFiles(root, "*.*", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}lib{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => f.EndsWith(".html", StringComparison.Ordinal) || f.EndsWith(".js", StringComparison.Ordinal) || f.EndsWith(".css", StringComparison.Ordinal) || f.EndsWith(".svg", StringComparison.Ordinal))
            .ToList();
        var html = File.ReadAllText(Path.Combine(root, "index.html"));
        var urls = files.SelectMany(f => Url().Matches(File.ReadAllText(f)).Select(m => $"{Path.GetFileName(f)}: {m.Value}"))
            .Where(u => !u.EndsWith("http://www.w3.org/2000/svg", StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            Assert.That(files, Has.Count.GreaterThan(3));
            Assert.That(urls, Is.Empty, "no CDN, no web font, no other server");
            Assert.That(InlineScript().IsMatch(html), Is.False, "every <script> has a src (the policy allows no inline script)");
            Assert.That(html, Does.Not.Contain("<style").And.Not.Contain(" style="), "no inline style");
            Assert.That(HandlerAttribute().IsMatch(html), Is.False, "no inline event handler");
        });
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "RiskConsole.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new DirectoryNotFoundException("RiskConsole.sln not found above the test directory");
    }

    [GeneratedRegex(@"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}[^\s""'<>)]*", RegexOptions.IgnoreCase)]
    private static partial Regex Url();

    [GeneratedRegex(@"<[a-z][^>]*\son[a-z]+\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex HandlerAttribute();

    [GeneratedRegex(@"<script(?![^>]*\bsrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();
}
