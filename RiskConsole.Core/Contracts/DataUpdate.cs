using System.Runtime.Serialization;
using System.Text.Json.Serialization;
using RiskConsole.Core.Signals;

namespace RiskConsole.Core.Contracts;

/// <summary>
/// The latest raw datum of one source and key (coalesced: a client gets the newest, not every tick). Exactly one
/// of <see cref="Price"/>, <see cref="Probability"/> and <see cref="Sentiment"/> is set, matching
/// <see cref="Source"/> (one of <see cref="DataSources"/>). Concrete fields rather than one polymorphic one, so a
/// JSON or MessagePack client that references only these contracts reads it with no custom formatter.
/// </summary>
[DataContract]
public sealed record DataUpdate(
    [property: DataMember(Name = "source")] string Source,
    [property: DataMember(Name = "price")] PriceTick? Price,
    [property: DataMember(Name = "probability")] MarketProbability? Probability,
    [property: DataMember(Name = "sentiment")] SentimentSample? Sentiment,
    [property: DataMember(Name = "mock")] bool Mock,
    [property: DataMember(Name = "at")] DateTimeOffset At)
{
    /// <summary>Whichever signal this update carries; not on the wire (the three typed fields are).</summary>
    [JsonIgnore]
    [IgnoreDataMember]
    public MarketSignal Data => (MarketSignal?)Price ?? (MarketSignal?)Probability ?? Sentiment
        ?? throw new InvalidOperationException("A DataUpdate carries one signal.");

    public static DataUpdate From(MarketSignal signal) => signal switch
    {
        PriceTick price => new DataUpdate(signal.Source, price, null, null, signal.IsMock, signal.Timestamp),
        MarketProbability probability => new DataUpdate(signal.Source, null, probability, null, signal.IsMock, signal.Timestamp),
        SentimentSample sentiment => new DataUpdate(signal.Source, null, null, sentiment, signal.IsMock, signal.Timestamp),
        _ => throw new ArgumentException($"No data update for a {signal.GetType().Name}.", nameof(signal)),
    };
}

/// <summary>Source names as they appear on the wire and in topic names ("data:" + source).</summary>
public static class DataSources
{
    public const string Crypto = "crypto";
    public const string Polymarket = "polymarket";
    public const string Reddit = "reddit";

    public static IReadOnlyList<string> All { get; } = [Crypto, Polymarket, Reddit];
}
