using RiskConsole.Tests.Server.Infrastructure;

namespace RiskConsole.Tests.Server.Observability;

/// <summary>
/// OTLP on the real server: pointed at a local collector (by Telemetry:OtlpEndpoint or by the standard
/// OTEL_EXPORTER_OTLP_ENDPOINT), it pushes the application's metrics as OTLP/HTTP protobuf, and its request traces.
/// </summary>
[Category(TestCategories.EndToEnd)]
public sealed class OtlpExportTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Test]
    public async Task MetricsAndTracesArePushedToTheConfiguredCollector()
    {
        await using var collector = await OtlpCollector.StartAsync();
        await using var server = RiskConsoleServer.Start(settings: new Dictionary<string, string?>
        {
            ["Telemetry:OtlpEndpoint"] = collector.BaseUrl,
            ["Telemetry:OtlpProtocol"] = "http/protobuf",
            ["Telemetry:OtlpExportIntervalMs"] = "200",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        });

        var metrics = await collector.Next("/v1/metrics", "riskconsole.signals.received", Timeout);
        using (await server.Http.GetAsync("/stats"))
        {
        }

        var traces = await collector.Next("/v1/traces", "/stats", Timeout);
        Assert.Multiple(() =>
        {
            Assert.That(metrics.ContentType, Is.EqualTo("application/x-protobuf"));
            Assert.That(metrics.Holds("riskconsole"), Is.True, "the service name travels in the resource");
            Assert.That(metrics.Holds(RiskConsole.Engine.EngineMetrics.MeterName), Is.True, "the meter is the instrumentation scope");
            Assert.That(traces.ContentType, Is.EqualTo("application/x-protobuf"));
        });
    }

    [Test]
    public async Task TheStandardEndpointVariableIsHonoured()
    {
        await using var collector = await OtlpCollector.StartAsync();
        await using var server = RiskConsoleServer.Start(settings: new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.BaseUrl,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["Telemetry:OtlpExportIntervalMs"] = "200",
        });

        var metrics = await collector.Next("/v1/metrics", "riskconsole.source.status_changes", Timeout);

        Assert.That(metrics.ContentType, Is.EqualTo("application/x-protobuf"));
    }
}
