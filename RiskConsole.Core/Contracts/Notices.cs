using System.Runtime.Serialization;

namespace RiskConsole.Core.Contracts;

/// <summary>The interrupt: an AI roast of the market, optionally read aloud (<see cref="AudioUrl"/>).</summary>
[DataContract]
public sealed record InterruptNotice(
    [property: DataMember(Name = "roast")] string Roast,
    [property: DataMember(Name = "audioUrl")] string? AudioUrl,
    [property: DataMember(Name = "riskScore")] double RiskScore,
    [property: DataMember(Name = "forced")] bool Forced,
    [property: DataMember(Name = "at")] DateTimeOffset At);

/// <summary>A short user-facing alert; <see cref="AlertType"/> is one of <see cref="AlertTypes"/>.</summary>
[DataContract]
public sealed record AlertNotice(
    [property: DataMember(Name = "alertType")] string AlertType,
    [property: DataMember(Name = "message")] string Message,
    [property: DataMember(Name = "at")] DateTimeOffset At);

/// <summary>The alert types of the seed protocol; clients switch on these strings.</summary>
public static class AlertTypes
{
    public const string Info = "info";
    public const string Warning = "warning";
    public const string Interrupt = "interrupt";
    public const string Error = "error";
}
