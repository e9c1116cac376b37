using RiskConsole.Core.Contracts;
using RiskConsole.Core.Signals;

namespace RiskConsole.Engine.Journal;

/// <summary>
/// One row of the journal, as it is read back (replay, export, import): an accepted signal, a published score, an
/// alert or an interrupt, each the very record the engine used or sent, so what comes back compares equal to what went in.
/// </summary>
public abstract record JournalRecord
{
    private JournalRecord()
    {
    }

    /// <summary>When it happened: the signal's timestamp, the end of the scored bar, the alert's or interrupt's time.</summary>
    public abstract DateTimeOffset At { get; }

    public sealed record Signal(MarketSignal Value) : JournalRecord
    {
        public override DateTimeOffset At => Value.Timestamp;
    }

    public sealed record Score(RiskScoreUpdate Value) : JournalRecord
    {
        public override DateTimeOffset At => Value.At;
    }

    public sealed record Alert(AlertNotice Value) : JournalRecord
    {
        public override DateTimeOffset At => Value.At;
    }

    public sealed record Interrupt(InterruptNotice Value) : JournalRecord
    {
        public override DateTimeOffset At => Value.At;
    }

    /// <summary>The record for one of the payloads the journal queues (a signal, score, alert or interrupt); null for anything else.</summary>
    public static JournalRecord? From(object payload) => payload switch
    {
        MarketSignal signal => new Signal(signal),
        RiskScoreUpdate score => new Score(score),
        AlertNotice alert => new Alert(alert),
        InterruptNotice interrupt => new Interrupt(interrupt),
        _ => null,
    };
}
