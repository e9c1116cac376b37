using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RiskConsole.Ingest.Live;
using RiskConsole.Ingest.Reddit;
using RiskConsole.Tests.Ingest.Live;

namespace RiskConsole.Tests.Ingest.Reddit;

/// <summary>
/// The real <see cref="RedditListener"/>, registered by <see cref="RedditFeedRegistration.AddRedditFeed"/> as the server
/// will, pointed at a <see cref="FakeRedditServer"/>, with a <see cref="RecordingFeedSink"/> and one connection
/// (<see cref="RedditListener.RunConnectionAsync"/>) at a time running in the background.
/// Defaults: public mode, 50 ms polls, 2 s connect timeout.
/// </summary>
internal sealed class RedditListenerHarness : IAsyncDisposable
{
    private CancellationTokenSource _stop = new();

    private RedditListenerHarness(FakeRedditServer server, ServiceProvider services)
    {
        Server = server;
        Services = services;
    }

    public FakeRedditServer Server { get; }

    public ServiceProvider Services { get; }

    public RecordingFeedSink Sink { get; private set; } = new();

    public RedditListener Listener => Services.GetRequiredService<RedditListener>();

    /// <summary>The connection running now (or the last one).</summary>
    public Task Running { get; private set; } = Task.CompletedTask;

    public static async Task<RedditListenerHarness> StartAsync(bool oauth = false, TimeProvider? time = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var server = await FakeRedditServer.StartAsync();
        var values = new Dictionary<string, string?>
        {
            ["Ingest:Reddit:BaseUrl"] = server.BaseUrl,
            ["Ingest:Reddit:OAuthUrl"] = server.BaseUrl,
            ["Ingest:Reddit:PollIntervalSeconds"] = "0.05",
            ["Ingest:ConnectTimeoutSeconds"] = "2",
        };
        if (oauth)
        {
            values["Ingest:Reddit:ClientId"] = server.ClientId;
            values["Ingest:Reddit:ClientSecret"] = server.ClientSecret;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(time ?? TimeProvider.System)
            .AddLogging()
            .AddRedditFeed(configuration)
            .BuildServiceProvider();
        if (time is not null)
        {
            server.Clock = time;
        }

        return new RedditListenerHarness(server, services);
    }

    /// <summary>Starts a new connection in the background (the previous one must have ended).</summary>
    public void Run(RecordingFeedSink? sink = null)
    {
        Assert.That(Running.IsCompleted, Is.True, "one connection at a time");
        if (sink is not null)
        {
            Sink = sink;
        }

        var sinkForRun = Sink;
        var token = _stop.Token;
        Running = Task.Run(() => Listener.RunConnectionAsync(sinkForRun, token));
    }

    /// <summary>Cancels the running connection (as LiveSource does on stop or silence) and waits for it to end.</summary>
    public async Task StopRunAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Running.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException) when (!Running.IsCompleted)
        {
            Assert.Fail("the connection did not end when cancelled");
        }
        catch (Exception)
        {
            // Cancelled, or it had already failed (the test read that failure with FailureAsync).
        }

        _stop.Dispose();
        _stop = new CancellationTokenSource();
    }

    /// <summary>The exception that ended the running connection; fails if it does not end with one in time.</summary>
    public async Task<Exception> FailureAsync(TimeSpan? limit = null)
    {
        try
        {
            await Running.WaitAsync(limit ?? TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException) when (!Running.IsCompleted)
        {
            Assert.Fail($"the connection did not end; sink: {Sink.Describe()}");
        }
        catch (Exception e)
        {
            // What the user sees (the source's last error, the probe's output) is the listener's own sentence.
            Assert.That(UpstreamFailure.Describe(e), Is.EqualTo(e.Message), "UpstreamFailure.Describe keeps the message as written");
            return e;
        }

        Assert.Fail("the connection ended without an exception");
        return null!;
    }

    public async ValueTask DisposeAsync()
    {
        await StopRunAsync();
        _stop.Dispose();
        await Services.DisposeAsync();
        await Server.DisposeAsync();
    }
}
