using RiskConsole.Core;

namespace RiskConsole.Server.Observability;

/// <summary>Where metrics (and traces) go. Section "Telemetry". Nothing is exported unless configured here or by OTEL_* variables.</summary>
public sealed class TelemetryOptions : IValidatableOptions
{
    public const string SectionName = "Telemetry";

    public const string GrpcProtocol = "grpc";
    public const string HttpProtobufProtocol = "http/protobuf";

    /// <summary>
    /// The OTLP collector's base URL (as OTEL_EXPORTER_OTLP_ENDPOINT: with http/protobuf, /v1/metrics and /v1/traces
    /// are appended). Unset: OTEL_EXPORTER_OTLP_ENDPOINT decides, and without either nothing is pushed.
    /// </summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>grpc (the .NET SDK's default, usually port 4317) or http/protobuf (usually port 4318).</summary>
    public string OtlpProtocol { get; set; } = GrpcProtocol;

    /// <summary>How often metrics are pushed over OTLP. Unset: OTEL_METRIC_EXPORT_INTERVAL, else the SDK's 60 s.</summary>
    public int? OtlpExportIntervalMs { get; set; }

    /// <summary>Serves /metrics for Prometheus, to loopback callers and holders of the admin key only.</summary>
    public bool PrometheusEnabled { get; set; }

    /// <summary>
    /// OTEL_EXPORTER_OTLP_ENDPOINT as the process sees it, copied in at start (not bound from the section) so that a
    /// malformed standard variable stops the server with one line too, instead of quietly exporting nothing.
    /// </summary>
    internal string? StandardOtlpEndpoint { get; set; }

    public IEnumerable<string> Validate()
    {
        if (!string.IsNullOrWhiteSpace(OtlpEndpoint) && !(Uri.TryCreate(OtlpEndpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
        {
            // The value itself is not echoed: a collector URL may carry a credential.
            yield return $"{SectionName}:{nameof(OtlpEndpoint)} must be an absolute http(s) URL such as http://127.0.0.1:4317.";
        }

        if (!string.IsNullOrWhiteSpace(StandardOtlpEndpoint) && !(Uri.TryCreate(StandardOtlpEndpoint, UriKind.Absolute, out var standard) && standard.Scheme is "http" or "https"))
        {
            yield return $"{TelemetryExport.StandardEndpointVariable} must be an absolute http(s) URL such as http://127.0.0.1:4317.";
        }

        if (OtlpProtocol is not (GrpcProtocol or HttpProtobufProtocol))
        {
            yield return $"{SectionName}:{nameof(OtlpProtocol)} must be one of grpc, http/protobuf (was '{OtlpProtocol}').";
        }

        if (OtlpExportIntervalMs is < 100 or > 3_600_000)
        {
            yield return $"{SectionName}:{nameof(OtlpExportIntervalMs)} must be between 100 and 3600000 (was {OtlpExportIntervalMs}).";
        }
    }
}
