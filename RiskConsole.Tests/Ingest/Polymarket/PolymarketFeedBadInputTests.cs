using RiskConsole.Core.Signals;
using static RiskConsole.Tests.Ingest.Polymarket.PolymarketFixtures;
using static RiskConsole.Tests.Ingest.Polymarket.PolymarketFrames;

namespace RiskConsole.Tests.Ingest.Polymarket;

/// <summary>
/// Whatever the network sends: each bad frame is counted as a message, rejected with a reason, and the connection goes
/// on (a valid frame after it still becomes a signal); nothing invalid becomes a signal.
/// </summary>
public sealed class PolymarketFeedBadInputTests
{
    private const long T0 = FixtureTimestampMs;

    private FakePolymarketServer _server = null!;
    private PolymarketFeedRun? _run;

    /// <summary>A valid frame sent after the bad one: its signal proves the connection is still up and the bad frame is behind it.</summary>
    private static string Sentinel => Book(ReachYesToken, "0.50", "0.52", T0 + 1000);

    public static IEnumerable<TestCaseData> BadFrames()
    {
        yield return Case("""{"event_type":"book",""", "invalid JSON", "cut short");
        yield return Case("INVALID OPERATION", "invalid JSON", "plain text");
        yield return Case("""{"event_type":"tick_size_change"} trailing""", "invalid JSON", "data after the event");
        yield return Case("42", "frame is neither an event object nor an array of events", "a number");
        yield return Case("""[1]""", "array element 0 is not an event object", "an array of numbers");
        yield return Case("""{"asset_id":"1","price":"0.5"}""", "event without event_type", "no event_type");
        yield return Case("""{"event_type":5}""", "event_type is not a string", "event_type a number");
        yield return Case($$"""{"event_type":"book","asset_id":"{{ReachYesToken}}","bids":"none","asks":[],"timestamp":"{{T0}}"}""", "book: bids is not an array", "bids a string");
        yield return Case($$"""{"event_type":"book","bids":[],"asks":[],"timestamp":"{{T0}}"}""", "book: asset_id missing", "book without asset");
        yield return Case(Book(ReachYesToken, PolymarketFixtures.ReachConditionId, [("0.5", "-5")], [], T0), "book: bid size is negative or absurd", "negative size");
        yield return Case(Book(ReachYesToken, PolymarketFixtures.ReachConditionId, [("0.5", "1e300")], [], T0), "book: bid size is negative or absurd", "absurd size");
        yield return Case(Book(ReachYesToken, PolymarketFixtures.ReachConditionId, [], [("lots", "5")], T0), "book: ask price is not a number", "unparsable level price");
        yield return Case(LastTradePrice(ReachYesToken, "abc", T0), "last_trade_price: price is not a number", "unparsable price");
        yield return Case(LastTradePrice(ReachYesToken, "NaN", T0), "last_trade_price: price is not finite", "NaN price");
        yield return Case(LastTradePrice(ReachYesToken, "Infinity", T0), "last_trade_price: price is not finite", "infinite price");
        yield return Case(LastTradePrice(ReachYesToken, "1.5", T0), "last_trade_price: price is outside [0, 1]", "probability above 1");
        yield return Case(LastTradePrice(ReachYesToken, "-0.2", T0), "last_trade_price: price is outside [0, 1]", "negative probability");
        yield return Case(BestBidAsk(ReachYesToken, "-0.1", "0.5", T0), "best_bid_ask: best_bid is outside [0, 1]", "negative bid");
        yield return Case(BestBidAsk(ReachYesToken, "0.7", "0.6", T0), "best_bid_ask: best bid above best ask", "crossed quote");
        yield return Case(LastTradePrice(ReachYesToken, "0.5", T0).Replace($"\"{T0}\"", "\"soon\"", StringComparison.Ordinal), "last_trade_price: timestamp is not a whole number of milliseconds", "unparsable timestamp");
        yield return Case(LastTradePrice(ReachYesToken, "0.5", 99_999_999_999_999), "last_trade_price: timestamp is not a plausible Unix time in milliseconds", "absurd timestamp");
        yield return Case($$"""{"event_type":"price_change","market":"{{PolymarketFixtures.ReachConditionId}}","timestamp":"{{T0}}"}""", "price_change: price_changes missing", "no price_changes");
        yield return Case(
            $$"""{"event_type":"price_change","market":"m","timestamp":"{{T0}}","price_changes":[{"asset_id":"{{ReachYesToken}}","price":"0.5","size":"1","side":"BUY","best_bid":"0.5"}]}""",
            "price_change: price_changes[0] lacks asset_id, best_bid or best_ask",
            "old price_change schema");

        static TestCaseData Case(string frame, string reason, string name) =>
            new TestCaseData(frame, reason).SetArgDisplayNames(name);
    }

    [SetUp]
    public async Task StartServer() => _server = await FakePolymarketServer.StartAsync();

    [TearDown]
    public async Task StopAll()
    {
        if (_run is not null)
        {
            await _run.DisposeAsync();
        }

        await _server.DisposeAsync();
    }

    [TestCaseSource(nameof(BadFrames))]
    public async Task ABadFrameIsRejectedWithItsReasonAndTheConnectionGoesOn(string frame, string reason)
    {
        _run = PolymarketFeedRun.Start(_server);
        var connection = await _server.ConnectionAsync(0);

        await connection.SendTextAsync(frame);
        await connection.SendTextAsync(Sentinel);
        await _run.Sink.WaitForSignalsAsync(1);

        AssertOnlyTheSentinelGotThrough(rejections: [reason], messages: 2);
    }

