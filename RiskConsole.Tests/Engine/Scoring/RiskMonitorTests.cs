using Microsoft.Extensions.Time.Testing;
using RiskConsole.Core.Interrupts;
using RiskConsole.Core.Risk;
using RiskConsole.Core.Signals;
using RiskConsole.Engine;
using RiskConsole.Engine.Interrupts;
using RiskConsole.Engine.Publishing;
using RiskConsole.Engine.Scoring;

namespace RiskConsole.Tests.Engine.Scoring;

public sealed class RiskMonitorTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private FakeTimeProvider _time = null!;
    private RiskMonitor _monitor = null!;

    [SetUp]
    public void SetUp()
    {
        _time = new FakeTimeProvider(Start);
        _monitor = new RiskMonitor(new RiskEngine(RiskConsole.Tests.Core.Risk.RiskEngineTests.Instant()), new InterruptPolicy(new InterruptPolicyOptions(), _time), _time);
    }

    [Test]
    public void DataIsCoalescedToTheNewestPerSourceAndKey()
    {
        for (var i = 0; i < 100; i++)
        {
            _monitor.Ingest(new PriceTick("BTCUSDT", 100 + i, Start.AddMilliseconds(i)));
            _monitor.Ingest(new PriceTick("ETHUSDT", 10 + i, Start.AddMilliseconds(i)));
        }

        _monitor.Ingest(new MarketProbability("m", "Q?", 0.4, Start));
        var data = _monitor.TakeUnsentData();
        Assert.Multiple(() =>
        {
            Assert.That(data, Has.Count.EqualTo(3), "ingest rate does not set the outbound rate");
            Assert.That(data.Select(d => d.Data).OfType<PriceTick>().Single(t => t.Symbol == "BTCUSDT").Price, Is.EqualTo(199));
            Assert.That(_monitor.TakeUnsentData(), Is.Empty, "taken once");
        });
    }

    [Test]
    public void AMarketWithoutAQuestionIsRejectedAndTheMonitorGoesOn()
    {
        // This signal once made Ingest throw (a null dictionary key), which stopped the router's read loop for good.
        Assert.That(_monitor.Ingest(new MarketProbability("m1", null!, 0.5, Start)), Is.EqualTo(SignalVerdict.EmptyText));
        Assert.That(_monitor.Ingest(new MarketProbability("m1", "Will it?", 0.5, Start)), Is.EqualTo(SignalVerdict.Accepted));
        Assert.That(_monitor.TakeUnsentData(), Has.Count.EqualTo(1));
    }

    [Test]
    public void ASignalIsJudgedAgainstTheServerClockNotTheLastTick()
    {
        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.Multiple(() =>
        {
            Assert.That(_monitor.Ingest(new PriceTick("BTCUSDT", 100, _time.GetUtcNow().AddMinutes(59))), Is.EqualTo(SignalVerdict.TooFarAhead));
            Assert.That(_monitor.Ingest(new PriceTick("BTCUSDT", 100, _time.GetUtcNow())), Is.EqualTo(SignalVerdict.Accepted));
            Assert.That(_monitor.Ingest(new PriceTick("ETHUSDT", 100, Start)), Is.EqualTo(SignalVerdict.Late), "ten minutes old: its bar closed long ago");
        });
    }

    [Test]
    public void RejectedSignalsAreNeverPublished()
    {
        _monitor.Ingest(new PriceTick("BTCUSDT", -1, Start));
        Assert.That(_monitor.TakeUnsentData(), Is.Empty);
    }

    [Test]
    public void ScoresArePublishedOncePerChangeWithSeqRisingByOne()
    {
        Assert.That(_monitor.Latest.Seq, Is.Zero, "a score exists before the first evaluation, for new connections");
        _monitor.Ingest(new SentimentSample("r/x", -0.5, Start, "meh"));
        Assert.That(_monitor.Evaluate().Score, Is.Null, "nothing new inside the first bar");

        _time.Advance(TimeSpan.FromSeconds(1));
        var first = _monitor.Evaluate().Score;
        Assert.That(_monitor.Evaluate().Score, Is.Null, "the same evaluation is not published twice");

        _monitor.Ingest(new SentimentSample("r/x", 0.9, Start.AddSeconds(1.5), "great"));
        _time.Advance(TimeSpan.FromSeconds(1));
        var second = _monitor.Evaluate().Score;
        Assert.Multiple(() =>
        {
            Assert.That(first, Is.Not.Null);
            Assert.That(second, Is.Not.Null);
            Assert.That(first!.Seq, Is.EqualTo(1));
            Assert.That(second!.Seq, Is.EqualTo(2));
            Assert.That(_monitor.Latest, Is.SameAs(second));
        });
    }

    [Test]
    public void AnUnchangedScoreIsNotPublishedAgain()
    {
        _monitor.Ingest(new SentimentSample("r/x", 0.2, Start, "ok"));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.That(_monitor.Evaluate().Score, Is.Not.Null);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.That(_monitor.Evaluate().Score, Is.Null, "same inputs, same score and components");
    }

    [Test]
    public void RoastContextCarriesLatestPricesMarketsAndPosts()
    {
        _monitor.Ingest(new PriceTick("BTCUSDT", 91_000, Start));
        _monitor.Ingest(new MarketProbability("fed", "Will the Fed cut?", 0.3, Start));
        for (var i = 0; i < 8; i++)
        {
            _monitor.Ingest(new SentimentSample("r/x", -0.1 * i, Start.AddSeconds(i * 0.01), $"post {i}"));
        }

        var context = _monitor.RoastContext(forced: true);
        Assert.Multiple(() =>
        {
            Assert.That(context.Prices["BTCUSDT"], Is.EqualTo(91_000));
            Assert.That(context.Markets["Will the Fed cut?"], Is.EqualTo(0.3));
            Assert.That(context.RecentPosts.Select(p => p.Text), Is.EqualTo(new[] { "post 3", "post 4", "post 5", "post 6", "post 7" }));
            Assert.That(context.Forced, Is.True);
        });
    }
}
