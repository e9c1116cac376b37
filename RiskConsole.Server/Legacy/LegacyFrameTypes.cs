namespace RiskConsole.Server.Legacy;

/// <summary>The frame types of the seed's /ws protocol (shared/fixtures/feeds/riskconsole_messages.json).</summary>
public static class LegacyFrameTypes
{
    public const string Connected = "CONNECTED";
    public const string RiskScore = "RISK_SCORE";
    public const string DataUpdate = "DATA_UPDATE";
    public const string Interrupt = "INTERRUPT";
    public const string Alert = "ALERT";
    public const string Status = "STATUS";
    public const string Statistics = "STATISTICS";
    public const string GetStatus = "GET_STATUS";
    public const string GetStatistics = "GET_STATISTICS";
    public const string ForceInterrupt = "FORCE_INTERRUPT";
}
