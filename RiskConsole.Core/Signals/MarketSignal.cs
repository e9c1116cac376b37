using System.Runtime.Serialization;
using System.Text.Json.Serialization;

namespace RiskConsole.Core.Signals;

/// <summary>
/// What a listener emits: an immutable, timestamped record. The engine never reads the wall clock,
/// so replaying stored signals through it reproduces the original scores exactly.
/// The [DataMember] names are the hub's JSON names, so MessagePack writes the same fields when a signal travels inside a
/// DataUpdate; the derived records inherit <see cref="Timestamp"/> and <see cref="IsMock"/> with their names from here.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "$type")]
[JsonDerivedType(typeof(PriceTick), "price")]
[JsonDerivedType(typeof(MarketProbability), "probability")]
[JsonDerivedType(typeof(SentimentSample), "sentiment")]
[DataContract]
public abstract record MarketSignal(
    [property: DataMember(Name = "timestamp")] DateTimeOffset Timestamp,
    [property: DataMember(Name = "isMock")] bool IsMock)
{
    /// <summary>The data source this signal belongs to (one of DataSources).</summary>
    [JsonIgnore]
    public abstract string Source { get; }

    /// <summary>The key within the source that coalescing and ordering checks are per (symbol, market, feed).</summary>
    [JsonIgnore]
    public abstract string Key { get; }
}

/// <summary>The last traded price of a symbol at a moment.</summary>
[DataContract]
public sealed record PriceTick(
    [property: DataMember(Name = "symbol")] string Symbol,
    [property: DataMember(Name = "price")] double Price,
    DateTimeOffset Timestamp,
    bool IsMock = false)
    : MarketSignal(Timestamp, IsMock)
{
    // [JsonIgnore] is repeated on each override: System.Text.Json does not inherit it from the abstract member.
    [JsonIgnore]
    public override string Source => Contracts.DataSources.Crypto;

    [JsonIgnore]
    public override string Key => Symbol;
}

/// <summary>A prediction market's probability of its "yes" outcome, in [0, 1].</summary>
[DataContract]
public sealed record MarketProbability(
    [property: DataMember(Name = "marketId")] string MarketId,
    [property: DataMember(Name = "question")] string Question,
    [property: DataMember(Name = "probability")] double Probability,
    DateTimeOffset Timestamp,
    bool IsMock = false)
    : MarketSignal(Timestamp, IsMock)
{
    [JsonIgnore]
    public override string Source => Contracts.DataSources.Polymarket;

    [JsonIgnore]
    public override string Key => MarketId;
}

/// <summary>
/// One scored social post. <see cref="SourceId"/> names the feed it came from (for example "r/Bitcoin");
/// <see cref="Compound"/> is in [−1, 1]; <see cref="Text"/> is a short excerpt for display.
/// </summary>
[DataContract]
public sealed record SentimentSample(
    [property: DataMember(Name = "sourceId")] string SourceId,
    [property: DataMember(Name = "compound")] double Compound,
    DateTimeOffset Timestamp,
    [property: DataMember(Name = "text")] string Text,
    bool IsMock = false)
    : MarketSignal(Timestamp, IsMock)
{
    [JsonIgnore]
    public override string Source => Contracts.DataSources.Reddit;

    [JsonIgnore]
    public override string Key => SourceId;
}
