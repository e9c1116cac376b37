using System.Text.Json.Serialization;

namespace RiskConsole.Core.Signals;

/// <summary>
/// What a listener emits: an immutable, timestamped record. The engine never reads the wall clock,
/// so replaying stored signals through it reproduces the original scores exactly.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "$type")]
[JsonDerivedType(typeof(PriceTick), "price")]
[JsonDerivedType(typeof(MarketProbability), "probability")]
[JsonDerivedType(typeof(SentimentSample), "sentiment")]
public abstract record MarketSignal(DateTimeOffset Timestamp, bool IsMock)
{
    /// <summary>The data source this signal belongs to (one of DataSources).</summary>
    [JsonIgnore]
    public abstract string Source { get; }

    /// <summary>The key within the source that coalescing and ordering checks are per (symbol, market, feed).</summary>
    [JsonIgnore]
    public abstract string Key { get; }
}

/// <summary>The last traded price of a symbol at a moment.</summary>
public sealed record PriceTick(string Symbol, double Price, DateTimeOffset Timestamp, bool IsMock = false)
    : MarketSignal(Timestamp, IsMock)
{
    // [JsonIgnore] is repeated on each override: System.Text.Json does not inherit it from the abstract member.
    [JsonIgnore]
    public override string Source => Contracts.DataSources.Crypto;

    [JsonIgnore]
    public override string Key => Symbol;
}

/// <summary>A prediction market's probability of its "yes" outcome, in [0, 1].</summary>
public sealed record MarketProbability(string MarketId, string Question, double Probability, DateTimeOffset Timestamp, bool IsMock = false)
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
public sealed record SentimentSample(string SourceId, double Compound, DateTimeOffset Timestamp, string Text, bool IsMock = false)
    : MarketSignal(Timestamp, IsMock)
{
    [JsonIgnore]
    public override string Source => Contracts.DataSources.Reddit;

    [JsonIgnore]
    public override string Key => SourceId;
}
