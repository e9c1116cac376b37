using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using RiskConsole.Core.Signals;
using static RiskConsole.Tests.Ingest.Polymarket.PolymarketFixtures;
using static RiskConsole.Tests.Ingest.Polymarket.PolymarketFrames;

namespace RiskConsole.Tests.Ingest.Polymarket;

/// <summary>
/// The market list asked for again every five minutes (on the injected clock) while the connection stays open: new
/// markets subscribed and dropped ones unsubscribed with the documented later frame on the same socket; a refresh that
/// fails keeps the list and the connection; a throttled one waits as long as Gamma asked.
/// </summary>
public sealed class PolymarketFeedRefreshTests
{
    private const long T0 = FixtureTimestampMs;
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromMinutes(5);

    private FakePolymarketServer _server = null!;
    private FakeTimeProvider _time = null!;
    private PolymarketFeedRun? _run;

    private static JsonObject DipMarket => GammaMarket("684513", DipQuestion, DipConditionId, DipYesToken, DipNoToken, 81233.1);

    private static JsonObject NewMarket => GammaMarket("700001", "Will ETH flip BTC?", "0xnew", "77762410346766989582939541162779752931037479630109397451651895011509289068393", "555", 50);

    [SetUp]
    public async Task StartServer()
    {
        _server = await FakePolymarketServer.StartAsync();
        _time = new FakeTimeProvider(IngestTestClock.Start);
        _server.Clock = _time;
    }

    [TearDown]
    public async Task StopAll()
    {
        if (_run is not null)
        {
            await _run.DisposeAsync();
        }

        await _server.DisposeAsync();
    }

    [Test]
    public async Task NewMarketsAreSubscribedAndDroppedOnesUnsubscribedOnTheOpenSocket()
    {
        _run = PolymarketFeedRun.Start(_server, _time);
        var connection = await _server.ConnectionAsync(0);
        await connection.SendTextAsync(Book(DipYesToken, "0.08", "0.09", T0, DipConditionId));
        await _run.Sink.WaitForSignalsAsync(1);

        // Five minutes on, Gamma lists the dip market and a new one; the reach market is gone (resolved, or less active).
        _server.MarketsJson = GammaList(DipMarket, NewMarket);
        _time.Advance(RefreshInterval);
        var unsubscribe = await connection.WaitForFrameAsync(f => f.Contains("\"unsubscribe\"", StringComparison.Ordinal));
        var subscribe = await connection.WaitForFrameAsync(f => f.Contains("\"subscribe\"", StringComparison.Ordinal));

        // The dip market keeps its state (the same quote again publishes nothing), the new one is live, the dropped one is not.
        await connection.SendTextAsync(Book(DipYesToken, "0.08", "0.09", T0 + 1, DipConditionId));
        await connection.SendTextAsync(Book(ReachYesToken, "0.60", "0.61", T0 + 1));
        await connection.SendTextAsync(Book("77762410346766989582939541162779752931037479630109397451651895011509289068393", "0.20", "0.24", T0 + 1, "0xnew"));
        await _run.Sink.WaitForSignalsAsync(2);

        Assert.Multiple(() =>
        {
            Assert.That(unsubscribe, Is.EqualTo($$"""{"assets_ids":["{{ReachYesToken}}","{{ReachNoToken}}"],"operation":"unsubscribe","custom_feature_enabled":true}"""));
            Assert.That(subscribe, Is.EqualTo(
                """{"assets_ids":["77762410346766989582939541162779752931037479630109397451651895011509289068393","555"],"operation":"subscribe","custom_feature_enabled":true}"""));
            Assert.That(PropertyNames(subscribe), Is.EqualTo(PropertyNames(Compact("polymarket_subscribe_more.json"))), "the documented later frame's shape");
            Assert.That(_run.Sink.Signals.Cast<MarketProbability>().Select(s => (s.MarketId, s.Question, s.Probability)), Is.EqualTo(new[]
            {
                (DipConditionId, DipQuestion, 0.085),
                ("0xnew", "Will ETH flip BTC?", 0.22),
            }));
            Assert.That(_server.Connections, Has.Count.EqualTo(1), "the same socket");
            Assert.That(_server.GammaRequests.Select(r => r.At - IngestTestClock.Start), Is.EqualTo(new[] { TimeSpan.Zero, RefreshInterval }));
            Assert.That(_run.Sink.Rejections, Is.Empty);
        });
    }

