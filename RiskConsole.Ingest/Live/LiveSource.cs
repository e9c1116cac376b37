using Microsoft.Extensions.Logging;
using Polly;
using RiskConsole.Core.Contracts;
using RiskConsole.Core.Signals;

namespace RiskConsole.Ingest.Live;

/// <summary>
/// A live listener (<see cref="ILiveFeed"/>) run as a source, in the mode Ingest:Mode asks for:
/// <list type="bullet">
/// <item><c>mock</c>: never connects; its mock generator is the source.</item>
/// <item><c>live</c>: connects, reconnects through the source's Polly pipeline for ever, and never mocks: when no live
/// message has arrived for Ingest:FallbackAfterSeconds the source shows <see cref="SourceModes.Down"/>.</item>
/// <item><c>auto</c>: as live, but instead of down it switches to its mock generator, keeps connecting in the
/// background, and switches back as soon as a connected upstream sends again.</item>
/// </list>
/// Each connection attempt runs through the pipeline (exponential backoff with jitter and a cap, a circuit breaker);
/// a connection that delivered messages and then ended is not a failure of the attempt, so the next one starts the
/// backoff afresh. A connection silent for longer than <see cref="ILiveFeed.SilenceTimeout"/> is cancelled and
/// treated as dead. Mock and live signals pass one gate and the mock pump is stopped before the first live signal is
/// written, so for one source they never interleave. Each switch of mode is one status report (one log line; the
/// engine turns it into one alert).
/// </summary>
public sealed partial class LiveSource : SignalSource
{
    /// <summary>How long a burst of dropped upstream messages is summed up into one warning.</summary>
    public static readonly TimeSpan RejectionWarningInterval = TimeSpan.FromMinutes(1);

    private readonly ILiveFeed _feed;
    private readonly Func<DateTimeOffset, IReadOnlyList<MarketSignal>> _mockDueBy;
    private readonly int _mockSeed;
    private readonly string _mockDetail;
    private readonly IngestOptions _options;
    private readonly ResiliencePipeline _pipeline;
    private readonly SourceStatusBoard _board;
    private readonly TimeProvider _time;
    private readonly Lock _modeLock = new();

    // Every signal, mock or live, is written holding this gate, and the mock pump checks its own cancellation inside
    // it: once a switch to live has cancelled the pump, no mock signal can follow a live one.
    private readonly SemaphoreSlim _publishGate = new(1, 1);
    private readonly Lock _rejectionLock = new();

    private bool _live;
    private CancellationTokenSource? _mockPump;
    private Task _mockTask = Task.CompletedTask;
    private DateTimeOffset _lastLiveAt;
    private string? _connectedDetail;
    private bool _everConnected;
    private DateTimeOffset _rejectionWarnedAt = DateTimeOffset.MinValue;
    private long _rejectedSinceWarning;

    public LiveSource(
        ILiveFeed feed,
        Func<DateTimeOffset, IReadOnlyList<MarketSignal>> mockDueBy,
        int mockSeed,
        string mockDetail,
        IngestOptions options,
        ResiliencePipeline pipeline,
        SignalChannel channel,
        SourceStatusBoard board,
        TimeProvider time,
        IngestMetrics metrics,
        ILogger<LiveSource> logger)
        : base(feed?.Source ?? throw new ArgumentNullException(nameof(feed)), channel, board, time, metrics, logger)
    {
        _feed = feed;
        _mockDueBy = mockDueBy ?? throw new ArgumentNullException(nameof(mockDueBy));
        _mockSeed = mockSeed;
        _mockDetail = mockDetail;
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _pipeline = pipeline ?? throw new ArgumentNullException(nameof(pipeline));
        _board = board;
        _time = time;
    }

    /// <summary>The key of the source's connection pipeline in Polly's registry.</summary>
    public static string PipelineKey(string source) => "ingest-" + source;

    private bool MockOnly => _options.Mode == IngestOptions.MockMode;

    private bool MayMock => _options.Mode == IngestOptions.AutoMode;

    private TimeSpan FallbackAfter => TimeSpan.FromSeconds(_options.FallbackAfterSeconds);

    protected override string StartMode => MockOnly ? SourceModes.Mock : SourceModes.Connecting;

    protected override string? StartDetail => MockOnly ? _mockDetail : $"connecting to {_feed.Endpoint}";

    public override void Dispose()
    {
        _mockPump?.Dispose();
        _publishGate.Dispose();
        base.Dispose();
    }

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        if (MockOnly)
        {
            LogMockSeed(Logger, Source, _mockSeed);
            await PumpAsync(_mockDueBy, stoppingToken).ConfigureAwait(false);
            return;
        }

