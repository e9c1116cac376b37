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
/// </summary>
public sealed partial class EventRouter(
    SignalChannel channel,
    RiskMonitor monitor,
    RiskBroadcaster broadcaster,
    InterruptWorkflow interrupts,
    RouterState state,
    IOptions<RiskPublishOptions> publishOptions,
    TimeProvider time,
    ILogger<EventRouter> logger) : BackgroundService
{
    private readonly SemaphoreSlim _sendWanted = new(0, 1);
    private RiskScoreUpdate? _scoreToSend;
    private readonly Lock _scoreGate = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        state.Set(true);
        try
        {
            await Task.WhenAll(ReadAsync(stoppingToken), TickAsync(stoppingToken), SendAsync(stoppingToken));
        }
        finally
        {
            state.Set(false);
        }
    }

    private async Task ReadAsync(CancellationToken stoppingToken)
    {
        await foreach (var signal in channel.Reader.ReadAllAsync(stoppingToken))
        {
            var verdict = monitor.Ingest(signal);
            if (verdict != SignalVerdict.Accepted)
            {
                LogRejected(signal.Source, signal.Key, verdict.Describe());
            }
        }
    }

    private async Task TickAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(publishOptions.Value.PublishIntervalMs), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
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
                if (score is not null)
                {
                    await broadcaster.ScoreAsync(score);
                }

                var data = monitor.TakeUnsentData();
                if (data.Count > 0)
                {
                    await broadcaster.DataAsync(data);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One failed send must not stop publishing for good; the next tick sends the newest state.
                LogSendFailed(ex);
            }
        }
    }

    private async Task SendAlertAsync(AlertNotice alert)
    {
        try
        {
            await broadcaster.AlertAsync(alert);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogSendFailed(ex);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing failed; the next tick sends the newest state")]
    private partial void LogSendFailed(Exception ex);
}
