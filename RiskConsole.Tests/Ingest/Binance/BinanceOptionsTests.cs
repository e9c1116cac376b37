using System.Net;
using System.Net.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Polly;
using RiskConsole.Core.Contracts;
using RiskConsole.Ingest;
using RiskConsole.Ingest.Binance;

namespace RiskConsole.Tests.Ingest.Binance;

/// <summary>"Ingest:Binance": defaults, every bad value named by its key, and AddBinanceFeed's registrations.</summary>
public sealed class BinanceOptionsTests
{
    [Test]
    public void TheDefaultsAreTheDocumentedOnesAndValid()
    {
        var options = new BinanceOptions();

        Assert.Multiple(() =>
        {
            Assert.That(options.StreamUrl, Is.EqualTo("wss://stream.binance.com:9443"));
            Assert.That(options.RestUrl, Is.EqualTo("https://data-api.binance.vision"));
            Assert.That(options.EffectiveSymbols, Is.EqualTo(new[] { "BTCUSDT", "ETHUSDT", "SOLUSDT" }));
            Assert.That(options.EffectiveStreams, Is.EqualTo(new[] { "trade" }));
            Assert.That(options.SilenceTimeout, Is.EqualTo(TimeSpan.FromSeconds(30)));
            Assert.That(options.MaxConnectionAge, Is.EqualTo(TimeSpan.FromHours(23.5)));
            Assert.That(options.MaxMessageBytes, Is.EqualTo(65536));
            Assert.That(options.RestPollInterval, Is.EqualTo(TimeSpan.FromSeconds(2)));
            Assert.That(options.StreamRetryAfter, Is.EqualTo(TimeSpan.FromMinutes(5)));
            Assert.That(options.RateLimitedWait, Is.EqualTo(TimeSpan.FromSeconds(30)));
            Assert.That(options.IpBanWait, Is.EqualTo(TimeSpan.FromMinutes(15)));
            Assert.That(options.Validate(), Is.Empty);
        });
    }

