using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace RiskConsole.Bench.Soak;

/// <summary>
/// The server under soak: the Release build of RiskConsole.Server started as its own process on a free loopback port
/// (so its memory is its own, not mixed with the clients'), on mock feeds, or a running one given by URL.
/// </summary>
public sealed class SoakServer : IAsyncDisposable
{
    private readonly Process? _process;

    private SoakServer(Uri url, Process? process)
    {
        Url = url;
        _process = process;
    }

    public Uri Url { get; }

    public static async Task<SoakServer> StartAsync(Uri? running, TextWriter progress)
    {
        if (running is not null)
        {
            return new SoakServer(running, null);
        }

        var folder = Path.Combine(RepositoryRoot(), "RiskConsole.Server", "bin", "Release", "net10.0");
        var dll = Path.Combine(folder, "RiskConsole.Server.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} not found: build it first with `dotnet build -c Release RiskConsole.Server`.");
        }

        var port = FreePort();
        var start = new ProcessStartInfo("dotnet", [dll]) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["HOST"] = "127.0.0.1";
        start.Environment["PORT"] = port.ToString(CultureInfo.InvariantCulture);
        start.Environment["Ingest__Mode"] = "mock";
        start.Environment["Serilog__MinimumLevel__Default"] = "Warning";
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");

        // Read and drop its output, or a full pipe would stall the server.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, line) => { if (line.Data is { Length: > 0 } text) { progress.WriteLine("server: " + text); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var server = new SoakServer(new Uri($"http://127.0.0.1:{port}"), process);
        await server.WaitUntilLiveAsync(TimeSpan.FromSeconds(60));
        progress.WriteLine($"server started: pid {process.Id}, {server.Url}");
        return server;
    }

    /// <summary>Resident memory of the server process, in MB; null for a server given by URL.</summary>
    public double? ResidentMegabytes()
    {
        if (_process is null)
        {
            return null;
        }

        var line = File.ReadLines($"/proc/{_process.Id}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? null : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    /// <summary>CPU time the server process has used so far.</summary>
    public TimeSpan? CpuTime()
    {
        if (_process is null)
        {
            return null;
        }

        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
    }

    private async Task WaitUntilLiveAsync(TimeSpan limit)
    {
        using var http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(2) };
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var live = await http.GetAsync(new Uri("/health/live", UriKind.Relative));
                if (live.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (watch.Elapsed < limit && _process is { HasExited: false })
            {
                // Not listening yet.
            }

            if (watch.Elapsed >= limit || _process is { HasExited: true })
            {
                throw new InvalidOperationException($"The server did not become live within {limit.TotalSeconds} s.");
            }

            await Task.Delay(200);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "RiskConsole.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("RiskConsole.sln not found above " + AppContext.BaseDirectory);
    }
}
