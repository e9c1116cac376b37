namespace RiskConsole.Engine.Scoring;

/// <summary>The event router's three loops, as health and logs name them.</summary>
public enum RouterLoop
{
    Read,
    Tick,
    Send,
}