    public static IEnumerable<TestCaseData> BadValues()
    {
        TestCaseData Case(Action<BinanceOptions> change, params string[] expected) => new TestCaseData(change, expected).SetName($"{{m}}({expected[0][..Math.Min(expected[0].Length, 60)]})");

        yield return Case(o => o.StreamUrl = "https://stream.binance.com", "Ingest:Binance:StreamUrl must be an absolute ws:// or wss:// URL without a query (was 'https://stream.binance.com').");
        yield return Case(o => o.StreamUrl = "stream.binance.com:9443", "Ingest:Binance:StreamUrl must be an absolute ws:// or wss:// URL without a query (was 'stream.binance.com:9443').");
        yield return Case(o => o.StreamUrl = "wss://stream.binance.com/stream?streams=btcusdt@trade", "Ingest:Binance:StreamUrl must be an absolute ws:// or wss:// URL without a query (was 'wss://stream.binance.com/stream?streams=btcusdt@trade').");
        yield return Case(o => o.RestUrl = "wss://api.binance.com", "Ingest:Binance:RestUrl must be an absolute http:// or https:// URL without a query (was 'wss://api.binance.com').");
        yield return Case(o => o.RestUrl = "", "Ingest:Binance:RestUrl must be an absolute http:// or https:// URL without a query (was '').");
        yield return Case(
            o => o.SilenceTimeoutSeconds = 0,
            "Ingest:Binance:SilenceTimeoutSeconds must be between 1 and 3600 (was 0).",
            "Ingest:Binance:RestPollIntervalSeconds must be at most half of Ingest:Binance:SilenceTimeoutSeconds (was 2 s with a silence timeout of 0 s).");
        yield return Case(o => o.SilenceTimeoutSeconds = double.NaN, "Ingest:Binance:SilenceTimeoutSeconds must be between 1 and 3600 (was NaN).");
        yield return Case(o => o.MaxConnectionAgeMinutes = 24 * 60 + 1, "Ingest:Binance:MaxConnectionAgeMinutes must be between 1 and 1440 (was 1441).");
        yield return Case(o => o.MaxConnectionAgeMinutes = 0.5, "Ingest:Binance:MaxConnectionAgeMinutes must be between 1 and 1440 (was 0.5).");
        yield return Case(o => o.RestPollIntervalSeconds = 0.01, "Ingest:Binance:RestPollIntervalSeconds must be between 0.1 and 3600 (was 0.01).");
        yield return Case(o => o.RestPollIntervalSeconds = 20, "Ingest:Binance:RestPollIntervalSeconds must be at most half of Ingest:Binance:SilenceTimeoutSeconds (was 20 s with a silence timeout of 30 s).");
        yield return Case(o => o.StreamRetryAfterSeconds = 0, "Ingest:Binance:StreamRetryAfterSeconds must be between 1 and 86400 (was 0).");
        yield return Case(o => o.RateLimitedWaitSeconds = -1, "Ingest:Binance:RateLimitedWaitSeconds must be between 0.1 and 86400 (was -1).");
        yield return Case(o => o.IpBanWaitSeconds = 1e9, "Ingest:Binance:IpBanWaitSeconds must be between 1 and 259200 (was 1000000000).");
        yield return Case(o => o.MaxMessageBytes = 100, "Ingest:Binance:MaxMessageBytes must be between 1024 and 16777216 bytes (was 100).");
        yield return Case(o => o.Symbols = ["BTCUSDT", "BTC/USDT"], "Ingest:Binance:Symbols:1 must be a Binance symbol of 2 to 30 letters and digits, such as BTCUSDT (was 'BTC/USDT').");
        yield return Case(o => o.Symbols = [""], "Ingest:Binance:Symbols:0 must be a Binance symbol of 2 to 30 letters and digits, such as BTCUSDT (was '').");
        yield return Case(o => o.Symbols = ["BTCUSDT", "btcusdt"], "Ingest:Binance:Symbols lists \"BTCUSDT\" more than once.");
        yield return Case(o => o.Streams = ["trades"], "Ingest:Binance:Streams:0 must be trade, ticker or kline_<interval> with an interval of 1s, 1m, 3m, 5m, 15m, 30m, 1h, 2h, 4h, 6h, 8h, 12h, 1d, 3d, 1w or 1M (was 'trades').");
        yield return Case(o => o.Streams = ["kline_2m"], "Ingest:Binance:Streams:0 must be trade, ticker or kline_<interval> with an interval of 1s, 1m, 3m, 5m, 15m, 30m, 1h, 2h, 4h, 6h, 8h, 12h, 1d, 3d, 1w or 1M (was 'kline_2m').");
        yield return Case(o => o.Streams = ["trade", "trade"], "Ingest:Binance:Streams lists \"trade\" more than once.");
        yield return Case(o => o.Streams = ["kline_1m", "kline_5m"], "Ingest:Binance:Streams may list at most one kline interval (was kline_1m, kline_5m).");
        yield return Case(
            o =>
            {
                o.Symbols = [.. Enumerable.Range(0, 400).Select(i => $"S{i}USDT")];
                o.Streams = ["trade", "ticker", "kline_1m"];
            },
            "Ingest:Binance:Symbols × Ingest:Binance:Streams must make at most 1024 streams, Binance's limit per connection (was 400 × 3).");
    }

    [TestCaseSource(nameof(BadValues))]
    public void EachBadValueIsReportedByItsKey(Action<BinanceOptions> change, string[] expected)
    {
        var options = new BinanceOptions();
        change(options);

        Assert.That(options.Validate(), Is.EqualTo(expected));
    }

    [Test]
    public void AddBinanceFeedBindsTheSectionAndRegistersTheListenerAsOneSingletonAndNothingHosted()
    {
        using var services = Build(new()
        {
            ["Ingest:Binance:StreamUrl"] = "ws://127.0.0.1:9/",
            ["Ingest:Binance:Symbols:0"] = "adausdt",
            ["Ingest:Binance:Symbols:1"] = "BNBUSDT",
            ["Ingest:Binance:Streams:0"] = "ticker",
            ["Ingest:Binance:SilenceTimeoutSeconds"] = "45",
        });

        var feed = services.GetRequiredService<BinanceFeed>();

        Assert.Multiple(() =>
        {
            Assert.That(services.GetRequiredService<BinanceFeed>(), Is.SameAs(feed));
            Assert.That(services.GetServices<IHostedService>(), Is.Empty);
            Assert.That(feed.Source, Is.EqualTo(DataSources.Crypto));
            Assert.That(feed.Endpoint, Is.EqualTo("ws://127.0.0.1:9/"));
            Assert.That(feed.SilenceTimeout, Is.EqualTo(TimeSpan.FromSeconds(45)));
            Assert.That(feed.Symbols, Is.EqualTo(new[] { "adausdt", "BNBUSDT" }), "configured symbols replace the defaults, as written");
            Assert.That(feed.StreamUri.ToString(), Is.EqualTo("ws://127.0.0.1:9/stream?streams=adausdt@ticker/bnbusdt@ticker"));
        });
    }

