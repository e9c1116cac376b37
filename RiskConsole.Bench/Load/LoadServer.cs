using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RiskConsole.Core.Contracts;
using RiskConsole.Engine;
using RiskConsole.Ingest;

namespace RiskConsole.Bench.Load;

/// <summary>
/// The server under load: the real application (WebApplicationFactory of RiskConsole.Server's Program on real Kestrel
/// at 127.0.0.1) in this process, Production environment, Serilog at Warning, journal off, with its mock feeds and live
/// listeners replaced by <see cref="LoadSignalSource"/>s; or a running server given by URL, which is measured from the
/// outside only (no injection, no CPU or memory). This process's CPU time and resident memory are the server's: the
/// measured clients run in worker processes.
/// </summary>
public sealed class LoadServer : IAsyncDisposable
{
    private readonly WebApplicationFactory<Program>? _factory;
    private readonly string? _folder;

    private LoadServer(Uri url, WebApplicationFactory<Program>? factory, string? folder)
    {
        Url = url;
        _factory = factory;
        _folder = folder;
    }

    public Uri Url { get; }

    /// <summary>Null for a server given by URL.</summary>
    public LoadInjection? Injection => _factory?.Services.GetRequiredService<LoadInjection>();

    public IReadOnlyCollection<LoadSignalSource> Sources => _factory is null ? [] : [.. _factory.Services.GetServices<IHostedService>().OfType<LoadSignalSource>()];

    /// <summary>Risk:LatenessSeconds of the in-process server: how long after its bar ends a score can be computed at the earliest.</summary>
    public TimeSpan? ScoreLateness { get; private init; }

    public bool InProcess => _factory is not null;

    public static LoadServer Remote(Uri url) => new(url, null, null);

    /// <param name="maxConnections">Server:MaxConnections: room for every client the run opens.</param>
    public static LoadServer StartInProcess(int maxConnections)
    {
        var folder = Path.Combine(Path.GetTempPath(), "riskconsole-load-" + Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Ingest:Mode"] = "mock",
            ["Journal:Enabled"] = "false",
            ["Journal:Path"] = Path.Combine(folder, "journal.db"),
            ["Ai:AudioCache:Directory"] = Path.Combine(folder, "audio"),
            ["Serilog:MinimumLevel:Default"] = "Warning",
            ["Serilog:MinimumLevel:Override:Microsoft.Hosting.Lifetime"] = "Warning",
            ["Server:MaxConnections"] = maxConnections.ToString(CultureInfo.InvariantCulture),
        };
        var factory = new Factory(settings);
        factory.UseKestrel(0);
        factory.StartServer();
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var lateness = factory.Services.GetRequiredService<IConfiguration>().GetValue("Risk:LatenessSeconds", 2.0);
        return new LoadServer(new Uri(address.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal)), factory, folder)
        {
            ScoreLateness = TimeSpan.FromSeconds(lateness),
        };
    }

    /// <summary>Resident memory of the server (this process), in MB; null for a server given by URL.</summary>
    public double? ResidentMegabytes()
    {
        if (!InProcess)
        {
            return null;
        }

        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? null : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    /// <summary>CPU time the server (this process) has used so far; null for a server given by URL.</summary>
    public TimeSpan? CpuTime()
    {
        if (!InProcess)
        {
            return null;
        }

        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    /// <summary>Signals waiting for the router; null for a server given by URL.</summary>
    public int? Backlog => _factory?.Services.GetRequiredService<IRiskConsole>().SignalBacklog;

    /// <summary>Signals the engine refused, by reason; null for a server given by URL.</summary>
    public IReadOnlyDictionary<string, long>? Rejected => _factory?.Services.GetRequiredService<IRiskConsole>().Statistics().RejectedSignals;

    public async ValueTask DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        if (_folder is not null && Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    /// <summary>The folder holding RiskConsole.sln, above this assembly.</summary>
    public static string RepositoryRoot()
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

    private sealed class Factory(IDictionary<string, string?> settings) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment(Environments.Production);
            builder.UseSetting(WebHostDefaults.ServerUrlsKey, "http://127.0.0.1:0");
            builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(settings));
            builder.ConfigureTestServices(services =>
            {
                services.SilenceSignalSources();
                services.AddSingleton<LoadInjection>();
                foreach (var source in DataSources.All)
                {
                    services.AddSingleton<IHostedService>(sp => new LoadSignalSource(
                        source,
                        sp.GetRequiredService<LoadInjection>(),
                        sp.GetRequiredService<SignalChannel>(),
                        sp.GetRequiredService<SourceStatusBoard>(),
                        sp.GetRequiredService<TimeProvider>(),
                        sp.GetRequiredService<IngestMetrics>(),
                        sp.GetRequiredService<ILogger<LoadSignalSource>>()));
                }
            });
        }
    }
}