        _lastLiveAt = _time.GetUtcNow();
        var watchdog = WatchForFallbackAsync(stoppingToken);
        try
        {
            while (true)
            {
                await _pipeline.ExecuteAsync(static (source, token) => source.RunOneConnectionAsync(token), this, stoppingToken).ConfigureAwait(false);

                // That connection was healthy and ended: reconnect after the first step of the backoff, not at once,
                // so an upstream that accepts, answers once and hangs up is not hammered.
                await Task.Delay(TimeSpan.FromSeconds(_options.ReconnectDelaySeconds), _time, stoppingToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await StopMockAsync().ConfigureAwait(false);
            await watchdog.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>
    /// One connection, start to end. Returns when it was healthy (connected and messages arrived) however it ended, so
    /// the pipeline's backoff starts over; throws <see cref="LiveConnectionException"/> when it failed before that.
    /// </summary>
    private async ValueTask RunOneConnectionAsync(CancellationToken cancellationToken)
    {
        using var session = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sink = new ConnectionSink(this, session);
        var check = TimeSpan.FromTicks(Math.Clamp(_feed.SilenceTimeout.Ticks / 4, TimeSpan.TicksPerMillisecond * 10, TimeSpan.TicksPerSecond));
        string? failure;
        Exception? thrown = null;
        await using (_time.CreateTimer(static state => ((ConnectionSink)state!).CheckSilence(), sink, check, check).ConfigureAwait(false))
        {
            try
            {
                await _feed.RunConnectionAsync(sink, session.Token).ConfigureAwait(false);
                failure = null;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (OperationCanceledException) when (sink.WentSilent)
            {
                failure = $"no message for {_feed.SilenceTimeout.TotalSeconds:0.#} s: the connection was treated as dead";
            }
            catch (Exception ex)
            {
                failure = UpstreamFailure.Describe(ex);
                thrown = ex;
            }
            finally
            {
                sink.Close();
            }
        }

        ConnectionEnded(failure ?? "the upstream ended the connection", failed: failure is not null);
        if (sink.WasHealthy)
        {
            if (thrown is UpstreamThrottledException throttled)
            {
                // Healthy until the upstream asked for a pause: honour it before the next connection.
                await Task.Delay(throttled.RetryAfter, _time, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        throw new LiveConnectionException(failure ?? "the connection ended before any message arrived", thrown);
    }

    private void ConnectionEnded(string reason, bool failed)
    {
        if (failed)
        {
            _board.CountError(Source, reason);
        }

        LogConnectionEnded(Logger, Source, _feed.Endpoint, reason);
        lock (_modeLock)
        {
            if (!_live)
            {
                return;
            }

            _live = false;
            ReportStatus(SourceModes.Connecting, healthy: false, $"reconnecting to {_feed.Endpoint}: {reason}");
        }
    }

    /// <summary>A connected upstream sent something: the source is live from here on (the mock pump stops first).</summary>
    private void UpstreamAnswered(DateTimeOffset at)
    {
        lock (_modeLock)
        {
            _lastLiveAt = at;
            if (_live)
            {
                return;
            }

            _live = true;
            _mockPump?.Cancel();
            ReportStatus(SourceModes.Live, healthy: true, _connectedDetail ?? $"connected to {_feed.Endpoint}");
        }
    }

    private async Task WatchForFallbackAsync(CancellationToken stoppingToken)
    {
        var period = TimeSpan.FromTicks(Math.Clamp(FallbackAfter.Ticks / 4, TimeSpan.TicksPerMillisecond * 10, TimeSpan.TicksPerSecond));
        using var timer = new PeriodicTimer(period, _time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            lock (_modeLock)
            {
                var quiet = _time.GetUtcNow() - _lastLiveAt;
                if (_live || quiet < FallbackAfter)
                {
                    continue;
                }

                var why = $"no live data from {_feed.Endpoint} for {quiet.TotalSeconds:0} s";
                if (MayMock)
                {
                    if (_mockPump is null || _mockPump.IsCancellationRequested)
                    {
                        StartMock();
                        ReportStatus(SourceModes.Mock, healthy: true, $"{_mockDetail}: {why}; still trying to connect");
                    }
                }
                else if (_board.Get(Source)?.Mode != SourceModes.Down)
                {
                    ReportStatus(SourceModes.Down, healthy: false, $"{why}; Ingest:Mode=live, so no mock data; still trying to connect");
                }
            }
        }
    }

    private void StartMock()
    {
        _mockPump?.Dispose();
        _mockPump = new CancellationTokenSource();
        var previous = _mockTask;
        _mockTask = PumpMockAsync(previous, _mockPump.Token);
    }

    private async Task PumpMockAsync(Task previous, CancellationToken cancellationToken)
    {
        await previous.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

        // The generator has not been asked since the last episode (or since the host started): skip what it would
        // have produced meanwhile, or a burst of stale trades would arrive and be refused as late.
        _ = _mockDueBy(_time.GetUtcNow());
        LogMockSeed(Logger, Source, _mockSeed);
        using var timer = new PeriodicTimer(PollInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                foreach (var signal in _mockDueBy(_time.GetUtcNow()))
                {
                    await _publishGate.WaitAsync(cancellationToken).ConfigureAwait(false);
                    try
                    {
                        if (cancellationToken.IsCancellationRequested)
                        {
                            return;
                        }

                        await PublishAsync(signal, cancellationToken).ConfigureAwait(false);
                    }
                    finally
                    {
                        _publishGate.Release();
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Live again, or the host is stopping.
        }
    }

    private async Task StopMockAsync()
    {
        Task pump;
        lock (_modeLock)
        {
            _mockPump?.Cancel();
            pump = _mockTask;
        }

        await pump.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private void Rejected(string reason)
    {
        _board.CountRejected(Source, reason);
        LogRejected(Logger, Source, reason);
        long count;
        lock (_rejectionLock)
        {
            _rejectedSinceWarning++;
            var now = _time.GetUtcNow();
            if (now - _rejectionWarnedAt < RejectionWarningInterval)
            {
                return;
            }

            count = _rejectedSinceWarning;
            _rejectedSinceWarning = 0;
            _rejectionWarnedAt = now;
        }

        LogRejectedBurst(Logger, Source, count, reason, RejectionWarningInterval.TotalSeconds);
    }

    private async ValueTask PublishLiveAsync(MarketSignal signal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(signal);
        if (signal.IsMock)
        {
            throw new ArgumentException($"The {Source} listener published a signal marked as mock.", nameof(signal));
        }

        await _publishGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await PublishAsync(signal, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _publishGate.Release();
        }
    }

    /// <summary>What one connection reports through; ignored once the connection has ended.</summary>
    private sealed class ConnectionSink(LiveSource owner, CancellationTokenSource session) : ILiveFeedSink
    {
        private readonly DateTimeOffset _openedAt = owner._time.GetUtcNow();
        private long _lastMessageTicks;
        private volatile bool _connected;
        private volatile bool _closed;
        private volatile bool _answered;

        public bool WentSilent { get; private set; }

        public bool WasHealthy => _connected && _answered;

        public void Connected(string detail)
        {
            if (_closed)
            {
                return;
            }

            lock (owner._modeLock)
            {
                owner._connectedDetail = detail;
                if (owner._everConnected && !_connected)
                {
                    owner.ReportReconnected();
                }

                owner._everConnected = true;
            }

            _connected = true;
            LogConnected(owner.Logger, owner.Source, detail);
            if (Interlocked.Read(ref _lastMessageTicks) != 0)
            {
                // A listener that counted its first answer before saying it is connected is live now, not one
                // message later (for a poller that could be a whole poll interval, enough to fall back to mock).
                _answered = true;
                owner.UpstreamAnswered(owner._time.GetUtcNow());
            }
        }

        public void MessageReceived()
        {
            if (_closed)
            {
                return;
            }

            var now = owner._time.GetUtcNow();
            Interlocked.Exchange(ref _lastMessageTicks, now.UtcTicks);
            owner._board.CountMessage(owner.Source, now);
            if (_connected)
            {
                _answered = true;
                owner.UpstreamAnswered(now);
            }
        }

        public void FrameRejected(string reason)
        {
            if (!_closed)
            {
                owner.Rejected(reason);
            }
        }

        public ValueTask PublishAsync(MarketSignal signal, CancellationToken cancellationToken)
        {
            if (_closed)
            {
                // A listener still winding down after its connection was given up must not write any more.
                return ValueTask.FromCanceled(new CancellationToken(canceled: true));
            }

            if (!_answered)
            {
                // A signal is an answer even from a listener that forgot to say so.
                _connected = true;
                MessageReceived();
            }

            return owner.PublishLiveAsync(signal, cancellationToken);
        }

        public void CheckSilence()
        {
            var last = Interlocked.Read(ref _lastMessageTicks);
            var since = last == 0 ? _openedAt : new DateTimeOffset(last, TimeSpan.Zero);
            if (!_closed && owner._time.GetUtcNow() - since > owner._feed.SilenceTimeout)
            {
                WentSilent = true;
                session.Cancel();
            }
        }

        public void Close() => _closed = true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Mock {Source} feed started with seed {Seed} (set Ingest:Mock:Seed to replay this run)")]
    private static partial void LogMockSeed(ILogger logger, string source, int seed);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Source} connected: {Detail}")]
    private static partial void LogConnected(ILogger logger, string source, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Source} connection to {Endpoint} ended: {Reason}")]
    private static partial void LogConnectionEnded(ILogger logger, string source, string endpoint, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Source} upstream message dropped: {Reason}")]
    private static partial void LogRejected(ILogger logger, string source, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Source}: {Count} upstream message(s) dropped (latest: {Reason}); the connection is kept. Further drops are summed up every {Seconds} s; each is logged at debug")]
    private static partial void LogRejectedBurst(ILogger logger, string source, long count, string reason, double seconds);
}

/// <summary>A connection attempt failed before its upstream sent anything; the message says why in plain words.</summary>
public sealed class LiveConnectionException(string message, Exception? inner) : Exception(message, inner);
