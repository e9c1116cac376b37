using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RiskConsole.Core.Contracts;
using RiskConsole.Core.Interrupts;
using RiskConsole.Core.Signals;
using RiskConsole.Engine.Interrupts;
using RiskConsole.Engine.Scoring;
using RiskConsole.Ingest;

namespace RiskConsole.Engine.Publishing;

/// <summary>
/// The one reader of the signal channel, the publish tick, and the one sender to the clients. Reading never waits
/// for clients: the tick queues what happened (<see cref="OutboundMailbox"/>: scores, alerts, interrupts, joins, in
/// order) and the sender delivers it through the engine's port, <see cref="IRiskClient"/> (the clients as a whole);
/// while a send is slow, scores coalesce to the newest and data to the newest datum per key. The router never
/// awaits an interrupt; the workflow runs on its own task and queues its messages in the same order.
/// Each loop survives a fault of one item (a signal, a tick, a send): it is logged, counted in
/// <see cref="ScoringHealth"/>, and the loop goes on. Only shutdown ends a loop; if one ends anyway,
/// readiness says so at once instead of the process looking alive while scoring has stopped.
/// Signals read and refused, scores sent and tick durations are recorded in <see cref="EngineMetrics"/>.
/// </summary>
public sealed partial class EventRouter(
    SignalChannel channel,
    RiskMonitor monitor,
    OutboundMailbox outbound,
    IRiskClient clients,
    InterruptWorkflow interrupts,
    ScoringHealth health,
    EngineMetrics metrics,
    IOptions<RiskPublishOptions> publishOptions,
    TimeProvider time,
    ILogger<EventRouter> logger) : BackgroundService
{
    // What a client joining now must start from: the last score everyone got (Seq 0, the empty reading, before any),
    // never the monitor's latest, which may be scored but still waiting in the queue.
    private RiskScoreUpdate _lastSent = monitor.Latest;
    private bool _reportedUnhealthy;
    private long _droppedScoresLogged;

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
                var name = LoopName(loop);
                LogLoopEnded(null, name, endedWithoutFault);
            }
        }
        catch (Exception ex) when (!IsShutdown(ex, stoppingToken))
        {
            health.LoopEnded(loop, $"{ex.GetType().Name}: {ex.Message}");
            var name = LoopName(loop);
            LogLoopEnded(ex, name, ex.Message);
        }
    }

    private async Task ReadAsync(CancellationToken stoppingToken)
    {
        await foreach (var signal in channel.Reader.ReadAllAsync(stoppingToken))
        {
            var readAt = health.SignalRead();
            try
            {
                // Inside the try: a signal type the router does not know may throw from its own properties.
                var source = signal.Source;
                metrics.SignalReceived(source);
                var verdict = monitor.Ingest(signal);
                if (verdict != SignalVerdict.Accepted)
                {
                    metrics.SignalRejected(source, verdict);
                    if (logger.IsEnabled(LogLevel.Debug))
                    {
                        // Described only when it will be logged: rejections can come at the ingest rate.
                        var reason = verdict.Describe();
                        LogRejected(source, signal.Key, reason);
                    }
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

    /// <summary>
    /// Publishes data every publish interval, and a score as soon as it can be computed: the open bar closes at a
    /// known moment (its end plus the lateness allowance), so the loop also wakes then and sends the new score at once
    /// instead of up to an interval later. Scores stay rate-limited to one per publish interval: a bar that closes
    /// sooner than that after the last score waits for the interval to pass, and a tick that comes sooner than that
    /// sends its data only (its score is evaluated at the next one). Every evaluation happens here, on one loop, so
    /// the order guarantees (an alert after its score, Seq without gaps, joins) are the tick's as before.
    /// </summary>
    private async Task TickAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromMilliseconds(publishOptions.Value.PublishIntervalMs);
        var nextTick = time.GetUtcNow() + interval;
        DateTimeOffset? lastScoreAt = null;
        DateTimeOffset? lastEarlyClose = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            // The earlier of the next tick and the next bar close (not before the rate limit allows a score, and each
            // close woken for once, so a bar that did not close on this clock cannot spin the loop).
            var due = nextTick;
            var early = false;
            if (monitor.NextBarCloseAt is { } close && close != lastEarlyClose)
            {
                var allowed = lastScoreAt is { } last && last + interval > close ? last + interval : close;
                if (allowed < nextTick)
                {
                    due = allowed;
                    early = true;
                    lastEarlyClose = close;
                }
            }

            var wait = due - time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, stoppingToken);
            }

            var now = time.GetUtcNow();
            if (!early)
            {
                // Like a periodic timer: ticks keep their phase, and a late one is not made up for by a burst.
                nextTick = nextTick + interval > now ? nextTick + interval : now + interval;
            }

            try
            {
                health.TickStarted(channel.Backlog);
                var startedAt = time.GetTimestamp();
                if (PublishTick(evaluate: early || lastScoreAt is not { } sentAt || now - sentAt >= interval, scoreOnly: early))
                {
                    lastScoreAt = now;
                }

                metrics.TickCompleted(time.GetElapsedTime(startedAt));
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

        stoppingToken.ThrowIfCancellationRequested();
    }

    /// <summary>
    /// Evaluates (when <paramref name="evaluate"/>) and queues the score, its threshold alert after it, and (unless
    /// <paramref name="scoreOnly"/>) the data since the last tick. Returns whether a score was queued.
    /// </summary>
    private bool PublishTick(bool evaluate, bool scoreOnly)
    {
        if (!evaluate)
        {
            outbound.Publish(null);
            return false;
        }

        // The workflow is asked to start a due interrupt inside the policy's decision, so an interrupt that could not
        // start (one is already running) is neither counted nor allowed to hold off the next one.
        var (score, decision) = monitor.Evaluate(() => interrupts.TryStart(forced: false));
        if (!scoreOnly)
        {
            outbound.Publish(score);
        }
        else if (score is not null)
        {
            outbound.PublishScore(score);
        }

        var dropped = outbound.DroppedScores;
        if (dropped > 0 && dropped >= 2 * _droppedScoresLogged)
        {
            // Logged at the first drop and each time the count doubles: visible, never a line per tick.
            _droppedScoresLogged = Math.Max(1, dropped);
            LogScoresDropped(dropped, OutboundMailbox.MaxWaitingScores);
        }
        if (decision.Crossing != ThresholdCrossing.None)
        {
            // Queued after the score it describes, so every client sees the score first.
            var latest = monitor.Latest;
            var alert = decision.Crossing == ThresholdCrossing.Up
                ? new AlertNotice(AlertTypes.Warning, $"Risk crossed the threshold: {latest.Score:F1}/100 (threshold {monitor.Threshold:F0})", time.GetUtcNow())
                : new AlertNotice(AlertTypes.Info, $"Risk back below the threshold: {latest.Score:F1}/100", time.GetUtcNow());
            outbound.Alert(alert);
        }

        return score is not null;
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
        await foreach (var message in outbound.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                health.SendStarted();

                // WaitAsync: a send stuck on a client must not hold up shutdown; the abandoned send ends with the host.
                await SendAsync(message).WaitAsync(stoppingToken);
                health.SendCompleted();
            }
            catch (Exception ex) when (!IsShutdown(ex, stoppingToken))
            {
                // Including a cancellation that is not ours (a client transport giving up): the next tick sends the newest state.
                RecordFault(RouterLoop.Send, ex);
            }
        }
    }

    private async Task SendAsync(OutboundMessage message)
    {
        switch (message)
        {
            case OutboundMessage.State state:
                // A score directly followed by another is stale before it leaves: send only the newer one.
                var superseded = outbound.Reader.TryPeek(out var next) && next is OutboundMessage.State { Score: not null };
                if (state.Score is { } score && !superseded && score.Seq > _lastSent.Seq)
                {
                    _lastSent = score;
                    await clients.RiskScore(score);
                    metrics.ScorePublished();
                }

                // One batch per tick: the port decides how each client gets it (one frame to a batch client, a
                // DataUpdate per datum to the others), so it is serialized per topic combination, not per datum and client.
                var data = state.WithData ? monitor.TakeUnsentData() : [];
                if (data.Count > 0)
                {
                    await clients.DataBatch(new DataBatch(data, time.GetUtcNow()));
                }

                break;
            case OutboundMessage.Alert alert:
                await clients.Alert(alert.Notice);
                break;
            case OutboundMessage.Interrupt interrupt:
                await clients.Interrupt(interrupt.Notice);
                break;
            case OutboundMessage.Join join:
                try
                {
                    await join.Run(_lastSent);
                    join.Done.TrySetResult();
                }
                catch (Exception ex)
                {
                    // The joining client learns of its failure; the sender records it and goes on with the next message.
                    join.Done.TrySetException(ex);
                    throw;
                }

                break;
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

    [LoggerMessage(Level = LogLevel.Debug, Message = "Rejected {Source} signal for {Key}: {Reason}")]
    private partial void LogRejected(string source, string key, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Event router read loop: a {Source} signal for {Key} ({SignalType}) failed and was skipped; reading goes on (read fault {FaultCount}, {UnloggedFaults} more since the last one logged)")]
    private partial void LogReadFault(Exception ex, string source, string key, string signalType, long faultCount, long unloggedFaults);

    [LoggerMessage(Level = LogLevel.Error, Message = "Event router {Loop} loop failed and goes on (fault {FaultCount} of this loop, {UnloggedFaults} more since the last one logged)")]
    private partial void LogLoopFault(Exception ex, string loop, long faultCount, long unloggedFaults);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Event router {Loop} loop ended unexpectedly ({Reason}); readiness fails until restart")]
    private partial void LogLoopEnded(Exception? ex, string loop, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Scoring unhealthy, readiness fails: {Reason}")]
    private partial void LogScoringUnhealthy(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The sender is far behind ({Limit} messages waiting): {Dropped} scores dropped so far, the newest is still sent (see /stats outboundDroppedScores)")]
    private partial void LogScoresDropped(long dropped, int limit);

    [LoggerMessage(Level = LogLevel.Information, Message = "Scoring healthy again: {Description}")]
    private partial void LogScoringHealthyAgain(string description);
}
