using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Polly;
using RiskConsole.Core.Contracts;
using RiskConsole.Core.Signals;
using RiskConsole.Ingest;
using RiskConsole.Ingest.Live;

namespace RiskConsole.Tests.Ingest.Live;

/// <summary>
/// <see cref="LiveSource"/>'s own logic with a scripted listener, on the real clock with short configured times (its
/// waits run through Polly, timers and the channel together; awaiting the board's mode changes keeps the tests exact):
/// the three modes, fallback to mock and back without interleaving, silence, bad frames, backoff, throttling.
/// </summary>
public sealed class LiveSourceTests
{
    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private SignalChannel _channel = null!;
    private SourceStatusBoard _board = null!;
    private TestMeters _meters = null!;
    private FakeLogger<LiveSource> _logger = null!;
    private LiveSource? _source;
    private int _mockCalls;

    [SetUp]
    public void Create()
    {
        _channel = new SignalChannel();
        _board = new SourceStatusBoard();
        _meters = new TestMeters();
        _logger = new FakeLogger<LiveSource>();
        _mockCalls = 0;
    }

    [TearDown]
    public async Task StopAndDispose()
    {
        if (_source is not null)
        {
            await _source.StopAsync(CancellationToken.None);
            _source.Dispose();
        }

        _meters.Dispose();
    }

    [Test]
    public async Task AutoModeFallsBackToMockWhenTheUpstreamRefusesAndReturnsToLiveWithoutInterleavingMockAndLiveSignals()
    {
        var feed = new ScriptedFeed { Refusal = new HttpRequestException("stream refused: HTTP 451") };
        await StartAsync(feed, Options(IngestOptions.AutoMode));

        await _board.WaitForModeAsync(DataSources.Crypto, SourceModes.Mock);
        var mock = await ReadAsync(3);
        var onMock = _board.Get(DataSources.Crypto)!;

        feed.Refusal = null;
        var connection = await feed.NextConnectionAsync();
        connection.Sink.Connected("scripted stream");
        connection.Sink.MessageReceived();
        await _board.WaitForModeAsync(DataSources.Crypto, SourceModes.Live);
        var live = new PriceTick("BTCUSDT", 50_000, Epoch.AddDays(1), IsMock: false);
        await connection.Sink.PublishAsync(live, CancellationToken.None);

        // Everything written from here on: mock signals still in the channel first, then the live one, then nothing mock.
        var after = await ReadUntilAsync(s => s == live);
        var callsAtSwitch = Volatile.Read(ref _mockCalls);
        await connection.Sink.PublishAsync(live with { Price = 50_001, Timestamp = live.Timestamp.AddSeconds(1) }, CancellationToken.None);
        var next = await ReadAsync(1);

        Assert.Multiple(() =>
        {
            Assert.That(mock.All(s => s.IsMock), Is.True, "on mock data the source writes the generator's signals");
            Assert.That(onMock.Detail, Does.Contain("no live data from ws://scripted.invalid"));
            Assert.That(onMock.Errors, Is.GreaterThanOrEqualTo(1));
            Assert.That(onMock.LastError, Is.EqualTo("stream refused: HTTP 451"));
            Assert.That(after.SkipWhile(s => s.IsMock).ToList(), Is.EqualTo(new[] { live }), "no mock signal after the first live one");
            Assert.That(next.Single().IsMock, Is.False);
            Assert.That(Volatile.Read(ref _mockCalls), Is.LessThanOrEqualTo(callsAtSwitch + 1), "the mock pump stopped");
            Assert.That(_board.Get(DataSources.Crypto)!.Detail, Is.EqualTo("scripted stream"));
            Assert.That(_board.Get(DataSources.Crypto)!.Messages, Is.GreaterThanOrEqualTo(1));
        });
    }

