namespace RiskConsole.Tests;

/// <summary>
/// Test categories. End-to-end fixtures start the real server (Kestrel, SignalR, the process itself) and take seconds;
/// everything else runs in memory. Run one kind with <c>dotnet test --filter TestCategory=EndToEnd</c> (or <c>!=EndToEnd</c>).
/// </summary>
public static class TestCategories
{
    public const string EndToEnd = "EndToEnd";

    /// <summary>The standing attack and fault suite: misbehaving clients beside normal ones, shutdown under load, connection storms.</summary>
    public const string Attack = "Attack";
}
