using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace RiskConsole.Tests.Server.Replay;

/// <summary>The built server (RiskConsole.Server.dll beside the tests) as its own process: a command that runs to its exit, or a server to kill.</summary>
internal static class ServerProcess
{
    public static ProcessStartInfo StartInfo(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var serverDll = Path.Combine(TestContext.CurrentContext.TestDirectory, "RiskConsole.Server.dll");
        var start = new ProcessStartInfo("dotnet", ["exec", serverDll, .. arguments])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var name in new[] { "ASPNETCORE_URLS", "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT", "HOST", "PORT", "RISK_THRESHOLD", "OPENAI_API_KEY", "ELEVENLABS_API_KEY" })
        {
            start.Environment.Remove(name);
        }

        start.Environment["Ingest__Mode"] = "mock";
        start.Environment["Ai__AudioCache__Directory"] = Path.Combine(workingDirectory, "audio");
        start.Environment["Journal__Path"] = Path.Combine(workingDirectory, "journal", "journal.db");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return start;
    }

    public static Task<(int ExitCode, string Stdout, string Stderr)> RunToExitAsync(string workingDirectory, params string[] arguments) =>
        RunToExitAsync(workingDirectory, new Dictionary<string, string>(), arguments);

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunToExitAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        using var process = Process.Start(StartInfo(workingDirectory, environment, arguments))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new AssertionException($"`{string.Join(' ', arguments)}` did not exit");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
