using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using RiskConsole.Core.Contracts;
using RiskConsole.Core.Interrupts;
using RiskConsole.Core.Signals;
using RiskConsole.Ingest;
using RiskConsole.Server.Configuration;

namespace RiskConsole.Server.Routing;

/// <summary>
/// The one reader of the signal channel, and the publish tick. Reading never waits for clients: the tick
/// hands output to a separate sender loop and, while that loop is still busy with a slow send, the
/// monitor keeps coalescing (newest score, newest datum per key) instead of queueing. The router never
/// awaits an interrupt; the workflow runs on its own task.
/// Each loop survives a fault of one item (a signal, a tick, a send): it is logged, counted in
/// <see cref="ScoringHealth"/>, and the loop goes on. Only shutdown ends a loop; if one ends anyway,
/// readiness says so at once instead of the process looking alive while scoring has stopped.
/// </summary>
public sealed partial class EventRouter(
    SignalChannel channel,
    RiskMonitor monitor,
    RiskBroadcaster broadcaster,
    InterruptWorkflow interrupts,
    ScoringHealth health,
    IOptions<RiskPublishOptions> publishOptions,
    TimeProvider time,
    ILogger<EventRouter> logger) : BackgroundService
{
    private readonly SemaphoreSlim _sendWanted = new(0, 1);
    private RiskScoreUpdate? _scoreToSend;
    private readonly Lock _scoreGate = new();
    private bool _reportedUnhealthy;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        health.RouterStarted();
        try
        {
            // Each guard ends only when its loop does, and reports that itself: a dead loop must not wait for the
            // other two to end before anyone hears of it. The tick starts first, so its timer runs before the first
            // signal is read.
            await Task.WhenAll(
                GuardAsync(RouterLoop.Tick, TickAsync, "the publish timer stopped", stoppingToken),
                GuardAsync(RouterLoop.Read, ReadAsync, "the signal channel was completed", stoppingToken),
                GuardAsync(RouterLoop.Send, SendAsync, "it returned before shutdown", stoppingToken));
        }
        finally
        {
            health.RouterStopped();
        }
    }

    private async Task GuardAsync(RouterLoop loop, Func<CancellationToken, Task> run, string endedWithoutFault, CancellationToken stoppingToken)
    {
        try
        {
            await run(stoppingToken);
            if (!stoppingToken.IsCancellationRequested)
            {
                health.LoopEnded(loop, endedWithoutFault);
                LogLoopEnded(null, LoopName(loop), endedWithoutFault);
            }
        }
        catch (Exception ex) when (!IsShutdown(ex, stoppingToken))
        {
            health.LoopEnded(loop, $"{ex.GetType().Name}: {ex.Message}");
            LogLoopEnded(ex, LoopName(loop), ex.Message);
        }
    }

    private async Task ReadAsync(CancellationToken stoppingToken)
    {
        await foreach (var signal in channel.Reader.ReadAllAsync(stoppingToken))
        {
            var readAt = health.SignalRead();
            try
            {
                var verdict = monitor.Ingest(signal);
                if (verdict != SignalVerdict.Accepted)
                {
                    LogRejected(signal.Source, signal.Key, verdict.Describe());
                }

                health.SignalHandled(readAt, verdict == SignalVerdict.Accepted);
            }
            catch (Exception ex) when (!IsShutdown(ex, stoppingToken))
            {
                // One bad signal costs itself only: the next one is read and scored as if it never came.
                var fault = health.LoopFaulted(RouterLoop.Read, ex);
                if (fault.ShouldLog)
                {
                    LogReadFault(ex, Describe(signal, s => s.Source), Describe(signal, s => s.Key), signal.GetType().Name, fault.Count, fault.UnloggedSinceLastLog);
                }
            }
        }
    }

    private async Task TickAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(publishOptions.Value.PublishIntervalMs), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                health.TickStarted(channel.Backlog);
                PublishTick();
                health.TickCompleted(monitor.Statistics().TotalUpdates);
            }
            catch (Exception ex) when (!IsShutdown(ex, stoppingToken))
            {
                RecordFault(RouterLoop.Tick, ex);
            }

            try
            {
                ReportHealthChange();
            }
            catch (Exception ex) when (!IsShutdown(ex, stoppingToken))
            {
                RecordFault(RouterLoop.Tick, ex);
            }
        }
    }

    private void PublishTick()
    {
        var (score, decision) = monitor.Evaluate();
        if (score is not null)
        {
            lock (_scoreGate)
            {
                _scoreToSend = score;
            }
        }

        if (decision.Crossing != ThresholdCrossing.None)
        {
            var latest = monitor.Latest;
            var threshold = monitor.Policy.Options.Threshold;
            var alert = decision.Crossing == ThresholdCrossing.Up
                ? new AlertNotice(AlertTypes.Warning, $"Risk crossed the threshold: {latest.Score:F1}/100 (threshold {threshold:F0})", time.GetUtcNow())
                : new AlertNotice(AlertTypes.Info, $"Risk back below the threshold: {latest.Score:F1}/100", time.GetUtcNow());
            _ = SendAlertAsync(alert);
        }

        if (decision.Fire && !interrupts.TryStart(forced: false))
        {
            LogInterruptSkipped();
        }

        // Wake the sender; if it is still busy the semaphore is already set and this tick coalesces.
        if (_sendWanted.CurrentCount == 0)
        {
            _sendWanted.Release();
        }
    }

    /// <summary>Logs when readiness starts or stops failing, so a stall is in the log when it happens, not only on /health.</summary>
    private void ReportHealthChange()
    {
        var report = health.Assess();
        var unhealthy = report.Status == HealthStatus.Unhealthy;
        if (unhealthy == _reportedUnhealthy)
        {
            return;
        }

        _reportedUnhealthy = unhealthy;
        if (unhealthy)
        {
            LogScoringUnhealthy(report.Description);
        }
        else
        {
            LogScoringHealthyAgain(report.Description);
        }
    }

    private async Task SendAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await _sendWanted.WaitAsync(stoppingToken);
            RiskScoreUpdate? score;
            lock (_scoreGate)
            {
                score = _scoreToSend;
                _scoreToSend = null;
            }

            try
            {
                health.SendStarted();

                // WaitAsync: a send stuck on a client must not hold up shutdown; the abandoned send ends with the host.
                if (score is not null)
                {
                    await broadcaster.ScoreAsync(score).WaitAsync(stoppingToken);
                }

                var data = monitor.TakeUnsentData();
                if (data.Count > 0)
                {
                    await broadcaster.DataAsync(data).WaitAsync(stoppingToken);
                }

                health.SendCompleted();
            }
            catch (Exception ex) when (!IsShutdown(ex, stoppingToken))
            {
                // Including a cancellation that is not ours (a client transport giving up): the next tick sends the newest state.
                RecordFault(RouterLoop.Send, ex);
            }
        }
    }

    private async Task SendAlertAsync(AlertNotice alert)
    {
        try
        {
            await broadcaster.AlertAsync(alert);
        }
        catch (Exception ex)
        {
            // Nobody awaits this task: whatever it throws is reported here or not at all.
            RecordFault(RouterLoop.Send, ex);
        }
    }

    private void RecordFault(RouterLoop loop, Exception ex)
    {
        var fault = health.LoopFaulted(loop, ex);
        if (fault.ShouldLog)
        {
            LogLoopFault(ex, LoopName(loop), fault.Count, fault.UnloggedSinceLastLog);
        }
    }

    private static bool IsShutdown(Exception ex, CancellationToken stoppingToken) =>
        ex is OperationCanceledException && stoppingToken.IsCancellationRequested;

    private static string LoopName(RouterLoop loop) => loop.ToString().ToLowerInvariant();

    /// <summary>
    /// A signal type from a listener the router does not know may throw from its own properties; the fault that
    /// brought us here is still logged, with what could not be read named instead.
    /// </summary>
    private static string Describe(MarketSignal signal, Func<MarketSignal, string> read)
    {
        try
        {
            return read(signal) ?? "(null)";
        }
        catch (Exception ex)
        {
            return $"(unreadable: {ex.GetType().Name})";
        }
    }

    public override void Dispose()
    {
        _sendWanted.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Rejected {Source} signal for {Key}: {Reason}")]
    private partial void LogRejected(string source, string key, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Interrupt due but one is already in progress; skipped")]
    private partial void LogInterruptSkipped();

    [LoggerMessage(Level = LogLevel.Error, Message = "Event router read loop: a {Source} signal for {Key} ({SignalType}) failed and was skipped; reading goes on (read fault {FaultCount}, {UnloggedFaults} more since the last one logged)")]
    private partial void LogReadFault(Exception ex, string source, string key, string signalType, long faultCount, long unloggedFaults);

    [LoggerMessage(Level = LogLevel.Error, Message = "Event router {Loop} loop failed and goes on (fault {FaultCount} of this loop, {UnloggedFaults} more since the last one logged)")]
    private partial void LogLoopFault(Exception ex, string loop, long faultCount, long unloggedFaults);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Event router {Loop} loop ended unexpectedly ({Reason}); readiness fails until restart")]
    private partial void LogLoopEnded(Exception? ex, string loop, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Scoring unhealthy, readiness fails: {Reason}")]
    private partial void LogScoringUnhealthy(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Scoring healthy again: {Description}")]
    private partial void LogScoringHealthyAgain(string description);
}
