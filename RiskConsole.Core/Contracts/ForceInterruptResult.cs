using System.Runtime.Serialization;

namespace RiskConsole.Core.Contracts;

/// <summary>The answer to an accepted ForceInterrupt (a refusal is a HubException with the reason).</summary>
[DataContract]
public sealed record ForceInterruptResult(
    [property: DataMember(Name = "accepted")] bool Accepted,
    [property: DataMember(Name = "message")] string Message);