    [Test]
    public async Task LiveModeShowsDownInsteadOfMockingAndComesBackWhenTheUpstreamAnswers()
    {
        var feed = new ScriptedFeed { Refusal = new HttpRequestException("connection refused") };
        await StartAsync(feed, Options(IngestOptions.LiveMode));

        await _board.WaitForModeAsync(DataSources.Crypto, SourceModes.Down);
        var down = _board.Get(DataSources.Crypto)!;
        feed.Refusal = null;
        var connection = await feed.NextConnectionAsync();
        connection.Sink.Connected("scripted stream");
        await connection.Sink.PublishAsync(new PriceTick("BTCUSDT", 1, Epoch, IsMock: false), CancellationToken.None);
        await _board.WaitForModeAsync(DataSources.Crypto, SourceModes.Live);
        var written = await ReadAsync(1);

        Assert.Multiple(() =>
        {
            Assert.That(down.Healthy, Is.False);
            Assert.That(down.Detail, Does.Contain("Ingest:Mode=live, so no mock data"));
            Assert.That(_mockCalls, Is.Zero, "live mode never asks the mock generator");
            Assert.That(written.Single().IsMock, Is.False);
        });
    }

    [Test]
    public async Task MockModeNeverConnects()
    {
        var feed = new ScriptedFeed();
        await StartAsync(feed, Options(IngestOptions.MockMode));

        var written = await ReadAsync(2);

        Assert.Multiple(() =>
        {
            Assert.That(written.All(s => s.IsMock), Is.True);
            Assert.That(feed.Attempts, Is.Empty);
            Assert.That(_board.Get(DataSources.Crypto)!.Mode, Is.EqualTo(SourceModes.Mock));
        });
    }

    [Test]
    public async Task AConnectionThatGoesSilentIsTreatedAsDeadAndReplaced()
    {
        var feed = new ScriptedFeed { SilenceTimeout = TimeSpan.FromMilliseconds(200) };
        await StartAsync(feed, Options(IngestOptions.AutoMode, fallbackSeconds: 60));

        var first = await feed.NextConnectionAsync();
        first.Sink.Connected("scripted stream");
        first.Sink.MessageReceived();
        await _board.WaitForModeAsync(DataSources.Crypto, SourceModes.Live);
        var second = await feed.NextConnectionAsync();
        var status = _board.Get(DataSources.Crypto)!;

        Assert.Multiple(() =>
        {
            Assert.That(first.Ended.IsCompleted, Is.False, "the listener did not end it; the source gave up on it");
            Assert.That(status.Mode, Is.EqualTo(SourceModes.Connecting));
            Assert.That(status.LastError, Is.EqualTo("no message for 0.2 s: the connection was treated as dead"));
            Assert.That(status.Errors, Is.EqualTo(1));
            Assert.That(feed.Attempts, Has.Count.EqualTo(2));
        });
        second.End();
    }