    [Test]
    public void TheDefaultStreamIsTheTradeStreamOfTheThreeDefaultSymbolsOnBinance()
    {
        using var services = Build([]);

        Assert.That(services.GetRequiredService<BinanceFeed>().StreamUri.ToString(),
            Is.EqualTo("wss://stream.binance.com:9443/stream?streams=btcusdt@trade/ethusdt@trade/solusdt@trade"));
    }

    [Test]
    public void TheRestClientAsksForEverySymbolInOneCallAsBinanceDocumentsIt()
    {
        using var services = Build(new() { ["Ingest:Binance:RestUrl"] = "https://data-api.binance.vision/" });

        Assert.That(services.GetRequiredService<BinanceRestClient>().TickerPriceUri.AbsoluteUri,
            Is.EqualTo("https://data-api.binance.vision/api/v3/ticker/price?symbols=%5B%22BTCUSDT%22%2C%22ETHUSDT%22%2C%22SOLUSDT%22%5D"));
    }

    [Test]
    public void ABadSettingFailsTheStartChecksWithTheKeyNamed()
    {
        using var services = Build(new() { ["Ingest:Binance:MaxMessageBytes"] = "10" });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.That(error!.Failures, Is.EqualTo(new[] { "Ingest:Binance:MaxMessageBytes must be between 1024 and 16777216 bytes (was 10)." }));
    }

    [Test]
    public void CallingAddBinanceFeedTwiceRegistersTheListenerAndBindsTheSymbolsOnce()
    {
        var configuration = Configuration(new() { ["Ingest:Binance:Symbols:0"] = "ADAUSDT" });
        var collection = new ServiceCollection().AddLogging().AddSingleton(TimeProvider.System).AddBinanceFeed(configuration).AddBinanceFeed(configuration);
        using var services = collection.BuildServiceProvider();

        Assert.Multiple(() =>
        {
            Assert.That(collection.Count(d => d.ServiceType == typeof(BinanceFeed)), Is.EqualTo(1));
            Assert.That(services.GetRequiredService<IOptions<BinanceOptions>>().Value.Symbols, Is.EqualTo(new[] { "ADAUSDT" }));
        });
    }

    [TestCase(500, true)]
    [TestCase(503, true)]
    [TestCase(408, true)]
    [TestCase(429, false)]
    [TestCase(418, false)]
    [TestCase(451, false)]
    [TestCase(400, false)]
    [TestCase(200, false)]
    public void TheRestHandlerRetriesOnlyWhatASecondTryCanFixAndLeaves429And418ToTheFeed(int status, bool retried)
    {
        using var response = new HttpResponseMessage((HttpStatusCode)status);

        Assert.That(BinanceFeedRegistration.IsWorthRetrying(Outcome.FromResult(response)), Is.EqualTo(retried));
    }

    [Test]
    public void TheRestHandlerRetriesAFailedConnectionButNotACancelledCall()
    {
        Assert.Multiple(() =>
        {
            Assert.That(BinanceFeedRegistration.IsWorthRetrying(Outcome.FromException<HttpResponseMessage>(new HttpRequestException("refused"))), Is.True);
            Assert.That(BinanceFeedRegistration.IsWorthRetrying(Outcome.FromException<HttpResponseMessage>(new TaskCanceledException())), Is.False);
        });
    }

    private static IConfiguration Configuration(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

    private static ServiceProvider Build(Dictionary<string, string?> settings) =>
        new ServiceCollection().AddLogging().AddSingleton(TimeProvider.System).AddBinanceFeed(Configuration(settings)).BuildServiceProvider();
}
