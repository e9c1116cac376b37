using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;

namespace RiskConsole.Tests.Server.Infrastructure;

/// <summary>
/// The real application on real Kestrel at 127.0.0.1 with a random port, fed by its own mock feeds,
/// with settings tuned for fast tests (short bars, fast publish) and every log event captured. A test that restarts the
/// server passes the first one's port to the next (<c>port:</c>), so a client that reconnects finds the new one.
/// </summary>
public sealed class RiskConsoleServer : IAsyncDisposable
{
    private readonly Factory _factory;
    private readonly string _audioDirectory;
    private readonly string _journalDirectory;

    private RiskConsoleServer(Factory factory, string audioDirectory, string journalDirectory)
    {
        _factory = factory;
        _audioDirectory = audioDirectory;
        _journalDirectory = journalDirectory;
        var addresses = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseAddress = new Uri(addresses.First().Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => _factory.Services;

    public InMemoryLogSink Logs => _factory.Logs;

    public string AudioDirectory => _audioDirectory;

    /// <summary>The signal journal's file (Journal:Path): this server's own, in a folder deleted with it unless the test chose one.</summary>
    public string JournalPath => Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<RiskConsole.Engine.Journal.JournalOptions>>().Value.Path;

    public static RiskConsoleServer Start(string environment = "Development", IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null, int port = 0)
    {
        var audio = Path.Combine(Path.GetTempPath(), "riskconsole-tests-audio-" + Guid.NewGuid().ToString("N"));
        var journal = Path.Combine(Path.GetTempPath(), "riskconsole-tests-journal-" + Guid.NewGuid().ToString("N"));
        var all = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Ingest:Mode"] = "mock",
            ["Ingest:Mock:Seed"] = "7",
            ["Ingest:Mock:PriceTicksPerSecond"] = "20",
            ["Ingest:Mock:MarketUpdatesPerSecond"] = "10",
            ["Ingest:Mock:RedditPostsPerSecond"] = "5",
            ["Risk:BarSeconds"] = "0.1",
            ["Risk:PublishIntervalMs"] = "50",
            // Bars close 0.3 s after they end and crypto returns span 1 s, so every component scores within seconds.
            ["Risk:LatenessSeconds"] = "0.3",
            ["Risk:CryptoReturnSeconds"] = "1",
            ["Ai:AudioCache:Directory"] = audio,

            // Each server its own journal: never the user's, never another test's.
            ["Journal:Path"] = Path.Combine(journal, "journal.db"),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var factory = new Factory(environment, all, services, port);
        factory.UseKestrel(port);
        factory.StartServer();
        return new RiskConsoleServer(factory, audio, journal);
    }

    public HubConnection CreateHub(Action<IHubConnectionBuilder>? configure = null, string? adminKey = null, Uri? baseAddress = null)
    {
        var builder = new HubConnectionBuilder().WithUrl(new Uri(baseAddress ?? BaseAddress, "/hubs/risk"), options =>
        {
            if (adminKey is not null)
            {
                options.Headers["X-Admin-Key"] = adminKey;
            }
        });
        configure?.Invoke(builder);
        return builder.Build();
    }

    public Uri WebSocketUri(string path = "/ws") => new UriBuilder(BaseAddress) { Scheme = "ws", Path = path }.Uri;

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _factory.DisposeAsync();
        if (Directory.Exists(_audioDirectory))
        {
            Directory.Delete(_audioDirectory, recursive: true);
        }

        if (Directory.Exists(_journalDirectory))
        {
            Directory.Delete(_journalDirectory, recursive: true);
        }
    }

    private sealed class Factory(string environment, IDictionary<string, string?> settings, Action<IServiceCollection>? services, int port) : WebApplicationFactory<Program>
    {
        public InMemoryLogSink Logs { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment(environment);
            builder.UseSetting(WebHostDefaults.ServerUrlsKey, $"http://127.0.0.1:{port}");
            builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(settings));

            // The telemetry settings also as host settings, which reach Program.cs before it registers its services:
            // AddRiskTelemetry decides its exporters from configuration there. Only those: the factory passes host
            // settings as command-line arguments and gives every parent section an empty value, which Serilog, for
            // one, would read as an (invalid) minimum level.
            foreach (var (key, value) in settings.Where(s => s.Key.StartsWith("Telemetry:", StringComparison.OrdinalIgnoreCase) || s.Key.StartsWith("OTEL_", StringComparison.Ordinal)))
            {
                builder.UseSetting(key, value);
            }
            builder.ConfigureServices(collection => collection.AddSingleton<ILogEventSink>(Logs));
            if (services is not null)
            {
                builder.ConfigureTestServices(services);
            }
        }
    }
}
