using System.Text.Json;
using RiskConsole.Tests.Server.Infrastructure;

namespace RiskConsole.Tests.Server.Observability;

/// <summary>/config says what is exported and the log budget, and never a credential in the collector's URL.</summary>
[Category(TestCategories.EndToEnd)]
public sealed class TelemetryConfigTests
{
    [Test]
    public async Task ConfigShowsTheExportsAndTheLogBudgetWithoutSecrets()
    {
        const string Secret = "s3cret-token";
        await using var server = RiskConsoleServer.Start(settings: new Dictionary<string, string?>
        {
            ["Telemetry:OtlpEndpoint"] = $"http://collector:{Secret}@127.0.0.1:9/otlp?token={Secret}",
            ["Telemetry:PrometheusEnabled"] = "true",
            ["Telemetry:LogBudget:Burst"] = "7",
        });

        var body = await server.Http.GetStringAsync(new Uri("/config", UriKind.Relative));
        using var json = JsonDocument.Parse(body);
        var telemetry = json.RootElement.GetProperty("telemetry");
        Assert.Multiple(() =>
        {
            Assert.That(telemetry.GetProperty("prometheusEnabled").GetBoolean(), Is.True);
            Assert.That(telemetry.GetProperty("otlpEndpoint").GetString(), Is.EqualTo("http://127.0.0.1:9/otlp"));
            Assert.That(telemetry.GetProperty("otlpProtocol").GetString(), Is.EqualTo("grpc"));
            Assert.That(telemetry.GetProperty("otlpConfiguredBy").GetString(), Is.EqualTo("Telemetry:OtlpEndpoint"));
            Assert.That(telemetry.GetProperty("logBudget").GetProperty("burst").GetInt32(), Is.EqualTo(7));
            Assert.That(telemetry.GetProperty("logBudget").GetProperty("linesPerSecond").GetDouble(), Is.EqualTo(5));
            Assert.That(body, Does.Not.Contain(Secret));
        });
    }

    [Test]
    public async Task ByDefaultNothingIsExported()
    {
        await using var server = RiskConsoleServer.Start();

        using var json = JsonDocument.Parse(await server.Http.GetStringAsync(new Uri("/config", UriKind.Relative)));
        var telemetry = json.RootElement.GetProperty("telemetry");
        Assert.Multiple(() =>
        {
            Assert.That(telemetry.GetProperty("prometheusEnabled").GetBoolean(), Is.False);
            Assert.That(telemetry.GetProperty("otlpEndpoint").ValueKind, Is.EqualTo(JsonValueKind.Null));
        });
    }
}