    [Test]
    public async Task InAnArrayOnlyTheBrokenEventIsRejected()
    {
        _run = PolymarketFeedRun.Start(_server);
        var connection = await _server.ConnectionAsync(0);

        await connection.SendTextAsync(Array(LastTradePrice(DipYesToken, "2", T0, DipConditionId), Sentinel));
        await _run.Sink.WaitForSignalsAsync(1);

        AssertOnlyTheSentinelGotThrough(rejections: ["last_trade_price: price is outside [0, 1]"], messages: 1);
    }

    [Test]
    public async Task AnArrayThatIsNotValidJsonIsDroppedWhole()
    {
        _run = PolymarketFeedRun.Start(_server);
        var connection = await _server.ConnectionAsync(0);

        // The first event is fine, but the frame breaks after it: nothing of a broken frame is used.
        await connection.SendTextAsync($"[{Book(DipYesToken, "0.08", "0.09", T0, DipConditionId)},{{\"event_type\":");
        await connection.SendTextAsync(Sentinel);
        await _run.Sink.WaitForSignalsAsync(1);

        AssertOnlyTheSentinelGotThrough(rejections: ["invalid JSON"], messages: 2);
    }

    [Test]
    public async Task AFrameOfSeveralMegabytesIsRejectedItsRestSkippedAndTheConnectionGoesOn()
    {
        _run = PolymarketFeedRun.Start(_server);
        var connection = await _server.ConnectionAsync(0);

        // A valid-looking book, five megabytes of levels long: over the 1 MiB default cap.
        var levels = string.Join(',', Enumerable.Repeat("""{"price":"0.5","size":"1"}""", 200_000));
        await connection.SendTextAsync($$"""{"event_type":"book","asset_id":"{{ReachYesToken}}","bids":[{{levels}}],"asks":[],"timestamp":"{{T0}}"}""");
        await connection.SendTextAsync(Sentinel);
        await _run.Sink.WaitForSignalsAsync(1);

        AssertOnlyTheSentinelGotThrough(
            rejections: ["frame larger than 1048576 bytes (Ingest:Polymarket:MaxFrameBytes); the rest of it is skipped"],
            messages: 2);
    }

    [Test]
    public async Task ABinaryFrameIsRejected()
    {
        _run = PolymarketFeedRun.Start(_server);
        var connection = await _server.ConnectionAsync(0);

        await connection.SendBinaryAsync(Bytes("polymarket_book.json"));
        await connection.SendTextAsync(Sentinel);
        await _run.Sink.WaitForSignalsAsync(1);

        AssertOnlyTheSentinelGotThrough(rejections: ["binary frame (the market channel sends text)"], messages: 2);
    }

    [Test]
    public async Task ATrickleIsRejectedOnceItPassesTheCapNotWhenItEnds()
    {
        _run = PolymarketFeedRun.Start(_server, settings: new Dictionary<string, string?> { ["Ingest:Polymarket:MaxFrameBytes"] = "4096" });
        var connection = await _server.ConnectionAsync(0);
        var kilobyte = new string(' ', 1024);

        await connection.SendFragmentAsync("""{"event_type":"book","pad":" """, endOfMessage: false);
        for (var i = 0; i < 5; i++)
        {
            await connection.SendFragmentAsync(kilobyte, endOfMessage: false);
        }

        // Rejected while the message is still open: an endless trickle must not wait for an end that never comes.
        await _run.Sink.WaitForRejectionsAsync(1);
        var messagesWhileOpen = _run.Sink.Messages;
        for (var i = 0; i < 3; i++)
        {
            await connection.SendFragmentAsync(kilobyte, endOfMessage: false);
        }

        await connection.SendFragmentAsync("\"}", endOfMessage: true);
        await connection.SendTextAsync(Sentinel);
        await _run.Sink.WaitForSignalsAsync(1);

        Assert.That(messagesWhileOpen, Is.EqualTo(1));
        AssertOnlyTheSentinelGotThrough(rejections: ["frame larger than 4096 bytes (Ingest:Polymarket:MaxFrameBytes); the rest of it is skipped"], messages: 2);
    }

    [Test]
    public async Task AMessageThatNeverEndsIsNoMessageAndTheConnectionEndsWhenCancelled()
    {
        // Within the cap, an unfinished message counts as nothing, so LiveSource's silence timeout sees the silence and
        // cancels the connection.
        _run = PolymarketFeedRun.Start(_server);
        var connection = await _server.ConnectionAsync(0);

        await connection.SendFragmentAsync("""{"event_type":"book",""", endOfMessage: false);
        await connection.SendFragmentAsync("""  "asset_id": """, endOfMessage: false);

        Assert.Multiple(() =>
        {
            Assert.That(_run.Sink.Messages, Is.Zero);
            Assert.That(_run.Sink.Signals, Is.Empty);
        });
        await _run.StopAsync();
    }

    private void AssertOnlyTheSentinelGotThrough(string[] rejections, int messages)
    {
        Assert.Multiple(() =>
        {
            Assert.That(_run!.Sink.Rejections, Is.EqualTo(rejections));
            Assert.That(_run.Sink.Signals, Is.EqualTo(new MarketSignal[]
            {
                new MarketProbability(ReachConditionId, ReachQuestion, 0.51, DateTimeOffset.FromUnixTimeMilliseconds(T0 + 1000)),
            }));
            Assert.That(_run.Sink.Messages, Is.EqualTo(messages));
            Assert.That(_run.Run.IsCompleted, Is.False, "a bad frame is no reason to end the connection");
        });
    }
}
