using RiskConsole.Core.Contracts;

namespace RiskConsole.Engine.Journal;

/// <summary>
/// The journal's tap on the engine's output port: every score, alert and interrupt the router publishes is queued for
/// the journal (never waiting for the disk) and passed on to the clients unchanged. Data updates are not recorded
/// here: they are coalesced for the clients, and the journal takes every accepted signal from the monitor instead.
/// </summary>
internal sealed class JournalTap(IRiskClient clients, SignalJournal journal) : IRiskClient
{
    public Task RiskScore(RiskScoreUpdate update)
    {
        journal.Record(update);
        return clients.RiskScore(update);
    }

    public Task Interrupt(InterruptNotice notice)
    {
        journal.Record(notice);
        return clients.Interrupt(notice);
    }

    public Task Alert(AlertNotice alert)
    {
        journal.Record(alert);
        return clients.Alert(alert);
    }

    public Task DataUpdate(DataUpdate update) => clients.DataUpdate(update);

    public Task DataBatch(DataBatch batch) => clients.DataBatch(batch);
}
