using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using RiskConsole.Server.Observability;
using RiskConsole.Tests.Server.Infrastructure;

namespace RiskConsole.Tests.Server.Observability;

/// <summary>
/// /metrics on the real application: absent unless enabled; enabled, it serves the application's, ASP.NET Core's and the
/// runtime's series to loopback callers on Kestrel, and to a caller from another address (set on the request through
/// the in-memory test server, as the forwarded headers would set it) only with the admin key.
/// </summary>
[Category(TestCategories.EndToEnd)]
public sealed class MetricsEndpointTests
{
    private const string AdminKey = "metrics-admin-key-42";

    [Test]
    public async Task MetricsAreNotServedByDefault()
    {
        await using var server = RiskConsoleServer.Start();

        using var response = await server.Http.GetAsync("/metrics");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task WhenEnabledALoopbackScrapeGetsTheApplicationsRuntimeAndHttpSeries()
    {
        await using var server = RiskConsoleServer.Start(settings: new Dictionary<string, string?> { ["Telemetry:PrometheusEnabled"] = "true" });
        await using var hub = server.CreateHub();
        var recorder = new HubRecorder(hub);
        await hub.StartAsync();

        // The first score may be the one a joining client is handed, which is not a publish; the sender records a
        // publish after its send returns, so once two more have arrived at least one publish is on record.
        var joined = await recorder.Score();
        var next = await recorder.Score(s => s.Seq > joined.Seq);
        await recorder.Score(s => s.Seq > next.Seq);
        using (await server.Http.GetAsync("/stats"))
        {
        }

        // The delivery meter's calls are wired into the fan-out elsewhere; one recorded here proves its meter is exported.
        server.Services.GetRequiredService<DeliveryMetrics>().ConnectionRejected("test");

        using var response = await server.Http.GetAsync("/metrics");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/plain").Or.EqualTo("application/openmetrics-text"));
            Assert.That(body, Does.Contain("riskconsole_signals_received_total{").And.Contain("source=\"crypto\""));
            Assert.That(body, Does.Contain("riskconsole_scores_published_total"));
            Assert.That(body, Does.Contain("riskconsole_publish_duration_milliseconds_bucket{"));
            Assert.That(body, Does.Contain("riskconsole_source_status_changes_total{").And.Contain("mode=\"mock\""));
            Assert.That(body, Does.Contain("riskconsole_connections_rejected_total{").And.Contain("reason=\"test\""), "the delivery meter");
            Assert.That(body, Does.Contain("http_server_request_duration_seconds_bucket{"), "ASP.NET Core instrumentation");
            Assert.That(body, Does.Contain("signalr_server_active_connections{"), "SignalR's connection meter, through the ASP.NET Core instrumentation");
            Assert.That(body, Does.Contain("dotnet_gc_collections_total").Or.Contain("dotnet_process_cpu_time_seconds_total"), "runtime instrumentation");
        });
    }

    [TestCase(null, HttpStatusCode.Forbidden)]
    [TestCase("not-the-key", HttpStatusCode.Forbidden)]
    [TestCase(AdminKey, HttpStatusCode.OK)]
    public async Task ACallerFromAnotherAddressNeedsTheAdminKey(string? presentedKey, HttpStatusCode expected)
    {
        var audio = Path.Combine(Path.GetTempPath(), "riskconsole-tests-audio-" + Guid.NewGuid().ToString("N"));
        try
        {
            await ScrapeFromAnotherAddress(audio, presentedKey, expected);
        }
        finally
        {
            if (Directory.Exists(audio))
            {
                Directory.Delete(audio, recursive: true);
            }
        }
    }

    private static async Task ScrapeFromAnotherAddress(string audio, string? presentedKey, HttpStatusCode expected)
    {
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Production");
            foreach (var (key, value) in new Dictionary<string, string>
            {
                ["Telemetry:PrometheusEnabled"] = "true",
                ["Server:AdminKey"] = AdminKey,
                ["Ingest:Mode"] = "mock",
                ["Ai:AudioCache:Directory"] = audio,
                ["Journal:Enabled"] = "false",
            })
            {
                builder.UseSetting(key, value);
            }
        });

        var context = await factory.Server.SendAsync(http =>
        {
            http.Connection.RemoteIpAddress = IPAddress.Parse("203.0.113.7");
            http.Request.Method = HttpMethods.Get;
            http.Request.Path = "/metrics";
            if (presentedKey is not null)
            {
                http.Request.Headers["X-Admin-Key"] = presentedKey;
            }
        });
        using var reader = new StreamReader(context.Response.Body);
        var body = await reader.ReadToEndAsync();

        Assert.Multiple(() =>
        {
            Assert.That((HttpStatusCode)context.Response.StatusCode, Is.EqualTo(expected));
            Assert.That(body.Contains("riskconsole_", StringComparison.Ordinal), Is.EqualTo(expected == HttpStatusCode.OK), "series only for the key holder");
        });
    }
}
