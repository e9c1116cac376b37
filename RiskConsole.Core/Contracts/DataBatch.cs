using System.Runtime.Serialization;

namespace RiskConsole.Core.Contracts;

/// <summary>
/// One publish tick's data for a connection that called <see cref="IRiskHub.UseDataBatches"/>: the newest datum per
/// (source, key) since the last batch, only of the sources the connection subscribed to, in one frame instead of one
/// <see cref="IRiskClient.DataUpdate"/> each. <see cref="At"/> is when the server published it.
/// </summary>
[DataContract]
public sealed record DataBatch(
    [property: DataMember(Name = "updates")] IReadOnlyList<DataUpdate> Updates,
    [property: DataMember(Name = "at")] DateTimeOffset At);