    [Test]
    public async Task AnUnchangedListSendsNothing()
    {
        _run = PolymarketFeedRun.Start(_server, _time);
        var connection = await _server.ConnectionAsync(0);

        _time.Advance(RefreshInterval);
        await _server.WaitForGammaRequestsAsync(2);
        _time.Advance(RefreshInterval);
        await _server.WaitForGammaRequestsAsync(3);
        await connection.SendTextAsync(Text("polymarket_book.json"));
        await _run.Sink.WaitForSignalsAsync(1);

        Assert.That(connection.Received.Where(f => f != "PING").ToList(), Has.Count.EqualTo(1), "only the first subscribe frame");
    }

    public static IEnumerable<TestCaseData> FailedRefreshes()
    {
        yield return new TestCaseData(GammaAnswer.Status(404), "Gamma refused the market list: HTTP 404 Not Found").SetArgDisplayNames("404");
        yield return new TestCaseData(GammaAnswer.Markets("<html>maintenance</html>"), "Gamma's market list is not valid JSON").SetArgDisplayNames("not JSON");
        yield return new TestCaseData(GammaAnswer.Markets("[]"), "Gamma listed 0 markets but no open binary Yes/No market with CLOB token ids").SetArgDisplayNames("empty list");
    }

    [TestCaseSource(nameof(FailedRefreshes))]
    public async Task ARefreshThatFailsKeepsTheMarketsAndTheConnection(GammaAnswer answer, string reason)
    {
        _run = PolymarketFeedRun.Start(_server, _time);
        var connection = await _server.ConnectionAsync(0);

        _server.EnqueueGammaAnswer(answer);
        _time.Advance(RefreshInterval);
        await _run.Sink.WaitForRejectionsAsync(1);
        await connection.SendTextAsync(Text("polymarket_book.json"));
        await _run.Sink.WaitForSignalsAsync(1);

        Assert.Multiple(() =>
        {
            Assert.That(_run.Sink.Rejections.Single(), Does.StartWith($"market list refresh failed (keeping 2 markets): {reason}"));
            Assert.That(((MarketProbability)_run.Sink.Signals.Single()).MarketId, Is.EqualTo(ReachConditionId), "still followed");
            Assert.That(connection.Received.Where(f => f != "PING").ToList(), Has.Count.EqualTo(1), "nothing unsubscribed");
            Assert.That(_run.Run.IsCompleted, Is.False);
        });
    }

    [Test]
    public async Task ARefreshThatNeverAnswersRunsOutTheConnectTimeoutAndKeepsTheMarkets()
    {
        _run = PolymarketFeedRun.Start(_server, _time);
        await _server.ConnectionAsync(0);

        _server.EnqueueGammaAnswer(GammaAnswer.Hang());
        _time.Advance(RefreshInterval);
        await _server.WaitForGammaRequestsAsync(2);
        _time.Advance(TimeSpan.FromSeconds(PolymarketFeedRun.ConnectTimeoutSeconds));
        await _run.Sink.WaitForRejectionsAsync(1);

        Assert.Multiple(() =>
        {
            Assert.That(_run.Sink.Rejections.Single(), Is.EqualTo(
                $"market list refresh failed (keeping 2 markets): Gamma did not answer GET {_server.GammaUrl}/markets within 5 s (Ingest:ConnectTimeoutSeconds)"));
            Assert.That(_run.Run.IsCompleted, Is.False);
        });
    }

    [Test]
    public async Task AThrottledRefreshWaitsAtLeastAsLongAsGammaAskedBeforeAskingAgain()
    {
        _run = PolymarketFeedRun.Start(_server, _time);
        var connection = await _server.ConnectionAsync(0);

        _server.EnqueueGammaAnswer(GammaAnswer.Status(429, null, ("Retry-After", "420")));
        _time.Advance(RefreshInterval);
        await _run.Sink.WaitForRejectionsAsync(1);

        // At ten minutes the usual interval has passed, but not the 420 s Gamma asked for at five minutes: that refresh
        // is skipped, and the next one on the five-minute beat (fifteen minutes) asks again.
        _time.Advance(RefreshInterval);
        await connection.SendTextAsync(Text("polymarket_book.json"));
        await _run.Sink.WaitForSignalsAsync(1);
        _time.Advance(RefreshInterval);
        await _server.WaitForGammaRequestsAsync(3);

        Assert.Multiple(() =>
        {
            Assert.That(_run.Sink.Rejections.Single(), Is.EqualTo("market list refresh failed (keeping 2 markets): Gamma: 429 rate limited, retry after 420 s"));
            Assert.That(_server.GammaRequests.Select(r => r.At - IngestTestClock.Start), Is.EqualTo(new[]
            {
                TimeSpan.Zero,
                RefreshInterval,
                3 * RefreshInterval,
            }));
            Assert.That(_run.Run.IsCompleted, Is.False, "throttling while connected keeps the connection");
        });
    }

    private static List<string> PropertyNames(string json) => [.. JsonNode.Parse(json)!.AsObject().Select(p => p.Key)];
}
