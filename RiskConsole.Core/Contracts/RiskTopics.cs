namespace RiskConsole.Core.Contracts;

/// <summary>The hub topics (groups) a client can subscribe to; every new connection starts in all of them.</summary>
public static class RiskTopics
{
    /// <summary>Scores, alerts and interrupts.</summary>
    public const string Risk = "risk";

    public static IReadOnlyList<string> All { get; } = [Risk, .. DataSources.All.Select(ForSource)];

    /// <summary>The topic of one source's data updates ("data:crypto", ...).</summary>
    public static string ForSource(string source) => "data:" + source;

    public static bool IsKnown(string topic) => All.Contains(topic, StringComparer.Ordinal);

    public static string Describe() => string.Join(", ", All);
}
