namespace RiskConsole.Core.Contracts;

/// <summary>The interrupt: an AI roast of the market, optionally read aloud (<see cref="AudioUrl"/>).</summary>
public sealed record InterruptNotice(string Roast, string? AudioUrl, double RiskScore, bool Forced, DateTimeOffset At);

/// <summary>A short user-facing alert; <see cref="AlertType"/> is one of <see cref="AlertTypes"/>.</summary>
public sealed record AlertNotice(string AlertType, string Message, DateTimeOffset At);

/// <summary>The alert types of the seed protocol; clients switch on these strings.</summary>
public static class AlertTypes
{
    public const string Info = "info";
    public const string Warning = "warning";
    public const string Interrupt = "interrupt";
    public const string Error = "error";
}
