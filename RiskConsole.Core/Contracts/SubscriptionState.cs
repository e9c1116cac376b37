using System.Runtime.Serialization;

namespace RiskConsole.Core.Contracts;

/// <summary>The answer to Subscribe/Unsubscribe: the caller's topics afterwards.</summary>
[DataContract]
public sealed record SubscriptionState(
    [property: DataMember(Name = "topics")] string[] Topics);
