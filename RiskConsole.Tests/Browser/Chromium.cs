using Microsoft.Playwright;

namespace RiskConsole.Tests.Browser;

/// <summary>
/// The Debian <c>chromium</c> package driven by Microsoft.Playwright through <see cref="BrowserTypeLaunchOptions.ExecutablePath"/>:
/// Playwright never downloads a browser of its own here. A fixture launches one in its OneTimeSetUp and opens a few pages
/// on it. Without the package the calling test is Ignored with the install command (failed when tools are required, as
/// in CI, which installs it from .ci/apt-packages).
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    public const string InstallCommand = "apt-get install chromium";

    /// <summary>Expect-style waits (ToBeVisible, ToHaveText, ...) give up after this; every wait in these tests is bounded.</summary>
    public const float WaitMilliseconds = 20_000;

    private readonly IPlaywright _playwright;

    private Chromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    /// <summary>Names another Chromium or Chrome binary to test with (a path that does not exist makes the tests skip).</summary>
    public const string ExecutableVariable = "RISKCONSOLE_CHROMIUM";

    /// <summary>$RISKCONSOLE_CHROMIUM, else /usr/bin/chromium, else chromium wherever PATH has it; null when there is none.</summary>
    public static string? ExecutablePath =>
        Environment.GetEnvironmentVariable(ExecutableVariable) is { Length: > 0 } configured
            ? (File.Exists(configured) ? configured : null)
            : File.Exists("/usr/bin/chromium") ? "/usr/bin/chromium" : RequiredTools.FindOnPath("chromium");

    public static async Task<Chromium> LaunchAsync()
    {
        var executable = ExecutablePath;
        RequiredTools.Ensure(executable is not null, "Chromium (the Debian chromium package) is not installed", InstallCommand);
        Assertions.SetDefaultExpectTimeout(WaitMilliseconds);
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = executable,
                Headless = true,
                Timeout = 60_000,
                Args =
                [
                    // Tests run as root in a container: no sandbox, no GPU. Nothing may reach the network but the server.
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    // The interrupt's MP3 should play as it would after the user has used the page; the blocked-autoplay
                    // path is tested by making play() refuse.
                    "--autoplay-policy=no-user-gesture-required",
                ],
            });
            return new Chromium(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.CloseAsync();
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
