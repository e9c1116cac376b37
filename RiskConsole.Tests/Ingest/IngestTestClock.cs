namespace RiskConsole.Tests.Ingest;

/// <summary>The moment the source tests' fake clocks start at, and how long they wait in real time.</summary>
internal static class IngestTestClock
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A generous bound on real time for work that fake time has already made due; never a wait for a condition.</summary>
    public static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(10);
}
