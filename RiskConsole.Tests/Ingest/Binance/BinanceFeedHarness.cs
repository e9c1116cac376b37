using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using RiskConsole.Ingest.Binance;
using RiskConsole.Tests.Ingest.Live;

namespace RiskConsole.Tests.Ingest.Binance;

/// <summary>
/// The real <see cref="BinanceFeed"/>, registered the way the server registers it (AddBinanceFeed) on a
/// <see cref="WatchedFakeTime"/>, running one <see cref="BinanceFeed.RunConnectionAsync"/> call into a
/// <see cref="RecordingFeedSink"/>. The connect timeout is 5 s of fake time, so it only fires when a test advances it.
/// </summary>
internal sealed class BinanceFeedHarness : IAsyncDisposable
{
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    private readonly ServiceProvider _services;
    private readonly CancellationTokenSource _stop = new();

    private BinanceFeedHarness(ServiceProvider services, WatchedFakeTime time)
    {
        _services = services;
        Time = time;
    }

    public WatchedFakeTime Time { get; }

    public RecordingFeedSink Sink { get; } = new();

    public BinanceFeed Feed => _services.GetRequiredService<BinanceFeed>();

    public FakeLogCollector Logs => _services.GetFakeLogCollector();

    /// <summary>The call started by <see cref="Start"/>.</summary>
    public Task Running { get; private set; } = Task.CompletedTask;

    public static BinanceFeedHarness Create(FakeBinanceServer server, params (string Key, string Value)[] settings) =>
        Create(server.StreamUrl, server.RestUrl, settings);

    public static BinanceFeedHarness Create(string streamUrl, string restUrl, params (string Key, string Value)[] settings)
    {
        var values = new Dictionary<string, string?>
        {
            ["Ingest:Binance:StreamUrl"] = streamUrl,
            ["Ingest:Binance:RestUrl"] = restUrl,
            ["Ingest:ConnectTimeoutSeconds"] = ConnectTimeout.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var time = new WatchedFakeTime();
        var services = new ServiceCollection()
            .AddFakeLogging()
            .AddSingleton<TimeProvider>(time)
            .AddBinanceFeed(configuration)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        return new BinanceFeedHarness(services, time);
    }

    /// <summary>Starts one connection (one RunConnectionAsync call) in the background.</summary>
    public void Start() => Running = Feed.RunConnectionAsync(Sink, _stop.Token);

    /// <summary>Cancels the call, as LiveSource does when the host stops or the connection goes silent.</summary>
    public Task CancelAsync() => _stop.CancelAsync();

    /// <summary>Waits (up to 5 s) for the call to fail and returns what it threw.</summary>
    public async Task<Exception> FailureAsync()
    {
        try
        {
            await Running.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException) when (!Running.IsCompleted)
        {
            throw new AssertionException("the connection was expected to end with an error within 5 s, and is still running");
        }
        catch (Exception failure)
        {
            return failure;
        }

        throw new AssertionException("the connection ended without an error");
    }

    /// <summary>Waits (up to 5 s) for the call to return normally.</summary>
    public async Task CompletionAsync()
    {
        try
        {
            await Running.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException) when (!Running.IsCompleted)
        {
            throw new AssertionException("the connection was expected to end within 5 s, and is still running");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Running.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception)
        {
            // Cancelled, or it had already failed: the test has looked at that.
        }

        _stop.Dispose();
        await _services.DisposeAsync();
    }
}
