namespace RiskConsole.Tests;

/// <summary>
/// Tests that need a machine tool (Node, npm packages, a browser, Redis): on a developer machine without it such a test
/// is Ignored with the command that installs it; when <see cref="RequireVariable"/> is 1 (CI sets it, after installing
/// every tool) it fails instead, so a broken install step cannot hide behind skipped tests.
/// </summary>
public static class RequiredTools
{
    public const string RequireVariable = "RISKCONSOLE_REQUIRE_TOOLS";

    public static bool AreRequired => Environment.GetEnvironmentVariable(RequireVariable) == "1";

    /// <summary>Ignores the calling test (or fails it when tools are required) unless <paramref name="present"/>.</summary>
    public static void Ensure(bool present, string missing, string installCommand)
    {
        if (present)
        {
            return;
        }

        var message = $"{missing}. Install it with: {installCommand}";
        if (AreRequired)
        {
            Assert.Fail($"{message} ({RequireVariable}=1: this machine must have it)");
        }

        Assert.Ignore(message);
    }

    /// <summary>The full path of <paramref name="executable"/> in a PATH directory, or null.</summary>
    public static string? FindOnPath(string executable)
    {
        var directories = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var names = OperatingSystem.IsWindows() ? [executable + ".exe", executable + ".cmd", executable] : new[] { executable };
        return directories.SelectMany(d => names.Select(n => Path.Combine(d, n))).FirstOrDefault(File.Exists);
    }
}
