using System.Runtime.Serialization;

namespace RiskConsole.Core.Contracts;

/// <summary>
/// The answer to GetHistory and GET /history: the published scores between <see cref="From"/> and <see cref="To"/>,
/// downsampled into buckets of <see cref="BucketSeconds"/> that keep each bucket's minimum and maximum (so a spike
/// survives downsampling) and its last score, plus every interrupt in the range. Read from the signal journal, so it
/// survives a page refresh and a server restart; <see cref="Journal"/> says whether the journal could answer
/// (one of <see cref="JournalStates"/>) and <see cref="Detail"/> why not.
/// </summary>
[DataContract]
public sealed record ScoreHistory(
    [property: DataMember(Name = "from")] DateTimeOffset From,
    [property: DataMember(Name = "to")] DateTimeOffset To,
    [property: DataMember(Name = "bucketSeconds")] double BucketSeconds,
    [property: DataMember(Name = "scores")] IReadOnlyList<ScoreBucket> Scores,
    [property: DataMember(Name = "interrupts")] IReadOnlyList<InterruptNotice> Interrupts,
    [property: DataMember(Name = "journal")] string Journal,
    [property: DataMember(Name = "detail")] string? Detail);

/// <summary>
/// The published scores of one bucket, which starts at <see cref="From"/>: their lowest, highest and last value, how
/// many there were, and when the last one was published (<see cref="At"/>, where a chart puts the bucket).
/// </summary>
[DataContract]
public sealed record ScoreBucket(
    [property: DataMember(Name = "from")] DateTimeOffset From,
    [property: DataMember(Name = "at")] DateTimeOffset At,
    [property: DataMember(Name = "min")] double Min,
    [property: DataMember(Name = "max")] double Max,
    [property: DataMember(Name = "last")] double Last,
    [property: DataMember(Name = "count")] int Count);

/// <summary>The states of the signal journal, as <see cref="ScoreHistory.Journal"/> and /health report them.</summary>
public static class JournalStates
{
    /// <summary>Journal:Enabled is false: nothing is recorded and history is empty.</summary>
    public const string Disabled = "disabled";

    /// <summary>The server has started and the journal is opening its database.</summary>
    public const string Starting = "starting";

    /// <summary>Every accepted signal, published score, alert and interrupt is being written.</summary>
    public const string Recording = "recording";

    /// <summary>The database is open but the last write failed (a full disk, say): rows are dropped and counted until a write works again.</summary>
    public const string Failing = "failing";

    /// <summary>The database cannot be opened (corrupt, locked, not writable): the console runs without it and keeps trying.</summary>
    public const string Unavailable = "unavailable";
}
