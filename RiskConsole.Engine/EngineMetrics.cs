using System.Diagnostics.Metrics;
using RiskConsole.Core.Signals;

namespace RiskConsole.Engine;

/// <summary>
/// The engine's instruments (meter <see cref="MeterName"/>): signals read per source and refused per reason, scores
/// sent to the clients, how long a publish tick takes, interrupts by trigger and how long each AI call behind them
/// took. Created from the host's <see cref="IMeterFactory"/> (no static state), so tests observe exactly their own
/// engine. Recording costs no allocation, so the read loop can count every signal.
/// </summary>
public sealed class EngineMetrics
{
    public const string MeterName = "RiskConsole.Engine";

    /// <summary>Values of the <c>trigger</c> tag on <c>riskconsole.interrupts</c>.</summary>
    public const string Forced = "forced";
    public const string Automatic = "automatic";

    /// <summary>Values of the <c>outcome</c> tag on <c>riskconsole.ai.duration</c>.</summary>
    public const string Success = "success";
    public const string NoAudio = "no_audio";
    public const string Failure = "failure";
    public const string Timeout = "timeout";

    // A tick takes well under a millisecond when healthy; the buckets resolve that range and still show a tick
    // that stalls for a whole publish interval (100 ms by default) or more.
    private static readonly double[] TickBucketsMs = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 1000];

    // AI calls take seconds and are cut off by the interrupt budget (Server:InterruptBudgetSeconds, default 20 s);
    // the SDK's default buckets are for milliseconds and would put every call in the first two.
    private static readonly double[] AiBucketsSeconds = [0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60];

    private readonly Counter<long> _signalsReceived;
    private readonly Counter<long> _signalsRejected;
    private readonly Counter<long> _scoresPublished;
    private readonly Histogram<double> _tickDuration;
    private readonly Counter<long> _interrupts;
    private readonly Histogram<double> _aiDuration;

    public EngineMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _signalsReceived = meter.CreateCounter<long>("riskconsole.signals.received", "{signal}", "Signals the router read from the channel, by source.");
        _signalsRejected = meter.CreateCounter<long>("riskconsole.signals.rejected", "{signal}", "Signals the engine refused, by source and reason (SignalVerdict).");
        _scoresPublished = meter.CreateCounter<long>("riskconsole.scores.published", "{score}", "Risk scores sent to the clients (a score superseded before it left is not counted).");
        _tickDuration = meter.CreateHistogram(
            "riskconsole.publish.duration",
            "ms",
            "Time one publish tick takes to evaluate the bar, decide on an interrupt and queue the score.",
            tags: null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = TickBucketsMs });
        _interrupts = meter.CreateCounter<long>("riskconsole.interrupts", "{interrupt}", "Interrupts sent to the clients, by trigger (forced or automatic).");
        _aiDuration = meter.CreateHistogram(
            "riskconsole.ai.duration",
            "s",
            "Time one AI call of an interrupt took, by service (roasts, voice), provider and outcome.",
            tags: null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = AiBucketsSeconds });
    }

    public void SignalReceived(string source) => _signalsReceived.Add(1, new KeyValuePair<string, object?>("source", source));

    public void SignalRejected(string source, SignalVerdict verdict) =>
        _signalsRejected.Add(1, new KeyValuePair<string, object?>("source", source), new KeyValuePair<string, object?>("reason", verdict.Name()));

    public void ScorePublished() => _scoresPublished.Add(1);

    public void TickCompleted(TimeSpan elapsed) => _tickDuration.Record(elapsed.TotalMilliseconds);

    public void InterruptSent(bool forced) => _interrupts.Add(1, new KeyValuePair<string, object?>("trigger", forced ? Forced : Automatic));

    /// <param name="service">roasts or voice (<see cref="Core.Contracts.AiServices"/>).</param>
    /// <param name="provider">The writer's or synthesizer's name ("openai:gpt-4o", "offline", "none", ...): one per configuration.</param>
    /// <param name="outcome"><see cref="Success"/>, <see cref="NoAudio"/>, <see cref="Failure"/> or <see cref="Timeout"/>.</param>
    public void AiCallCompleted(string service, string provider, string outcome, TimeSpan elapsed) =>
        _aiDuration.Record(
            elapsed.TotalSeconds,
            new KeyValuePair<string, object?>("service", service),
            new KeyValuePair<string, object?>("provider", provider),
            new KeyValuePair<string, object?>("outcome", outcome));
}
