using Microsoft.Extensions.Configuration;
using OpenTelemetry.Exporter;
using RiskConsole.Server.Observability;

namespace RiskConsole.Tests.Server.Observability;

/// <summary>What the server exports for a given configuration, and the rules of the "Telemetry" section.</summary>
public sealed class TelemetryExportTests
{
    [Test]
    public void NothingIsExportedUnlessConfigured()
    {
        var export = TelemetryExport.Resolve(Configuration([]));
        Assert.Multiple(() =>
        {
            Assert.That(export.Otlp, Is.Null);
            Assert.That(export.PrometheusEnabled, Is.False);
            Assert.That(export.Any, Is.False, "no OpenTelemetry SDK runs at all");
        });
    }

    [TestCase("http://collector:4318", "http://collector:4318/v1/metrics")]
    [TestCase("http://collector:4318/", "http://collector:4318/v1/metrics")]
    [TestCase("https://gateway.example/otlp", "https://gateway.example/otlp/v1/metrics")]
    public void OverOtlpHttpEachSignalGoesToItsPathUnderTheBaseUrl(string endpoint, string metricsUrl)
    {
        var otlp = TelemetryExport.Resolve(Configuration(new() { ["Telemetry:OtlpEndpoint"] = endpoint, ["Telemetry:OtlpProtocol"] = "http/protobuf" })).Otlp!;
        Assert.Multiple(() =>
        {
            Assert.That(otlp.ExportProtocol, Is.EqualTo(OtlpExportProtocol.HttpProtobuf));
            Assert.That(otlp.SignalEndpoint("v1/metrics").ToString(), Is.EqualTo(metricsUrl));
            Assert.That(otlp.SignalEndpoint("v1/traces").AbsolutePath, Does.EndWith("/v1/traces"));
            Assert.That(otlp.ConfiguredBy, Is.EqualTo("Telemetry:OtlpEndpoint"));
            Assert.That(otlp.FromStandardVariables, Is.False);
        });
    }

    [Test]
    public void OverGrpcTheBaseUrlIsUsedAsItIs()
    {
        var otlp = TelemetryExport.Resolve(Configuration(new() { ["Telemetry:OtlpEndpoint"] = "http://collector:4317", ["Telemetry:OtlpExportIntervalMs"] = "5000" })).Otlp!;
        Assert.Multiple(() =>
        {
            Assert.That(otlp.ExportProtocol, Is.EqualTo(OtlpExportProtocol.Grpc));
            Assert.That(otlp.SignalEndpoint("v1/metrics"), Is.EqualTo(new Uri("http://collector:4317")));
            Assert.That(otlp.ExportIntervalMs, Is.EqualTo(5000));
        });
    }

    [Test]
    public void TheStandardVariablesAreLeftToTheSdkAndTheSectionWins()
    {
        var standard = TelemetryExport.Resolve(Configuration(new() { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://otel:4318", ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf" })).Otlp!;
        var both = TelemetryExport.Resolve(Configuration(new() { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://otel:4318", ["Telemetry:OtlpEndpoint"] = "http://mine:4317" })).Otlp!;
        var metricsOnly = TelemetryExport.Resolve(Configuration(new() { ["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"] = "http://otel:4318/v1/metrics" })).Otlp!;
        Assert.Multiple(() =>
        {
            Assert.That(standard.FromStandardVariables, Is.True);
            Assert.That(standard.ConfiguredBy, Is.EqualTo("OTEL_EXPORTER_OTLP_ENDPOINT"));
            Assert.That(standard.Protocol, Is.EqualTo("http/protobuf"));
            Assert.That(standard.ExportsTraces, Is.True);
            Assert.That(both.Endpoint, Is.EqualTo(new Uri("http://mine:4317")));
            Assert.That(both.ExportsTraces, Is.True);
            Assert.That(metricsOnly.ConfiguredBy, Is.EqualTo("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"));
            Assert.That(metricsOnly.ExportsTraces, Is.False, "traces would otherwise go to the SDK's default, localhost");
        });
    }

    [Test]
    public void PrometheusIsOnOnlyWhenAskedFor()
    {
        Assert.Multiple(() =>
        {
            Assert.That(TelemetryExport.Resolve(Configuration(new() { ["Telemetry:PrometheusEnabled"] = "true" })).PrometheusEnabled, Is.True);
            Assert.That(TelemetryExport.Resolve(Configuration(new() { ["Telemetry:PrometheusEnabled"] = "yes please" })).PrometheusEnabled, Is.False, "the start-up check reports this value");
        });
    }

    [Test]
    public void DefaultsAreValid() => Assert.That(new TelemetryOptions().Validate(), Is.Empty);

    [Test]
    public void BadValuesNameTheirKey()
    {
        var options = new TelemetryOptions { OtlpEndpoint = "collector:4317", OtlpProtocol = "udp", OtlpExportIntervalMs = 10 };
        Assert.That(options.Validate(), Is.EqualTo(new[]
        {
            "Telemetry:OtlpEndpoint must be an absolute http(s) URL such as http://127.0.0.1:4317.",
            "Telemetry:OtlpProtocol must be one of grpc, http/protobuf (was 'udp').",
            "Telemetry:OtlpExportIntervalMs must be between 100 and 3600000 (was 10).",
        }));
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) => new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
