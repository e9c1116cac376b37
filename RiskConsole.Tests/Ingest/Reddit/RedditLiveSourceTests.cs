using Microsoft.Extensions.Logging.Testing;
using Polly;
using RiskConsole.Core.Contracts;
using RiskConsole.Core.Signals;
using RiskConsole.Ingest;
using RiskConsole.Ingest.Live;
using RiskConsole.Tests.Ingest.Live;

namespace RiskConsole.Tests.Ingest.Reddit;

/// <summary>
/// The real Reddit listener under the real <see cref="LiveSource"/> (auto mode, short real times) against
/// <see cref="FakeRedditServer"/>: the source goes live on the first answer and stays live between polls; when the
/// server dies it is on mock data within the fallback time with the refusal as its last error, and returns to live,
/// without replaying old posts, when the server is back.
/// </summary>
public sealed class RedditLiveSourceTests
{
    private RedditListenerHarness _harness = null!;
    private SignalChannel _channel = null!;
    private SourceStatusBoard _board = null!;
    private TestMeters _meters = null!;
    private LiveSource? _source;
    private readonly List<string> _modes = [];
    private int _listingsWhenLive;

    [TearDown]
    public async Task TearDown()
    {
        if (_source is not null)
        {
            await _source.StopAsync(CancellationToken.None);
            _source.Dispose();
        }

        _meters?.Dispose();
        if (_harness is not null)
        {
            await _harness.DisposeAsync();
        }
    }

    private async Task StartAsync(double pollSeconds, double fallbackSeconds)
    {
        _harness = await RedditListenerHarness.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Ingest:Reddit:PollIntervalSeconds"] = pollSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        _channel = new SignalChannel();
        _board = new SourceStatusBoard();
        _board.ModeChanged += change =>
        {
            lock (_modes)
            {
                _modes.Add(change.To);
                if (change.To == SourceModes.Live && _listingsWhenLive == 0)
                {
                    _listingsWhenLive = _harness.Server.ListingRequests.Count;
                }
            }
        };
        _meters = new TestMeters();
        var options = new IngestOptions
        {
            Mode = IngestOptions.AutoMode,
            FallbackAfterSeconds = fallbackSeconds,
            ReconnectDelaySeconds = 0.05,
            ReconnectMaxDelaySeconds = 0.2,
            CircuitBreakAfterFailures = 1000,
            CircuitBreakSeconds = 1,
        };
        var pipeline = new ResiliencePipelineBuilder();
        LiveSourceRegistration.ConfigureConnectionPipeline(pipeline, options, TimeProvider.System);
        _source = new LiveSource(
            _harness.Listener,
            MockPosts,
            mockSeed: 1,
            "mock data (test)",
            options,
            pipeline.Build(),
            _channel,
            _board,
            TimeProvider.System,
            new IngestMetrics(_meters.Factory),
            new FakeLogger<LiveSource>());
        await _source.StartAsync(CancellationToken.None);
    }

    private static IReadOnlyList<MarketSignal> MockPosts(DateTimeOffset now) =>
        [new SentimentSample("r/mock", 0, now, "a mock post", IsMock: true)];

    private async Task<SentimentSample> ReadLiveAsync()
    {
        while (true)
        {
            var signal = await _channel.Reader.ReadAsync().AsTask().WaitAsync(IngestTestClock.WaitLimit);
            if (!signal.IsMock)
            {
                return (SentimentSample)signal;
            }
        }
    }

    [Test]
    public async Task TheSourceIsLiveOnTheFirstAnswerAndStaysLiveBetweenPollsThatBringNoPost()
    {
        // A poll every 0.6 s, three times the 0.2 s fallback. The first answer lists no post, so it is Connected before
        // its MessageReceived that makes the source live at once, not a poll later.
        await StartAsync(pollSeconds: 0.6, fallbackSeconds: 0.2);
        await _board.WaitForModeAsync(DataSources.Reddit, SourceModes.Live);
        int switchesWhenLive;
        lock (_modes)
        {
            switchesWhenLive = _modes.Count;
        }

        await _harness.Server.WaitForRequestsAsync(_harness.Server.ListingRequests.Count + 2, FakeRedditRequestKind.Listing);

        var status = _board.Get(DataSources.Reddit)!;
        Assert.Multiple(() =>
        {
            lock (_modes)
            {
                Assert.That(_modes.Skip(switchesWhenLive), Is.Empty, "no switch to mock between polls");
                Assert.That(_listingsWhenLive, Is.EqualTo(1), "live on the first answer");
            }

            Assert.That(status.Mode, Is.EqualTo(SourceModes.Live));
            Assert.That(status.Detail, Does.StartWith($"public JSON {_harness.Server.BaseUrl}/r/CryptoCurrency+Bitcoin+wallstreetbets/new.json"));
        });
    }

    [Test]
    public async Task WhenRedditDiesTheSourceFallsBackToMockAndReturnsToLiveWhenItIsBack()
    {
        await StartAsync(pollSeconds: 0.05, fallbackSeconds: 0.3);
        var server = _harness.Server;
        var before = server.AddPost("Bitcoin", "before the outage");
        await _board.WaitForModeAsync(DataSources.Reddit, SourceModes.Live);
        Assert.That((await ReadLiveAsync()).Text, Is.EqualTo(before.Title));

        await server.StopAsync();
        await _board.WaitForModeAsync(DataSources.Reddit, SourceModes.Mock);
        var onMock = _board.Get(DataSources.Reddit)!;

        var after = server.AddPost("CryptoCurrency", "after the outage");
        await server.RestartAsync();
        await _board.WaitForModeAsync(DataSources.Reddit, SourceModes.Live);
        var resumed = await ReadLiveAsync();

        Assert.Multiple(() =>
        {
            Assert.That(onMock.LastError, Is.EqualTo($"cannot connect to 127.0.0.1:{server.Port}: Connection refused"));
            Assert.That(resumed.Text, Is.EqualTo(after.Title), "the post seen before the outage is not replayed");
            Assert.That(resumed.SourceId, Is.EqualTo("r/CryptoCurrency"));
        });
    }
}
