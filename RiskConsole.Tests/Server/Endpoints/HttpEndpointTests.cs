using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using RiskConsole.Ai.Voice;
using RiskConsole.Tests.Server.Infrastructure;

namespace RiskConsole.Tests.Server.Endpoints;

/// <summary>Every HTTP endpoint against the real server in Development, including the bad-input cases.</summary>
[Category(TestCategories.EndToEnd)]
public sealed class HttpEndpointTests
{
    private RiskConsoleServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServer()
    {
        _server = RiskConsoleServer.Start(settings: new Dictionary<string, string?> { ["Server:AllowedOrigins:0"] = "https://trusted.example" });

        // Wait until the engine has published: statistics then have something in them.
        await using var hub = _server.CreateHub();
        var recorder = new HubRecorder(hub);
        await hub.StartAsync();
        await recorder.Score(s => s.Seq > 2);
    }

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [Test]
    public async Task RootGivesApiClientsJson()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await _server.Http.SendAsync(request);
        var json = await ReadJson(response);
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(json.GetProperty("name").GetString(), Is.EqualTo("RiskConsole"));
            Assert.That(json.GetProperty("version").GetString(), Is.Not.Empty);
            Assert.That(json.GetProperty("endpoints").GetProperty("hub").GetString(), Is.EqualTo("/hubs/risk"));
            Assert.That(json.GetProperty("endpoints").GetProperty("legacyWebSocket").GetString(), Is.EqualTo("/ws"));
        });
    }

    [Test]
    public async Task RootGivesBrowsersThePage()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        using var response = await _server.Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
            Assert.That(body, Does.Contain("<title>RiskConsole</title>"));
        });
    }

    [Test]
    public async Task HealthShowsEachSourceOnMockAndAiReadiness()
    {
        using var response = await _server.Http.GetAsync("/health");
        var json = await ReadJson(response);
        var checks = json.GetProperty("checks");
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), "Degraded still answers 200");
            Assert.That(json.GetProperty("status").GetString(), Is.EqualTo("Degraded"));
            Assert.That(checks.GetProperty("engine").GetProperty("status").GetString(), Is.EqualTo("Healthy"));
            Assert.That(checks.GetProperty("sources").GetProperty("status").GetString(), Is.EqualTo("Degraded"));
            Assert.That(checks.GetProperty("sources").GetProperty("data").GetProperty("crypto").GetString(), Does.StartWith("mock"));
            Assert.That(checks.GetProperty("sources").GetProperty("data").GetProperty("polymarket").GetString(), Does.StartWith("mock"));
            Assert.That(checks.GetProperty("sources").GetProperty("data").GetProperty("reddit").GetString(), Does.StartWith("mock"));
            Assert.That(checks.GetProperty("ai").GetProperty("data").GetProperty("roasts").GetString(), Is.EqualTo("offline"));
            Assert.That(checks.GetProperty("ai").GetProperty("data").GetProperty("voice").GetString(), Is.EqualTo("none"));
        });
    }

    [Test]
    public async Task LivenessIgnoresMockSources()
    {
        using var response = await _server.Http.GetAsync("/health/live");
        var json = await ReadJson(response);
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(json.GetProperty("status").GetString(), Is.EqualTo("Healthy"));
            Assert.That(json.GetProperty("checks").EnumerateObject().Count(), Is.Zero);
        });
    }

    [Test]
    public async Task ReadinessIsDegradedOnMockData()
    {
        using var response = await _server.Http.GetAsync("/health/ready");
        var json = await ReadJson(response);
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(json.GetProperty("status").GetString(), Is.EqualTo("Degraded"));
            Assert.That(json.GetProperty("checks").TryGetProperty("sources", out _), Is.True);
        });
    }

    [Test]
    public async Task StatsReportTheEngine()
    {
        var json = await ReadJson(await _server.Http.GetAsync("/stats"));
        var statistics = json.GetProperty("statistics");
        Assert.Multiple(() =>
        {
            Assert.That(statistics.GetProperty("totalUpdates").GetInt64(), Is.GreaterThan(0));
            Assert.That(statistics.GetProperty("currentRiskScore").GetDouble(), Is.InRange(0.0, 100.0));
            Assert.That(statistics.GetProperty("normalizerStats").GetProperty("historySize").GetInt32(), Is.GreaterThan(0));
            Assert.That(json.GetProperty("outboundDroppedScores").GetInt64(), Is.Zero, "a healthy sender drops nothing");
            Assert.That(json.GetProperty("undeliveredInterrupts").GetInt64(), Is.GreaterThanOrEqualTo(0));
            Assert.That(json.GetProperty("signalBacklog").GetInt32(), Is.GreaterThanOrEqualTo(0));
            Assert.That(json.GetProperty("legacyDroppedFrames").GetInt64(), Is.Zero, "no /ws client has fallen behind");
        });
    }

    [Test]
    public async Task ConfigShowsSafeSettings()
    {
        var json = await ReadJson(await _server.Http.GetAsync("/config"));
        Assert.Multiple(() =>
        {
            Assert.That(json.GetProperty("risk").GetProperty("threshold").GetDouble(), Is.EqualTo(75));
            Assert.That(json.GetProperty("risk").GetProperty("cooldownSeconds").GetDouble(), Is.EqualTo(60));
            Assert.That(json.GetProperty("risk").GetProperty("latenessSeconds").GetDouble(), Is.EqualTo(0.3), "the test server's setting");
            Assert.That(json.GetProperty("risk").GetProperty("cooldownBackoffFactor").GetDouble(), Is.EqualTo(4));
            Assert.That(json.GetProperty("risk").GetProperty("redditMaxAgeSeconds").GetDouble(), Is.EqualTo(1800));
            Assert.That(json.GetProperty("ingest").GetProperty("mode").GetString(), Is.EqualTo("mock"));
            Assert.That(json.GetProperty("ai").GetProperty("openAIKeyConfigured").GetBoolean(), Is.False);
            Assert.That(json.GetProperty("ai").GetProperty("openAIModel").GetString(), Is.EqualTo("gpt-4o"));
            Assert.That(json.GetProperty("server").GetProperty("testInterruptsAllowedWithoutKey").GetBoolean(), Is.True);
            Assert.That(json.GetProperty("risk").GetProperty("drawdownLookbackSeconds").GetDouble(), Is.EqualTo(86400));
            Assert.That(json.GetProperty("risk").GetProperty("drawdownStart").GetDouble(), Is.EqualTo(0.01));
            Assert.That(json.GetProperty("risk").GetProperty("drawdownFull").GetDouble(), Is.EqualTo(0.06));
            var journal = json.GetProperty("journal");
            Assert.That(journal.GetProperty("enabled").GetBoolean(), Is.True);
            Assert.That(journal.GetProperty("path").GetString(), Is.EqualTo(_server.JournalPath), "the test server's own journal");
            Assert.That(journal.GetProperty("retentionDays").GetDouble(), Is.EqualTo(7));
            Assert.That(journal.GetProperty("cleanupIntervalMinutes").GetDouble(), Is.EqualTo(60));
            Assert.That(journal.GetProperty("queueCapacity").GetInt32(), Is.EqualTo(100_000));
            Assert.That(journal.GetProperty("batchSize").GetInt32(), Is.EqualTo(5_000));
            Assert.That(journal.GetProperty("flushIntervalMs").GetInt32(), Is.EqualTo(100));
            Assert.That(journal.GetProperty("maxSizeMegabytes").GetInt32(), Is.EqualTo(4096));
        });
    }

    [Test]
    public async Task TestInterruptIsAcceptedInDevelopmentThenRateLimited()
    {
        using var first = await _server.Http.PostAsync("/test-interrupt", null);
        var accepted = await ReadJson(first);
        using var second = await _server.Http.PostAsync("/test-interrupt", null);
        Assert.Multiple(() =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
            Assert.That(accepted.GetProperty("accepted").GetBoolean(), Is.True);
            Assert.That((int)second.StatusCode, Is.EqualTo(429).Or.EqualTo(409), "a forced interrupt right after another is refused");
            Assert.That(second.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        });
    }

    [Test]
    public async Task AudioServesCachedFilesOnly()
    {
        var cache = _server.Services.GetRequiredService<AudioCache>();
        var name = AudioCache.FileNameFor("a roast", "voice");
        byte[] mp3 = [0xFF, 0xFB, 0x90, 0x44, 1, 2, 3];
        var url = await cache.StoreAsync(name, mp3, CancellationToken.None);

        using var served = await _server.Http.GetAsync(url);
        Assert.Multiple(async () =>
        {
            Assert.That(served.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(served.Content.Headers.ContentType?.MediaType, Is.EqualTo("audio/mpeg"));
            Assert.That(await served.Content.ReadAsByteArrayAsync(), Is.EqualTo(mp3));
        });
    }

    [TestCase("/audio/..%2F..%2F..%2Fetc%2Fpasswd")]
    [TestCase("/audio/%2Fetc%2Fpasswd")]
    [TestCase("/audio/.%2E%2Fappsettings.json")]
    [TestCase("/audio/roast_0123456789abcdef.wav")]
    [TestCase("/audio/roast_0123456789abcdef.mp3")]
    [TestCase("/audio/ROAST_0123456789ABCDEF.mp3")]
    [TestCase("/audio/roast_..%5C..%5Cx.mp3")]
    public async Task AudioRefusesAnythingElseWith404(string path)
    {
        using var response = await _server.Http.GetAsync(path);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task AudioNeverServesASymlinkPlantedUnderACacheName()
    {
        var cache = _server.Services.GetRequiredService<AudioCache>();
        var outside = Path.Combine(Path.GetTempPath(), "riskconsole-planted-" + Guid.NewGuid().ToString("N"));
        await File.WriteAllTextAsync(outside, "vm\n");
        var name = AudioCache.FileNameFor("planted", "voice");
        var link = Path.Combine(cache.DirectoryPath, name);
        File.CreateSymbolicLink(link, outside);
        try
        {
            using var response = await _server.Http.GetAsync("/audio/" + name);
            Assert.Multiple(() =>
            {
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
                Assert.That(_server.Logs.Lines, Has.Some.StartsWith("Warning").And.Contains(name).And.Contains("symbolic link"));
            });
        }
        finally
        {
            File.Delete(link);
            File.Delete(outside);
        }
    }

    [Test]
    public async Task CorsAllowsOnlyConfiguredOrigins()
    {
        using var trusted = new HttpRequestMessage(HttpMethod.Get, "/stats");
        trusted.Headers.Add("Origin", "https://trusted.example");
        using var evil = new HttpRequestMessage(HttpMethod.Get, "/stats");
        evil.Headers.Add("Origin", "https://evil.example");
        using var trustedResponse = await _server.Http.SendAsync(trusted);
        using var evilResponse = await _server.Http.SendAsync(evil);
        Assert.Multiple(() =>
        {
            Assert.That(trustedResponse.Headers.TryGetValues("Access-Control-Allow-Origin", out var allowed) ? allowed.Single() : null, Is.EqualTo("https://trusted.example"));
            Assert.That(evilResponse.Headers.Contains("Access-Control-Allow-Origin"), Is.False);
        });
    }

    [Test]
    public async Task UnknownRoutesAre404()
    {
        using var response = await _server.Http.GetAsync("/nope");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    private static async Task<JsonElement> ReadJson(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        try
        {
            return JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new AssertionException($"{(int)response.StatusCode} response is not JSON: {text[..Math.Min(300, text.Length)]}", ex);
        }
    }
}
