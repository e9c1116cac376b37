using System.Diagnostics.Metrics;
using System.Net;
using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using RiskConsole.Engine.Scoring;
using RiskConsole.Server.Observability;
using RiskConsole.Tests.Server.Infrastructure;

namespace RiskConsole.Tests.Server.Security;

/// <summary>
/// CSRF and DNS rebinding against the real server: state-changing requests and WebSocket upgrades from a browser
/// on an untrusted origin are refused with 403 and a one-line reason; clients that are not browsers (no Origin, no
/// Sec-Fetch-Site) pass. Test interrupts are allowed here (Development), which is what makes a forged POST dangerous.
/// </summary>
[Category(TestCategories.EndToEnd)]
public sealed class CrossOriginGuardTests
{
    private const string TrustedOrigin = "https://trusted.example";
    private const string Negotiate = "/hubs/risk/negotiate?negotiateVersion=1";

    private RiskConsoleServer _server = null!;

    private string Self => _server.BaseAddress.GetLeftPart(UriPartial.Authority);

    [OneTimeSetUp]
    public void StartServer() => _server = RiskConsoleServer.Start("Development", new Dictionary<string, string?>
    {
        ["Server:AllowedOrigins:0"] = TrustedOrigin,
        // Natural interrupts would be counted with forced ones.
        ["Risk:Threshold"] = "100",
    });

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [Test]
    public async Task AFormPostFromAForeignSiteFiresNoInterrupt()
    {
        var monitor = _server.Services.GetRequiredService<RiskMonitor>();
        var before = monitor.ForcedInterruptCount;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/test-interrupt") { Content = new StringContent("x", System.Text.Encoding.UTF8, "text/plain") };
        request.Headers.Add("Origin", "https://evil.example");
        request.Headers.Add("Sec-Fetch-Site", "cross-site");
        using var response = await _server.Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/plain"));
            Assert.That(body.Trim(), Does.Not.Contain('\n'), "one line");
            Assert.That(body, Does.Contain("https://evil.example").And.Contain("Server:AllowedOrigins"));
            Assert.That(monitor.ForcedInterruptCount, Is.EqualTo(before), "no interrupt was started");
        });
    }

    [TestCase("https://evil.example", null, HttpStatusCode.Forbidden)]
    [TestCase("null", null, HttpStatusCode.Forbidden)]
    [TestCase(null, "cross-site", HttpStatusCode.Forbidden)]
    [TestCase("https://trusted.example.evil.example", "same-site", HttpStatusCode.Forbidden)]
    [TestCase(null, null, HttpStatusCode.OK)]
    [TestCase(null, "same-origin", HttpStatusCode.OK)]
    [TestCase(null, "none", HttpStatusCode.OK)]
    [TestCase(TrustedOrigin, "cross-site", HttpStatusCode.OK)]
    [TestCase("{self}", "same-origin", HttpStatusCode.OK)]
    [TestCase("http://localhost:{port}", "same-origin", HttpStatusCode.OK)]
    public async Task TheSignalRNegotiatePostIsGuarded(string? origin, string? fetchSite, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Negotiate);
        AddBrowserHeaders(request, origin, fetchSite);
        using var response = await _server.Http.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(expected), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task ACrossSiteRequestWithoutAnOriginIsToldWhatToConfigure()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Negotiate);
        request.Headers.Add("Sec-Fetch-Site", "cross-site");
        using var response = await _server.Http.SendAsync(request);
        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("Sec-Fetch-Site: cross-site").And.Contain("Server:AllowedOrigins"));
        });
    }

    [Test]
    public async Task ReadsFromAForeignOriginAreLeftToCors()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/stats");
        AddBrowserHeaders(request, "https://evil.example", "cross-site");
        using var response = await _server.Http.SendAsync(request);
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Headers.Contains("Access-Control-Allow-Origin"), Is.False, "the browser keeps the answer from the foreign page");
        });
    }

    [TestCase("/ws")]
    [TestCase("/hubs/risk")]
    public async Task ARebindingPageWhoseHostEqualsItsOriginIsRefusedAndCounted(string path)
    {
        using var rejections = new OriginRejections(_server);
        var rebound = $"rebind.evil.example:{_server.BaseAddress.Port}";
        var status = await RefusedUpgradeStatusAsync(_server.WebSocketUri(path), o =>
        {
            o.SetRequestHeader("Host", rebound);
            o.SetRequestHeader("Origin", "http://" + rebound);
        });
        Assert.Multiple(async () =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.Forbidden), "Host == Origin is no proof of same origin when AllowedHosts is *");
            Assert.That(await rejections.First, Is.EqualTo("origin"));
        });
    }

    [Test]
    public async Task ACrossSiteUpgradeWithoutAnOriginIsRefused()
    {
        var status = await RefusedUpgradeStatusAsync(_server.WebSocketUri(), o => o.SetRequestHeader("Sec-Fetch-Site", "cross-site"));
        Assert.That(status, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task TheLocalhostOriginConnects()
    {
        await using var socket = await LegacySocketClient.ConnectAsync(_server.WebSocketUri(), o => o.SetRequestHeader("Origin", $"http://localhost:{_server.BaseAddress.Port}"));
        Assert.That((await socket.NextFrameAsync()).Type, Is.EqualTo("CONNECTED"));
    }

    [Test]
    public async Task WithAllowedHostsTheConsolesOwnNameIsTrusted()
    {
        await using var server = RiskConsoleServer.Start("Development", new Dictionary<string, string?> { ["AllowedHosts"] = "console.example.test;127.0.0.1" });
        var named = $"console.example.test:{server.BaseAddress.Port}";
        await using var socket = await LegacySocketClient.ConnectAsync(server.WebSocketUri(), o =>
        {
            o.SetRequestHeader("Host", named);
            o.SetRequestHeader("Origin", "https://console.example.test");
        });
        using var negotiate = new HttpRequestMessage(HttpMethod.Post, Negotiate);
        negotiate.Headers.Host = named;
        AddBrowserHeaders(negotiate, "https://console.example.test", "same-origin");
        using var negotiated = await server.Http.SendAsync(negotiate);
        using var foreign = new HttpRequestMessage(HttpMethod.Post, Negotiate);
        AddBrowserHeaders(foreign, "https://other.example.test", "cross-site");
        using var refused = await server.Http.SendAsync(foreign);
        var refusal = await refused.Content.ReadAsStringAsync();
        var config = System.Text.Json.JsonDocument.Parse(await server.Http.GetStringAsync("/config")).RootElement;
        Assert.Multiple(async () =>
        {
            Assert.That(config.GetProperty("server").GetProperty("allowedHosts").EnumerateArray().Select(h => h.GetString()), Is.EqualTo(new[] { "console.example.test", "127.0.0.1" }));
            Assert.That((await socket.NextFrameAsync()).Type, Is.EqualTo("CONNECTED"));
            Assert.That(negotiated.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(refusal, Does.Contain("AllowedHosts"));
        });
    }

    private void AddBrowserHeaders(HttpRequestMessage request, string? origin, string? fetchSite)
    {
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin.Replace("{self}", Self, StringComparison.Ordinal).Replace("{port}", _server.BaseAddress.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        }

        if (fetchSite is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", fetchSite);
        }
    }

    private static async Task<HttpStatusCode> RefusedUpgradeStatusAsync(Uri uri, Action<ClientWebSocketOptions> configure)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        configure(socket.Options);
        using var timeout = new CancellationTokenSource(LegacySocketClient.DefaultTimeout);
        Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(uri, timeout.Token), "the upgrade must be refused");
        return socket.HttpStatusCode;
    }

    /// <summary>The reason of the first riskconsole.connections.rejected measurement of this server's meter.</summary>
    private sealed class OriginRejections : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly TaskCompletionSource<string> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public OriginRejections(RiskConsoleServer server)
        {
            var meters = server.Services.GetRequiredService<IMeterFactory>();
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == DeliveryMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, meters) && instrument.Name == "riskconsole.connections.rejected")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "reason")
                    {
                        _first.TrySetResult(tag.Value?.ToString() ?? string.Empty);
                    }
                }
            });
            _listener.Start();
        }

        public Task<string> First => _first.Task.WaitAsync(TimeSpan.FromSeconds(10));

        public void Dispose() => _listener.Dispose();
    }
}
