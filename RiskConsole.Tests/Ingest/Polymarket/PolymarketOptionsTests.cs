using RiskConsole.Ingest.Polymarket;

namespace RiskConsole.Tests.Ingest.Polymarket;

/// <summary>Ingest:Polymarket: the documented defaults, and one clear message naming the key for each bad value.</summary>
public sealed class PolymarketOptionsTests
{
    [Test]
    public void TheDefaultsAreTheDocumentedOnesAndValid()
    {
        var options = new PolymarketOptions();

        Assert.Multiple(() =>
        {
            Assert.That(options.ClobWebSocketUrl, Is.EqualTo("wss://ws-subscriptions-clob.polymarket.com/ws/market"));
            Assert.That(options.GammaUrl, Is.EqualTo("https://gamma-api.polymarket.com"));
            Assert.That(options.MaxMarkets, Is.EqualTo(10));
            Assert.That(options.Keyword, Is.Null);
            Assert.That(options.GammaPageSize, Is.EqualTo(100));
            Assert.That(options.MarketRefreshInterval, Is.EqualTo(TimeSpan.FromMinutes(5)));
            Assert.That(options.PingInterval, Is.EqualTo(TimeSpan.FromSeconds(10)));
            Assert.That(options.SilenceTimeout, Is.EqualTo(TimeSpan.FromSeconds(30)));
            Assert.That(options.MaxFrameBytes, Is.EqualTo(1024 * 1024));
            Assert.That(options.GammaMaxResponseBytes, Is.EqualTo(16 * 1024 * 1024));
            Assert.That(options.MaxSpreadForMidpoint, Is.EqualTo(0.10));
            Assert.That(options.Validate(), Is.Empty);
        });
    }

    [TestCase("  ", null)]
    [TestCase(" bitcoin ", "bitcoin")]
    public void TheKeywordFilterIsTrimmedAndABlankOneIsNone(string keyword, string? filter)
    {
        Assert.That(new PolymarketOptions { Keyword = keyword }.KeywordFilter, Is.EqualTo(filter));
    }

    public static IEnumerable<TestCaseData> BadValues()
    {
        yield return Case(o => o.ClobWebSocketUrl = "https://ws.example/ws", "Ingest:Polymarket:ClobWebSocketUrl must be an absolute ws:// or wss:// URL (was 'https://ws.example/ws').");
        yield return Case(o => o.ClobWebSocketUrl = "", "Ingest:Polymarket:ClobWebSocketUrl must be an absolute ws:// or wss:// URL (was '').");
        yield return Case(o => o.GammaUrl = "gamma-api.polymarket.com", "Ingest:Polymarket:GammaUrl must be an absolute http(s) URL (was 'gamma-api.polymarket.com').");
        yield return Case(o => o.GammaUrl = "https://gamma.example/?x=1", "Ingest:Polymarket:GammaUrl must not carry a query; the listener adds /markets?... itself (was 'https://gamma.example/?x=1').");
        yield return Case(o => o.MaxMarkets = 0, "Ingest:Polymarket:MaxMarkets must be between 1 and 250 (was 0).");
        yield return Case(o => o.MaxMarkets = 251, "Ingest:Polymarket:MaxMarkets must be between 1 and 250 (was 251).", "Ingest:Polymarket:GammaPageSize must be between MaxMarkets (251) and 500 (was 100).");
        yield return Case(o => o.GammaPageSize = 5, "Ingest:Polymarket:GammaPageSize must be between MaxMarkets (10) and 500 (was 5).");
        yield return Case(o => o.Keyword = new string('k', 101), "Ingest:Polymarket:Keyword must be at most 100 characters (was 101).");
        yield return Case(o => o.MarketRefreshSeconds = 0.5, "Ingest:Polymarket:MarketRefreshSeconds must be between 1 and 86400 seconds (was 0.5).");
        yield return Case(o => o.PingIntervalSeconds = 0, "Ingest:Polymarket:PingIntervalSeconds must be between 0.01 and 60 seconds (was 0).");
        yield return Case(o => o.SilenceTimeoutSeconds = 15, "Ingest:Polymarket:SilenceTimeoutSeconds must be at least twice PingIntervalSeconds (20 s) and at most 3600 seconds (was 15).");
        yield return Case(o => o.SilenceTimeoutSeconds = double.NaN, "Ingest:Polymarket:SilenceTimeoutSeconds must be at least twice PingIntervalSeconds (20 s) and at most 3600 seconds (was NaN).");
        yield return Case(o => o.MaxFrameBytes = 1000, "Ingest:Polymarket:MaxFrameBytes must be between 4096 and 67108864 bytes (was 1000).");
        yield return Case(o => o.GammaMaxResponseBytes = 1000, "Ingest:Polymarket:GammaMaxResponseBytes must be between 65536 and 268435456 bytes (was 1000).");
        yield return Case(o => o.MaxSpreadForMidpoint = 0, "Ingest:Polymarket:MaxSpreadForMidpoint must be greater than 0 and at most 1 (was 0).");

        static TestCaseData Case(Action<PolymarketOptions> change, params string[] messages) =>
            new TestCaseData(change, messages).SetArgDisplayNames(messages[0]);
    }

    [TestCaseSource(nameof(BadValues))]
    public void ABadValueGivesOneMessageNamingItsKey(Action<PolymarketOptions> change, string[] messages)
    {
        var options = new PolymarketOptions();
        change(options);

        Assert.That(options.Validate(), Is.EqualTo(messages));
    }
}
