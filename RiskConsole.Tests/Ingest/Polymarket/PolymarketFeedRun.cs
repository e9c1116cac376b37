using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RiskConsole.Ingest.Polymarket;
using RiskConsole.Tests.Ingest.Live;

namespace RiskConsole.Tests.Ingest.Polymarket;

/// <summary>
/// The real listener, registered the way the server registers it (<see cref="PolymarketFeedRegistration.AddPolymarketFeed"/>)
/// and pointed at a <see cref="FakePolymarketServer"/>, running one connection in the background into a
/// <see cref="RecordingFeedSink"/>.
/// </summary>
internal sealed class PolymarketFeedRun : IAsyncDisposable
{
    /// <summary>The connect timeout the tests configure (Ingest:ConnectTimeoutSeconds): short, but never reached by a healthy local call.</summary>
    public const int ConnectTimeoutSeconds = 5;

    private static readonly TimeSpan EndWait = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _stop = new();

    private PolymarketFeedRun(ServiceProvider services)
    {
        Services = services;
        Feed = services.GetRequiredService<PolymarketFeed>();
    }

    public ServiceProvider Services { get; }

    public PolymarketFeed Feed { get; }

    public RecordingFeedSink Sink { get; } = new();

    /// <summary>The running <see cref="PolymarketFeed.RunConnectionAsync"/>.</summary>
    public Task Run { get; private set; } = Task.CompletedTask;

    public static ServiceProvider BuildServices(FakePolymarketServer server, TimeProvider? time = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        var values = new Dictionary<string, string?>
        {
            ["Ingest:ConnectTimeoutSeconds"] = ConnectTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Ingest:Polymarket:GammaUrl"] = server.GammaUrl,
            ["Ingest:Polymarket:ClobWebSocketUrl"] = server.ClobWebSocketUrl,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(time ?? TimeProvider.System);
        services.AddPolymarketFeed(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    /// <summary>Starts one connection of the listener against <paramref name="server"/>.</summary>
    public static PolymarketFeedRun Start(FakePolymarketServer server, TimeProvider? time = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var run = new PolymarketFeedRun(BuildServices(server, time, settings));
        run.Run = Task.Run(() => run.Feed.RunConnectionAsync(run.Sink, run._stop.Token));
        return run;
    }

    /// <summary>The exception the connection ended with (it must end on its own, without being cancelled).</summary>
    public async Task<Exception> FailureAsync()
    {
        try
        {
            await Run.WaitAsync(EndWait);
        }
        catch (TimeoutException) when (!Run.IsCompleted)
        {
            throw new AssertionException("The connection did not end.");
        }
        catch (Exception e)
        {
            return e;
        }

        throw new AssertionException("The connection ended without an exception.");
    }

    /// <summary>Cancels the connection (as LiveSource does when it goes silent or the host stops) and checks that it ends with a cancellation.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        Assert.That(async () => await Run.WaitAsync(EndWait), Throws.InstanceOf<OperationCanceledException>(), "a cancelled connection ends with a cancellation");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Run.WaitAsync(EndWait);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or TimeoutException or HttpRequestException or InvalidDataException or System.Net.WebSockets.WebSocketException or RiskConsole.Ingest.Live.UpstreamThrottledException)
        {
            // Ended one way or another; the test has asserted what it cares about.
        }

        _stop.Dispose();
        await Services.DisposeAsync();
    }
}
