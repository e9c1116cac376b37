using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Polly;
using RiskConsole.Ingest.Polymarket;

namespace RiskConsole.Tests.Ingest.Polymarket;

/// <summary>AddPolymarketFeed: what it registers, that bad settings stop the start with the key named, and which Gamma failures its HTTP pipeline retries.</summary>
public sealed class PolymarketFeedRegistrationTests
{
    [Test]
    public void RegistersTheListenerAsOneSingletonAndNothingHosted()
    {
        using var services = Build(new Dictionary<string, string?>
        {
            ["Ingest:Polymarket:ClobWebSocketUrl"] = "ws://127.0.0.1:1/ws/market",
            ["Ingest:Polymarket:MaxMarkets"] = "3",
        });

        var feed = services.GetRequiredService<PolymarketFeed>();

        Assert.Multiple(() =>
        {
            Assert.That(services.GetRequiredService<PolymarketFeed>(), Is.SameAs(feed));
            Assert.That(feed.Endpoint, Is.EqualTo("ws://127.0.0.1:1/ws/market"));
            Assert.That(services.GetRequiredService<IOptions<PolymarketOptions>>().Value.MaxMarkets, Is.EqualTo(3));
            Assert.That(services.GetServices<IHostedService>(), Is.Empty);
            Assert.That(services.GetRequiredService<GammaMarketsClient>().MarketsUri.ToString(),
                Is.EqualTo("https://gamma-api.polymarket.com/markets?active=true&closed=false&order=volume24hr&ascending=false&limit=100"));
        });
    }

    [Test]
    public void RegisteringTwiceAddsNothing()
    {
        var configuration = new ConfigurationBuilder().Build();
        var services = new ServiceCollection().AddPolymarketFeed(configuration);
        var count = services.Count;

        services.AddPolymarketFeed(configuration);

        Assert.That(services, Has.Count.EqualTo(count));
    }

    [Test]
    public void ABadSettingStopsTheStartWithTheKeyNamed()
    {
        using var services = Build(new Dictionary<string, string?> { ["Ingest:Polymarket:MaxMarkets"] = "0" });

        Assert.That(
            () => services.GetRequiredService<PolymarketFeed>(),
            Throws.TypeOf<OptionsValidationException>().With.Message.Contains("Ingest:Polymarket:MaxMarkets must be between 1 and 250 (was 0)."));
    }

    [TestCase(HttpStatusCode.InternalServerError, null, true, TestName = "A 500 is retried")]
    [TestCase(HttpStatusCode.BadGateway, null, true, TestName = "A 502 is retried")]
    [TestCase(HttpStatusCode.ServiceUnavailable, 2, true, TestName = "A 503 asking for 2 s is retried after them")]
    [TestCase(HttpStatusCode.ServiceUnavailable, 120, false, TestName = "A 503 asking for 2 minutes is left to the listener")]
    [TestCase(HttpStatusCode.TooManyRequests, null, false, TestName = "A 429 is never retried inside the call")]
    [TestCase(HttpStatusCode.TooManyRequests, 1, false, TestName = "A 429 with a short Retry-After is not retried either")]
    [TestCase(HttpStatusCode.NotFound, null, false, TestName = "A 404 is not retried")]
    [TestCase(HttpStatusCode.OK, null, false, TestName = "A 200 is not retried")]
    public void TheGammaPipelineRetriesOnlyTransientFailuresThatAreNotThrottling(HttpStatusCode status, int? retryAfterSeconds, bool retried)
    {
        using var response = new HttpResponseMessage(status);
        if (retryAfterSeconds is { } seconds)
        {
            response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(seconds));
        }

        Assert.That(PolymarketFeedRegistration.IsWorthARetry(Outcome.FromResult(response)), Is.EqualTo(retried));
    }

    [Test]
    public void TheGammaPipelineRetriesAConnectionThatFailed()
    {
        var outcome = Outcome.FromException<HttpResponseMessage>(new HttpRequestException("connection reset"));

        Assert.That(PolymarketFeedRegistration.IsWorthARetry(outcome), Is.True);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection()
            .AddLogging()
            .AddSingleton(TimeProvider.System)
            .AddPolymarketFeed(configuration)
            .BuildServiceProvider();
    }
}