    [Test]
    public async Task BadFramesAreCountedAndSummedUpInOneWarningWithoutEndingTheConnection()
    {
        var feed = new ScriptedFeed();
        await StartAsync(feed, Options(IngestOptions.AutoMode, fallbackSeconds: 60));

        var connection = await feed.NextConnectionAsync();
        connection.Sink.Connected("scripted stream");
        for (var i = 0; i < 500; i++)
        {
            connection.Sink.MessageReceived();
            connection.Sink.FrameRejected($"not JSON ({i})");
        }

        await connection.Sink.PublishAsync(new PriceTick("BTCUSDT", 1, Epoch, IsMock: false), CancellationToken.None);
        var written = await ReadAsync(1);
        var status = _board.Get(DataSources.Crypto)!;
        var warnings = _logger.Collector.GetSnapshot().Where(r => r.Level == LogLevel.Warning).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(written.Single().IsMock, Is.False);
            Assert.That(status.Rejected, Is.EqualTo(500));
            Assert.That(status.Messages, Is.EqualTo(500));
            Assert.That(status.Errors, Is.Zero, "a bad frame is not a connection failure");
            Assert.That(status.LastError, Is.EqualTo("message dropped: not JSON (499)"));
            Assert.That(status.Mode, Is.EqualTo(SourceModes.Live));
            Assert.That(feed.Attempts, Has.Count.EqualTo(1), "bad frames never make the source reconnect");
            Assert.That(warnings, Has.Count.EqualTo(1), "a burst is one warning");
            Assert.That(_logger.Collector.GetSnapshot().Count(r => r.Level == LogLevel.Debug && r.Message.Contains("dropped", StringComparison.Ordinal)), Is.EqualTo(500));
        });
        connection.End();
    }

    [Test]
    public async Task ThrottlingIsHonouredBeforeTheNextAttempt()
    {
        var pause = TimeSpan.FromMilliseconds(600);
        var feed = new ScriptedFeed { Refusal = new UpstreamThrottledException("429 rate limited", pause) };
        await StartAsync(feed, Options(IngestOptions.LiveMode, fallbackSeconds: 60));

        await feed.WaitForAttemptsAsync(2);
        var attempts = feed.Attempts;

        Assert.That(attempts[1] - attempts[0], Is.GreaterThanOrEqualTo(pause - TimeSpan.FromMilliseconds(20)), "Retry-After is honoured, not the 10 ms backoff");
    }

    [Test]
    public async Task TheCircuitBreakerRestsTheSourceAfterFailuresInARowAndAHealthyConnectionStartsTheBackoffAfresh()
    {
        var feed = new ScriptedFeed { Refusal = new HttpRequestException("connection refused") };
        var options = Options(IngestOptions.LiveMode, fallbackSeconds: 60);
        options.CircuitBreakAfterFailures = 3;
        options.CircuitBreakSeconds = 0.5;
        options.ReconnectMaxDelaySeconds = 0.05;
        await StartAsync(feed, options);

        await feed.WaitForAttemptsAsync(4);
        var failing = feed.Attempts;
        feed.Refusal = null;
        var healthy = await feed.NextConnectionAsync();
        var healthyAttempt = feed.Attempts.Count - 1;
        healthy.Sink.Connected("scripted stream");
        healthy.Sink.MessageReceived();
        await _board.WaitForModeAsync(DataSources.Crypto, SourceModes.Live);
        feed.Refusal = new HttpRequestException("connection refused");
        healthy.End();
        await feed.WaitForAttemptsAsync(healthyAttempt + 3);
        var after = feed.Attempts;

        Assert.Multiple(() =>
        {
            Assert.That(failing[3] - failing[2], Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(480)), "three failures open the circuit for 0.5 s");
            Assert.That(failing[2] - failing[0], Is.LessThan(TimeSpan.FromMilliseconds(480)), "before that, the capped backoff is short");
            Assert.That(after[healthyAttempt + 2] - after[healthyAttempt + 1], Is.LessThan(TimeSpan.FromMilliseconds(400)), "after a healthy connection the backoff and the breaker start afresh");
        });
    }

    private static IngestOptions Options(string mode, double fallbackSeconds = 0.3) => new()
    {
        Mode = mode,
        FallbackAfterSeconds = fallbackSeconds,
        ReconnectDelaySeconds = 0.01,
        ReconnectMaxDelaySeconds = 0.1,
        CircuitBreakAfterFailures = 1000,
        CircuitBreakSeconds = 1,
    };

    private async Task StartAsync(ScriptedFeed feed, IngestOptions options)
    {
        var builder = new ResiliencePipelineBuilder();
        LiveSourceRegistration.ConfigureConnectionPipeline(builder, options, TimeProvider.System);
        _source = new LiveSource(
            feed,
            MockTicks,
            mockSeed: 1,
            "mock data (test)",
            options,
            builder.Build(),
            _channel,
            _board,
            TimeProvider.System,
            new IngestMetrics(_meters.Factory),
            _logger);
        await _source.StartAsync(CancellationToken.None);
    }

    private List<MarketSignal> MockTicks(DateTimeOffset now)
    {
        var call = Interlocked.Increment(ref _mockCalls);
        return [new PriceTick("BTCUSDT", 100 + call, Epoch.AddMilliseconds(call), IsMock: true)];
    }

    private async Task<List<MarketSignal>> ReadAsync(int count)
    {
        var read = new List<MarketSignal>();
        while (read.Count < count)
        {
            read.Add(await _channel.Reader.ReadAsync().AsTask().WaitAsync(IngestTestClock.WaitLimit));
        }

        return read;
    }

    private async Task<List<MarketSignal>> ReadUntilAsync(Func<MarketSignal, bool> last)
    {
        var read = new List<MarketSignal>();
        while (read.Count == 0 || !last(read[^1]))
        {
            read.Add(await _channel.Reader.ReadAsync().AsTask().WaitAsync(IngestTestClock.WaitLimit));
        }

        return read;
    }
}
