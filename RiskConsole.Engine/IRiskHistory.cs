using RiskConsole.Core.Contracts;
using RiskConsole.Engine.Journal;

namespace RiskConsole.Engine;

/// <summary>
/// What the delivery side may ask of the signal journal: the score history (GetHistory, GET /history) and the
/// journal's state (/health). Like <see cref="IRiskConsole"/>, it reads; nothing in delivery writes to the journal.
/// </summary>
public interface IRiskHistory
{
    JournalStatus Status();

    /// <summary>The published scores in [<paramref name="from"/>, <paramref name="until"/>), downsampled to at most <paramref name="maxPoints"/> buckets, and the interrupts.</summary>
    Task<ScoreHistory> GetHistoryAsync(DateTimeOffset from, DateTimeOffset until, int maxPoints, CancellationToken cancellationToken = default);
}
