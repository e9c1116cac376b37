using RiskConsole.Core.Contracts;

namespace RiskConsole.Server.Hubs;

/// <summary>The hub groups a client can subscribe to; every new connection starts in all of them.</summary>
public static class RiskTopics
{
    public const string Risk = "risk";

    public static IReadOnlyList<string> All { get; } = [Risk, .. DataSources.All.Select(ForSource)];

    public static string ForSource(string source) => "data:" + source;

    public static bool IsKnown(string topic) => All.Contains(topic, StringComparer.Ordinal);

    public static string Describe() => string.Join(", ", All);
}
