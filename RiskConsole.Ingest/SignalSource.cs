using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RiskConsole.Core.Contracts;
using RiskConsole.Core.Signals;

namespace RiskConsole.Ingest;

/// <summary>
/// One source of signals as a hosted service: what every mock feed and live listener shares. It reports its mode on
/// the <see cref="SourceStatusBoard"/> from the moment the host starts it, writes each signal into the
/// <see cref="SignalChannel"/> awaiting room (nothing is dropped) and touches the board for it, and reports
/// <see cref="SourceModes.Stopped"/> with the reason when it ends, whether the host stopped it or it failed.
/// A subclass supplies only <see cref="RunAsync"/>: a mock feed pumps its generator with <see cref="PumpAsync"/>; a
/// live listener publishes what it receives with <see cref="PublishAsync"/>, and while its upstream is down can pump
/// a mock generator instead, reporting each switch with <see cref="ReportStatus"/> and each new upstream connection
/// with <see cref="ReportReconnected"/>. Every change of mode, stopping included, is counted in <see cref="IngestMetrics"/>.
/// </summary>
public abstract partial class SignalSource : BackgroundService
{
    /// <summary>
    /// How often <see cref="PumpAsync"/> asks a generator for due signals. A signal is delivered at most this late, far
    /// inside the engine's one-second bar and the 100 ms publish tick; the signal keeps its own timestamp either way.
    /// </summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    private readonly SignalChannel _channel;
    private readonly SourceStatusBoard _board;
    private readonly TimeProvider _time;
    private readonly IngestMetrics _metrics;
    private readonly Lock _statusLock = new();
    private PeriodicTimer? _timer;
    private bool _stopped;
    private string? _mode;

    protected SignalSource(string source, SignalChannel channel, SourceStatusBoard board, TimeProvider time, IngestMetrics metrics, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        Source = source;
        _channel = channel ?? throw new ArgumentNullException(nameof(channel));
        _board = board ?? throw new ArgumentNullException(nameof(board));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        Logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>The source this service feeds (one of <see cref="DataSources"/>); every signal it publishes must belong to it.</summary>
    public string Source { get; }

    protected ILogger Logger { get; }

    /// <summary>The mode the board shows as soon as the host has started this source: mock, or starting for a live listener.</summary>
    protected abstract string StartMode { get; }

    /// <summary>Why the source is in <see cref="StartMode"/>, shown next to it on the board.</summary>
    protected virtual string? StartDetail => null;

    /// <summary>Produces signals until <paramref name="stoppingToken"/> is cancelled. Returning or throwing stops the source.</summary>
    protected abstract Task RunAsync(CancellationToken stoppingToken);

    /// <summary>Shows a change of mode (live, mock, starting) and its reason on the board, and logs it.</summary>
    protected void ReportStatus(string mode, bool healthy, string? detail)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(mode);
        if (mode == SourceModes.Stopped)
        {
            // Stopped is final and carries why the loop ended, which only the loop's end knows.
            throw new ArgumentException($"A source reports {SourceModes.Stopped} by ending, not through {nameof(ReportStatus)}.", nameof(mode));
        }

        lock (_statusLock)
        {
            // Once stopped, a late report from a loop that is still winding down must not make the board claim it runs.
            if (_stopped)
            {
                return;
            }

            _board.Report(Source, mode, healthy, detail);
            CountModeChange(mode);
        }

        LogStatus(Logger, Source, mode, detail ?? "");
    }

    /// <summary>
    /// Counts one reconnect to the upstream (<see cref="IngestMetrics.UpstreamReconnected"/>). A live listener calls it
    /// each time it opens a new connection after losing one, not for the first connection.
    /// </summary>
    protected void ReportReconnected() => _metrics.UpstreamReconnected(Source);

    /// <summary>Writes <paramref name="signal"/> into the channel, waiting while it is full, then touches the board.</summary>
    protected async ValueTask PublishAsync(MarketSignal signal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(signal);
        if (!string.Equals(signal.Source, Source, StringComparison.Ordinal))
        {
            // The board would credit the wrong source with it, so this is a bug in the subclass, not bad data.
            throw new ArgumentException($"The {Source} source cannot publish a {signal.Source} signal.", nameof(signal));
        }

        await _channel.Writer.WriteAsync(signal, cancellationToken).ConfigureAwait(false);
        _board.Touch(Source, signal.Timestamp);
    }

    /// <summary>
    /// On every <see cref="PollInterval"/> of the injected clock, publishes what <paramref name="dueBy"/> returns for
    /// the current time (the signals due by then, in time order), until <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    protected async Task PumpAsync(Func<DateTimeOffset, IReadOnlyList<MarketSignal>> dueBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dueBy);
        var timer = _timer ?? throw new InvalidOperationException($"{GetType().Name} pumps only after StartAsync, which creates its timer.");
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var signal in dueBy(_time.GetUtcNow()))
            {
                await PublishAsync(signal, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Both happen here rather than in ExecuteAsync, which .NET 10 runs on a background thread: the board shows
        // the mode as soon as the host has started us, and a timer that exists from the start remembers a tick
        // even if the clock moves before the loop first waits (so a test's fake clock cannot race it).
        ReportStatus(StartMode, healthy: true, StartDetail);
        _timer = new PeriodicTimer(PollInterval, _time);
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);

        // Reported here and not only when ExecuteAsync ends: .NET 10 starts ExecuteAsync with Task.Run on the stopping
        // token, so a source stopped right after it started may never have run it at all.
        ReportStopped("the host stopped it", failure: null);
    }

    public override void Dispose()
    {
        _timer?.Dispose();
        base.Dispose();
        GC.SuppressFinalize(this);
    }

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RunAsync(stoppingToken).ConfigureAwait(false);
            if (!stoppingToken.IsCancellationRequested)
            {
                ReportStopped("it ended before the host stopped it", failure: null);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping it; StopAsync reports that once the loop has ended.
        }
        catch (Exception ex)
        {
            ReportStopped($"failed: {ex.Message}", ex);

            // Rethrown so the host applies its BackgroundServiceExceptionBehavior, as it would without this class.
            throw;
        }
    }

    private void ReportStopped(string reason, Exception? failure)
    {
        lock (_statusLock)
        {
            // The first reason wins: a failure is not overwritten by the host stopping the source afterwards.
            if (_stopped)
            {
                return;
            }

            _stopped = true;
            _board.Report(Source, SourceModes.Stopped, healthy: false, reason);
            CountModeChange(SourceModes.Stopped);
        }

        if (failure is null)
        {
            LogStopped(Logger, Source, reason);
        }
        else
        {
            LogFailed(Logger, failure, Source);
        }
    }

    /// <summary>Only a different mode counts: a listener repeating "mock" with a new reason has not changed anything an alert cares about.</summary>
    private void CountModeChange(string mode)
    {
        if (!string.Equals(_mode, mode, StringComparison.Ordinal))
        {
            _mode = mode;
            _metrics.SourceStatusChanged(Source, mode);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Source} source is {Mode}: {Detail}")]
    private static partial void LogStatus(ILogger logger, string source, string mode, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Source} source stopped: {Reason}")]
    private static partial void LogStopped(ILogger logger, string source, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Source} source failed and stopped")]
    private static partial void LogFailed(ILogger logger, Exception exception, string source);
}
