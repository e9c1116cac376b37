using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using RiskConsole.Ai.Voice;
using RiskConsole.Tests.Server.Infrastructure;

namespace RiskConsole.Tests.Server.Security;

/// <summary>The testing aids outside Development: refused without the key, accepted with it, rate-limited either way.</summary>
[Category(TestCategories.EndToEnd)]
public sealed class TestInterruptSecurityTests
{
    private const string AdminKey = "admin-key-for-tests-1f9c";

    [Test]
    public async Task ProductionRefusesWithoutTheKeyAsProblemJson()
    {
        await using var server = RiskConsoleServer.Start("Production", new Dictionary<string, string?> { ["Server:AdminKey"] = AdminKey });
        using var noKey = await server.Http.PostAsync("/test-interrupt", null);
        using var wrongKey = await Post(server, "not-the-key");
        var problem = await noKey.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Multiple(() =>
        {
            Assert.That(noKey.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(noKey.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("admin key"));
            Assert.That(wrongKey.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        });
    }

    [Test]
    public async Task ProductionAcceptsTheAdminKey()
    {
        await using var server = RiskConsoleServer.Start("Production", new Dictionary<string, string?> { ["Server:AdminKey"] = AdminKey });
        using var response = await Post(server, AdminKey);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
    }

    [Test]
    public async Task AllowTestInterruptsOpensThemInProduction()
    {
        await using var server = RiskConsoleServer.Start("Production", new Dictionary<string, string?> { ["Server:AllowTestInterrupts"] = "true" });
        using var response = await server.Http.PostAsync("/test-interrupt", null);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
    }

    [Test]
    public async Task AllowTestInterruptsFalseClosesThemInDevelopment()
    {
        await using var server = RiskConsoleServer.Start("Development", new Dictionary<string, string?> { ["Server:AllowTestInterrupts"] = "false" });
        using var response = await server.Http.PostAsync("/test-interrupt", null);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task GuessingTheKeyIsRateLimited()
    {
        await using var server = RiskConsoleServer.Start("Production", new Dictionary<string, string?>
        {
            ["Server:AdminKey"] = AdminKey,
            ["Server:TestInterruptAttemptsPerMinute"] = "3",
        });
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 8; i++)
        {
            using var response = await Post(server, $"guess-{i}");
            statuses.Add(response.StatusCode);
        }

        // Three attempts per minute, one token back every 20 s: at most four get through in a quick burst.
        Assert.Multiple(() =>
        {
            Assert.That(statuses.Take(3), Is.All.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(statuses.Count(s => s == HttpStatusCode.TooManyRequests), Is.GreaterThanOrEqualTo(4));
        });
    }

    [Test]
    public async Task HubForceInterruptIsRefusedWithoutTheKeyAndAcceptedWithIt()
    {
        await using var server = RiskConsoleServer.Start("Production", new Dictionary<string, string?> { ["Server:AdminKey"] = AdminKey });
        await using var anonymous = server.CreateHub();
        await anonymous.StartAsync();
        var refused = Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => anonymous.InvokeAsync<RiskConsole.Core.Contracts.ForceInterruptResult>("ForceInterrupt"));
        Assert.That(refused!.Message, Does.Contain("admin key"));

        await using var admin = server.CreateHub(adminKey: AdminKey);
        var recorder = new HubRecorder(admin);
        await admin.StartAsync();
        var accepted = await admin.InvokeAsync<RiskConsole.Core.Contracts.ForceInterruptResult>("ForceInterrupt");
        var interrupt = await recorder.Interrupt();
        Assert.Multiple(() =>
        {
            Assert.That(accepted.Accepted, Is.True);
            Assert.That(interrupt.Forced, Is.True);
        });
    }

    [Test]
    public async Task OthersGuessesDoNotRateLimitTheAdminKeyAway()
    {
        await using var server = RiskConsoleServer.Start("Production", new Dictionary<string, string?>
        {
            ["Server:AdminKey"] = AdminKey,
            ["Server:TestInterruptAttemptsPerMinute"] = "2",
        });
        var guesses = await GuessAsync(server, 4, forwardedFor: null);
        using var admin = await Post(server, AdminKey);
        Assert.Multiple(() =>
        {
            Assert.That(guesses, Does.Contain(HttpStatusCode.TooManyRequests), "the guesses from this address used up its bucket");
            Assert.That(admin.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), "the valid key does not draw from the bucket others emptied");
        });
    }

    [TestCase("Server:KnownProxies:0", "127.0.0.1")]
    [TestCase("Server:KnownProxies:0", "127.0.0.0/8")]
    [TestCase("Server:KnownProxies", "10.9.9.9; 127.0.0.1")]
    public async Task BehindAKnownProxyEachForwardedClientHasItsOwnBucket(string key, string proxies)
    {
        await using var server = RiskConsoleServer.Start("Production", new Dictionary<string, string?>
        {
            ["Server:AdminKey"] = AdminKey,
            ["Server:TestInterruptAttemptsPerMinute"] = "2",
            [key] = proxies,
        });
        var first = await GuessAsync(server, 4, forwardedFor: "203.0.113.7");
        var second = await GuessAsync(server, 1, forwardedFor: "198.51.100.23");
        var spoofed = await GuessAsync(server, 1, forwardedFor: "198.51.100.99, 203.0.113.7");
        var config = await server.Http.GetFromJsonAsync<JsonElement>("/config");
        Assert.Multiple(() =>
        {
            Assert.That(first, Does.Contain(HttpStatusCode.TooManyRequests), "203.0.113.7 used up its own bucket");
            Assert.That(second, Is.EqualTo(new[] { HttpStatusCode.Forbidden }), "198.51.100.23 has a bucket of its own: refused for the key, not rate-limited");
            Assert.That(spoofed, Is.EqualTo(new[] { HttpStatusCode.TooManyRequests }), "an address the client put in front of the proxy's entry is not trusted");
            Assert.That(config.GetProperty("server").GetProperty("knownProxies").EnumerateArray().Select(e => e.GetString()), Does.Contain(proxies.Split(';')[^1].Trim()));
        });
    }

    [Test]
    public async Task WithoutKnownProxiesXForwardedForIsIgnored()
    {
        await using var server = RiskConsoleServer.Start("Production", new Dictionary<string, string?>
        {
            ["Server:AdminKey"] = AdminKey,
            ["Server:TestInterruptAttemptsPerMinute"] = "2",
        });
        var first = await GuessAsync(server, 4, forwardedFor: "203.0.113.7");
        var second = await GuessAsync(server, 1, forwardedFor: "198.51.100.23");
        Assert.Multiple(() =>
        {
            Assert.That(first, Does.Contain(HttpStatusCode.TooManyRequests));
            Assert.That(second, Is.EqualTo(new[] { HttpStatusCode.TooManyRequests }), "a header from an untrusted peer does not buy a fresh bucket");
        });
    }

    private static async Task<List<HttpStatusCode>> GuessAsync(RiskConsoleServer server, int attempts, string? forwardedFor)
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < attempts; i++)
        {
            using var response = await Post(server, $"guess-{Guid.NewGuid():N}", forwardedFor);
            statuses.Add(response.StatusCode);
        }

        return statuses;
    }

    private static Task<HttpResponseMessage> Post(RiskConsoleServer server, string key, string? forwardedFor = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/test-interrupt");
        request.Headers.Add("X-Admin-Key", key);
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }

        return server.Http.SendAsync(request);
    }
}
