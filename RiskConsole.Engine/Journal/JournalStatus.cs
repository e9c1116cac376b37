namespace RiskConsole.Engine.Journal;

/// <summary>
/// The journal as /health reports it: its state (one of Core's <see cref="Core.Contracts.JournalStates"/>) and why,
/// where it is, how much it wrote and dropped, and what last went wrong.
/// </summary>
public sealed record JournalStatus(
    string State,
    string Path,
    string? Detail,
    long RowsWritten,
    long RowsDropped,
    int Queued,
    DateTimeOffset? LastWriteAt,
    string? LastError,
    DateTimeOffset? LastErrorAt);
