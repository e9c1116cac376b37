using RiskConsole.Ai.Voice;
using RiskConsole.Core.Contracts;
using RiskConsole.Server.Legacy;

namespace RiskConsole.Server.Endpoints;

/// <summary>Every path the server maps, once: the mappings and the API index both read them from here.</summary>
public static class RoutePaths
{
    public const string Hub = IRiskHub.Path;
    public const string LegacyWebSocket = LegacyWebSocketEndpoint.Path;
    public const string Health = "/health";
    public const string Live = "/health/live";
    public const string Ready = "/health/ready";
    public const string Stats = "/stats";
    public const string Config = "/config";
    public const string History = "/history";
    public const string TestInterrupt = "/test-interrupt";
    public const string Audio = AudioCache.UrlPrefix + "{file}";

    /// <summary>Prometheus scrape endpoint; mapped only when Telemetry:PrometheusEnabled is true.</summary>
    public const string Metrics = "/metrics";
}
