using RiskConsole.Core.Contracts;
using RiskConsole.Core.Signals;
using RiskConsole.Engine.Journal;

namespace RiskConsole.Tests.Engine.Journal;

/// <summary>One of each journal record, with the awkward values a journal must keep exactly: ticks below a millisecond, nulls, text with commas, quotes and line breaks.</summary>
internal static class JournalSamples
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static RiskComponents Components(double crypto) => new(crypto, null, 0.4, 0.123456789012345, 1.25, 1, "BTCUSDT", 0.8, null, null, -0.2, false, false, true, false);

    public static IReadOnlyList<JournalRecord> Records() =>
    [
        new JournalRecord.Signal(new PriceTick("BTCUSDT", 43_123.456789, Start.AddTicks(1_234_567))),
        new JournalRecord.Signal(new MarketProbability("0xabc", "Will BTC close below $50k, \"this\" month?", 0.71, Start.AddSeconds(1), IsMock: true)),
        new JournalRecord.Signal(new SentimentSample("r/Bitcoin", -0.74, Start.AddSeconds(2), "line one\nline two, with a comma", IsMock: true)),
        new JournalRecord.Score(new RiskScoreUpdate(87.5, Components(0.9), 42, Start.AddSeconds(3))),
        new JournalRecord.Alert(new AlertNotice(AlertTypes.Warning, "Risk crossed the threshold: 87.5/100 (threshold 75)", Start.AddSeconds(3))),
        new JournalRecord.Interrupt(new InterruptNotice("Markets, am I right?", null, 87.5, Forced: false, Start.AddSeconds(4))),
        new JournalRecord.Interrupt(new InterruptNotice("Forced roast", "/audio/roast_x.mp3", 12, Forced: true, Start.AddSeconds(5))),
    ];

    /// <summary>What the journal queues for a record: the payload itself.</summary>
    public static object Payload(JournalRecord record) => record switch
    {
        JournalRecord.Signal s => s.Value,
        JournalRecord.Score s => s.Value,
        JournalRecord.Alert a => a.Value,
        JournalRecord.Interrupt i => i.Value,
        _ => throw new ArgumentException("unknown record", nameof(record)),
    };
}
