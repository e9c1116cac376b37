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

    [Test]
    public void IngestAllocatesNothingInSteadyState()
    {
        // What the router's read loop calls per signal, with a journal-like subscriber: the lock, the engine, the
        // unsent-data map keyed by (source, key), the latest prices and markets, the recent posts. All stamped in the
        // open bar (the clock stands the lateness after them) with a new value per key, so every one is accepted and
        // applied at once, and no bar closes (RiskEngineTests covers closing bars without allocation). Stamped at the
        // clock's own instant they would wait for their bar in a queue that grows, which is no steady state.
        var options = new RiskModelOptions();
        _time.Advance(TimeSpan.FromSeconds(options.LatenessSeconds));
        var engine = new RiskEngine(options);
        var monitor = new RiskMonitor(engine, new InterruptPolicy(new InterruptPolicyOptions(), _time), _time);
        var accepted = 0;
        monitor.SignalAccepted += _ => accepted++;
        string[] symbols = ["BTCUSDT", "ETHUSDT", "SOLUSDT"];
        var signals = new MarketSignal[9 * 340];
        for (var i = 0; i < signals.Length; i++)
        {
            // Kind (i / 3) % 3, key i % 3, value i % 7: a key's next signal is 9 on (or across the end: 9 - 3060), never a multiple
            // of 7 away, so it always has a new value and is no duplicate.
            signals[i] = (i / 3 % 3) switch
            {
                0 => new PriceTick(symbols[i % 3], 84_000 + (i % 7), Start),
                1 => new MarketProbability($"m{i % 3}", "Will it rain?", 0.6 + ((i % 7) * 0.01), Start),
                _ => new SentimentSample($"r/{i % 3}", -0.5 + ((i % 7) * 0.1), Start, "post"),
            };
        }

        IngestAll(monitor, signals, passes: 4);
        accepted = 0;

        var before = GC.GetAllocatedBytesForCurrentThread();
        IngestAll(monitor, signals, passes: 20);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Multiple(() =>
        {
            Assert.That(allocated, Is.Zero, $"bytes allocated by {20 * signals.Length} ingests");
            Assert.That(accepted, Is.EqualTo(20 * signals.Length), "every signal was accepted, so the whole path ran");
            Assert.That(engine.WaitingSignals, Is.Zero, "and applied at once");
        });
    }

    /// <summary>Fully optimized from the first call: on-stack replacement of a tier-0 loop allocates on this thread (the runtime's bytes, not Ingest's).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void IngestAll(RiskMonitor monitor, MarketSignal[] signals, int passes)
    {
        for (var pass = 0; pass < passes; pass++)
        {
            foreach (var signal in signals)
            {
                monitor.Ingest(signal);
            }
        }
    }
}
