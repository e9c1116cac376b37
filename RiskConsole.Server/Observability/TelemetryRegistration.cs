using System.Reflection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using RiskConsole.Engine;
using RiskConsole.Hosting;
using RiskConsole.Ingest;
using RiskConsole.Server.Endpoints;
using RiskConsole.Server.Logging;

namespace RiskConsole.Server.Observability;

public static class TelemetryRegistration
{
    public const string ServiceName = "riskconsole";

    /// <summary>The meters this application creates; the SDK exports exactly these plus the instrumentation's own.</summary>
    public static IReadOnlyList<string> MeterNames { get; } = [EngineMetrics.MeterName, IngestMetrics.MeterName, DeliveryMetrics.MeterName];

    /// <summary>
    /// OpenTelemetry for the application's meters (<see cref="MeterNames"/>) with ASP.NET Core, HTTP client and runtime
    /// instrumentation, exported over OTLP when Telemetry:OtlpEndpoint or OTEL_EXPORTER_OTLP_ENDPOINT is set (traces
    /// too) and to Prometheus at /metrics when Telemetry:PrometheusEnabled is true. With neither, no SDK runs at all:
    /// the instruments still exist (dotnet-counters can read them) and cost next to nothing without a listener.
    /// </summary>
    public static WebApplicationBuilder AddRiskTelemetry(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        builder.Services.AddValidatedOptions<TelemetryOptions>(configuration, TelemetryOptions.SectionName)
            .PostConfigure(options => options.StandardOtlpEndpoint = configuration[TelemetryExport.StandardEndpointVariable]);
        builder.Services.AddSingleton<MetricsScrapeAccess>();

        var export = TelemetryExport.Resolve(configuration);
        builder.Services.AddSingleton(export);
        if (!export.Any)
        {
            return builder;
        }

        var version = typeof(TelemetryRegistration).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0];
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(configuration["OTEL_SERVICE_NAME"] ?? ServiceName, serviceVersion: version))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter([.. MeterNames])
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation();
                if (export.PrometheusEnabled)
                {
                    metrics.AddPrometheusExporter();
                }

                if (export.Otlp is { } otlp)
                {
                    metrics.AddOtlpExporter((exporter, reader) =>
                    {
                        if (!otlp.FromStandardVariables)
                        {
                            exporter.Endpoint = otlp.SignalEndpoint("v1/metrics");
                            exporter.Protocol = otlp.ExportProtocol;
                        }

                        if (otlp.ExportIntervalMs is { } interval)
                        {
                            reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = interval;
                        }
                    });
                }
            });

        if (export.Otlp is { ExportsTraces: true } traces)
        {
            // Traces only go somewhere over OTLP; probes and scrapes would be most of them and say nothing.
            telemetry.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(options => options.Filter = http => !RequestLogLevels.IsProbeOrScrape(http.Request.Path))
                .AddHttpClientInstrumentation()
                .AddOtlpExporter(exporter =>
                {
                    if (!traces.FromStandardVariables)
                    {
                        exporter.Endpoint = traces.SignalEndpoint("v1/traces");
                        exporter.Protocol = traces.ExportProtocol;
                    }
                }));
        }

        return builder;
    }

    /// <summary>
    /// /metrics in the Prometheus text format when Telemetry:PrometheusEnabled is true, answering only loopback
    /// callers and holders of the admin key (<see cref="MetricsScrapeAccess"/>); otherwise nothing is mapped (404).
    /// </summary>
    public static WebApplication MapRiskMetrics(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (!app.Services.GetRequiredService<TelemetryExport>().PrometheusEnabled)
        {
            return app;
        }

        var access = app.Services.GetRequiredService<MetricsScrapeAccess>();
        app.MapPrometheusScrapingEndpoint(
            RoutePaths.Metrics,
            meterProvider: null,
            configureBranchedPipeline: branch => branch.Use((http, next) =>
            {
                switch (access.Decide(http))
                {
                    case MetricsScrapeDecision.Allowed:
                        return next(http);
                    case MetricsScrapeDecision.TooManyAttempts:
                        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                        return Task.CompletedTask;
                    default:
                        http.Response.StatusCode = StatusCodes.Status403Forbidden;
                        return Task.CompletedTask;
                }
            }),
            optionsName: null);
        return app;
    }
}
