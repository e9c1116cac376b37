using System.Globalization;
using OpenTelemetry.Exporter;

namespace RiskConsole.Server.Observability;

/// <summary>
/// What this process exports, decided once from configuration when the services are registered (the OpenTelemetry
/// pipeline is built from it, and /config reports it). Read leniently: a bad value here is reported by
/// <see cref="TelemetryOptions"/>' validation at start, one line naming the key, before anything is exported.
/// </summary>
public sealed record TelemetryExport(bool PrometheusEnabled, OtlpExport? Otlp)
{
    /// <summary>The standard variables of the OpenTelemetry SDKs; the .NET SDK reads them itself, from configuration.</summary>
    public const string StandardEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string StandardMetricsEndpointVariable = "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT";
    public const string StandardTracesEndpointVariable = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";
    public const string StandardProtocolVariable = "OTEL_EXPORTER_OTLP_PROTOCOL";

    public bool Any => PrometheusEnabled || Otlp is not null;

    public static TelemetryExport Resolve(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(TelemetryOptions.SectionName);
        var prometheus = bool.TryParse(section[nameof(TelemetryOptions.PrometheusEnabled)], out var enabled) && enabled;
        int? interval = int.TryParse(section[nameof(TelemetryOptions.OtlpExportIntervalMs)], NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) ? ms : null;

        if (IsHttpUrl(section[nameof(TelemetryOptions.OtlpEndpoint)], out var endpoint))
        {
            var protocol = section[nameof(TelemetryOptions.OtlpProtocol)] ?? TelemetryOptions.GrpcProtocol;
            return new TelemetryExport(prometheus, new OtlpExport(endpoint, protocol, interval, $"{TelemetryOptions.SectionName}:{nameof(TelemetryOptions.OtlpEndpoint)}", ExportsTraces: true));
        }

        foreach (var variable in new[] { StandardMetricsEndpointVariable, StandardEndpointVariable })
        {
            if (IsHttpUrl(configuration[variable], out var standard))
            {
                // The SDK reads the endpoint, protocol and headers itself; this record only says what it will use.
                var protocol = configuration[StandardProtocolVariable] ?? TelemetryOptions.GrpcProtocol;

                // A metrics-only endpoint says nothing about traces; the SDK would send them to its default, localhost.
                var traces = IsHttpUrl(configuration[StandardEndpointVariable], out _) || IsHttpUrl(configuration[StandardTracesEndpointVariable], out _);
                return new TelemetryExport(prometheus, new OtlpExport(standard, protocol, interval, variable, traces));
            }
        }

        return new TelemetryExport(prometheus, null);
    }

    private static bool IsHttpUrl(string? value, out Uri uri) =>
        Uri.TryCreate(value, UriKind.Absolute, out uri!) && uri.Scheme is "http" or "https";
}

/// <param name="Endpoint">The collector's base URL.</param>
/// <param name="Protocol">grpc or http/protobuf.</param>
/// <param name="ExportIntervalMs">Null: the SDK's own setting (OTEL_METRIC_EXPORT_INTERVAL, else 60 s).</param>
/// <param name="ConfiguredBy">The key or variable the endpoint came from.</param>
/// <param name="ExportsTraces">Whether traces have somewhere to go as well.</param>
public sealed record OtlpExport(Uri Endpoint, string Protocol, int? ExportIntervalMs, string ConfiguredBy, bool ExportsTraces)
{
    /// <summary>True when the SDK reads the standard variables itself, so nothing here overrides them.</summary>
    public bool FromStandardVariables => ConfiguredBy.StartsWith("OTEL_", StringComparison.Ordinal);

    public OtlpExportProtocol ExportProtocol => Protocol == TelemetryOptions.HttpProtobufProtocol ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;

    /// <summary>
    /// The URL one signal is sent to. gRPC takes the base URL; OTLP/HTTP posts each signal to its own path under it
    /// (v1/metrics, v1/traces), which the SDK appends only to an endpoint it read from the standard variables.
    /// </summary>
    public Uri SignalEndpoint(string signalPath)
    {
        if (ExportProtocol == OtlpExportProtocol.Grpc)
        {
            return Endpoint;
        }

        var basePath = Endpoint.AbsolutePath.EndsWith('/') ? Endpoint.AbsolutePath : Endpoint.AbsolutePath + "/";
        return new UriBuilder(Endpoint) { Path = basePath + signalPath }.Uri;
    }
}
