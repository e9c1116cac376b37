using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RiskConsole.Ai;
using RiskConsole.Ai.Roasts;
using RiskConsole.Ai.Voice;
using RiskConsole.Core.Contracts;
using RiskConsole.Engine.Publishing;
using RiskConsole.Engine.Scoring;

namespace RiskConsole.Engine.Interrupts;

/// <summary>
/// One interrupt at a time, on its own task: roast → voice → Interrupt + Alert to everyone, queued in order with
/// the scores (<see cref="OutboundMailbox"/>), so no client sees the interrupt before the score that caused it. The whole run
/// has a hard time budget; a failing or slow roast writer is replaced by the offline writer and reported
/// with an error alert, a failing voice just means no audio (the page speaks the text itself).
/// Each AI call's duration and outcome, and each interrupt sent, are recorded in <see cref="EngineMetrics"/>.
/// </summary>
public sealed partial class InterruptWorkflow(
    RiskMonitor monitor,
    IRoastWriter roastWriter,
    OfflineRoastWriter fallbackWriter,
    ISpeechSynthesizer voice,
    OutboundMailbox outbound,
    AiStatusBoard aiStatus,
    EngineMetrics metrics,
    IOptions<InterruptWorkflowOptions> options,
    IOptions<ElevenLabsOptions> voiceOptions,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<InterruptWorkflow> logger)
{
    private int _running;

    public bool IsRunning => Volatile.Read(ref _running) == 1;

    /// <summary>Starts an interrupt unless one is already running; never blocks the caller.</summary>
    public bool TryStart(bool forced)
    {
        if (Interlocked.CompareExchange(ref _running, 1, 0) != 0)
        {
            return false;
        }

        // Not awaited by design: the caller (router tick, hub, HTTP) must not wait for AI; RunAsync reports its own failures.
        _ = Task.Run(() => RunAsync(forced));
        return true;
    }

    private async Task RunAsync(bool forced)
    {
        try
        {
            var context = monitor.RoastContext(forced);
            using var budget = new CancellationTokenSource(TimeSpan.FromSeconds(options.Value.InterruptBudgetSeconds), time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(budget.Token, lifetime.ApplicationStopping);

            string roast;
            var roastStartedAt = time.GetTimestamp();
            try
            {
                roast = await roastWriter.WriteAsync(context, linked.Token);
                if (string.IsNullOrWhiteSpace(roast))
                {
                    throw new InvalidOperationException($"roast writer '{roastWriter.Name}' returned no text");
                }

                metrics.AiCallCompleted(AiServices.Roasts, roastWriter.Name, EngineMetrics.Success, time.GetElapsedTime(roastStartedAt));
                aiStatus.Succeeded(AiServices.Roasts);
            }
            catch (Exception ex) when (!lifetime.ApplicationStopping.IsCancellationRequested)
            {
                metrics.AiCallCompleted(AiServices.Roasts, roastWriter.Name, budget.IsCancellationRequested ? EngineMetrics.Timeout : EngineMetrics.Failure, time.GetElapsedTime(roastStartedAt));
                var reason = aiStatus.Redact(budget.IsCancellationRequested ? "timeout" : ex.Message);
                aiStatus.Failed(AiServices.Roasts, reason);
                LogRoastFailed(ex, roastWriter.Name);
                outbound.Alert(new AlertNotice(AlertTypes.Error, $"Failed to generate interrupt content: {reason}", time.GetUtcNow()));
                roast = await fallbackWriter.WriteAsync(context, CancellationToken.None);
            }

            string? audioUrl = null;
            var voiceStartedAt = time.GetTimestamp();
            try
            {
                audioUrl = await voice.SynthesizeAsync(roast, linked.Token);
                metrics.AiCallCompleted(AiServices.Voice, voice.Name, audioUrl is null ? EngineMetrics.NoAudio : EngineMetrics.Success, time.GetElapsedTime(voiceStartedAt));
                if (audioUrl is not null)
                {
                    aiStatus.Succeeded(AiServices.Voice);
                }
            }
            catch (Exception ex) when (!lifetime.ApplicationStopping.IsCancellationRequested)
            {
                metrics.AiCallCompleted(AiServices.Voice, voice.Name, budget.IsCancellationRequested ? EngineMetrics.Timeout : EngineMetrics.Failure, time.GetElapsedTime(voiceStartedAt));
                var reason = aiStatus.Redact(budget.IsCancellationRequested ? "timeout" : ex.Message);
                aiStatus.Failed(AiServices.Voice, reason);
                LogVoiceFailed(ex, voice.Name);
                outbound.Alert(new AlertNotice(AlertTypes.Error, $"Voice unavailable: {reason}", time.GetUtcNow()));
            }

            // No voice (no key, or it failed): the configured fallback clip if there is one, else none and the page speaks.
            audioUrl ??= string.IsNullOrWhiteSpace(voiceOptions.Value.FallbackAudioUrl) ? null : voiceOptions.Value.FallbackAudioUrl;
            var now = time.GetUtcNow();
            outbound.Interrupt(new InterruptNotice(roast, audioUrl, context.Score, forced, now));
            var message = forced
                ? $"Forced interrupt at {context.Score:F1}/100"
                : $"Risk threshold exceeded: {context.Score:F1}/100";
            outbound.Alert(new AlertNotice(AlertTypes.Interrupt, message, now));
            metrics.InterruptSent(forced);
            LogInterruptSent(context.Score, forced, audioUrl is not null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !lifetime.ApplicationStopping.IsCancellationRequested)
        {
            LogWorkflowFailed(ex);
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Roast writer {Writer} failed; sending the offline roast")]
    private partial void LogRoastFailed(Exception ex, string writer);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Speech synthesizer {Synthesizer} failed; interrupt goes out without audio")]
    private partial void LogVoiceFailed(Exception ex, string synthesizer);

    [LoggerMessage(Level = LogLevel.Information, Message = "Interrupt sent at score {Score:F1} (forced: {Forced}, audio: {HasAudio})")]
    private partial void LogInterruptSent(double score, bool forced, bool hasAudio);

    [LoggerMessage(Level = LogLevel.Error, Message = "Interrupt workflow failed")]
    private partial void LogWorkflowFailed(Exception ex);
}
