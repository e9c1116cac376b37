using RiskConsole.Core.Risk;
using RiskConsole.Core.Signals;

namespace RiskConsole.Tests.Core.Risk;

public sealed class RiskEngineTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static IEnumerable<TestCaseData> BadSignals()
    {
        var t = Start.AddSeconds(5);
        yield return new TestCaseData(new PriceTick("BTCUSDT", double.NaN, t), SignalVerdict.NotFinite).SetName("price NaN");
        yield return new TestCaseData(new PriceTick("BTCUSDT", double.PositiveInfinity, t), SignalVerdict.NotFinite).SetName("price infinity");
        yield return new TestCaseData(new PriceTick("BTCUSDT", 0, t), SignalVerdict.NonPositivePrice).SetName("price zero");
        yield return new TestCaseData(new PriceTick("BTCUSDT", -5, t), SignalVerdict.NonPositivePrice).SetName("price negative");
        yield return new TestCaseData(new PriceTick(" ", 5, t), SignalVerdict.EmptyKey).SetName("price empty symbol");
        yield return new TestCaseData(new MarketProbability("m", "Q?", 1.2, t), SignalVerdict.ProbabilityOutOfRange).SetName("probability above 1");
        yield return new TestCaseData(new MarketProbability("m", "Q?", -0.01, t), SignalVerdict.ProbabilityOutOfRange).SetName("probability below 0");
        yield return new TestCaseData(new MarketProbability("m", "Q?", double.NaN, t), SignalVerdict.NotFinite).SetName("probability NaN");
        yield return new TestCaseData(new MarketProbability("", "Q?", 0.5, t), SignalVerdict.EmptyKey).SetName("probability empty market");
        yield return new TestCaseData(new SentimentSample("r/x", 0.5, t, "   "), SignalVerdict.EmptyText).SetName("sentiment empty text");
        yield return new TestCaseData(new SentimentSample("r/x", 1.5, t, "text"), SignalVerdict.CompoundOutOfRange).SetName("sentiment compound above 1");
        yield return new TestCaseData(new SentimentSample("r/x", double.NegativeInfinity, t, "text"), SignalVerdict.NotFinite).SetName("sentiment infinity");
        yield return new TestCaseData(new PriceTick("BTCUSDT", 100, Start.AddSeconds(1)), SignalVerdict.OutOfOrder).SetName("price out of order");
        yield return new TestCaseData(new PriceTick("BTCUSDT", 100, Start.AddSeconds(2)), SignalVerdict.Duplicate).SetName("price duplicate");
        yield return new TestCaseData(new MarketProbability("m", "Q?", 0.4, Start.AddSeconds(2)), SignalVerdict.Duplicate).SetName("probability duplicate");
        yield return new TestCaseData(new SentimentSample("r/x", 0.1, Start.AddSeconds(2), "same post"), SignalVerdict.Duplicate).SetName("sentiment duplicate");
        yield return new TestCaseData(new SentimentSample("r/x", 0.1, Start.AddSeconds(1.5), "older"), SignalVerdict.OutOfOrder).SetName("sentiment out of order");
        yield return new TestCaseData(new PriceTick("BTCUSDT", 100, Start.AddDays(30)), SignalVerdict.TooFarAhead).SetName("timestamp far in the future");
    }

    [TestCaseSource(nameof(BadSignals))]
    public void BadInputIsRejectedWithAReasonCountedAndChangesNothing(MarketSignal bad, SignalVerdict expected)
    {
        var engine = Seeded();
        var before = engine.Current;
        var statsBefore = Fingerprint(engine);

        var verdict = engine.Submit(bad);

        Assert.Multiple(() =>
        {
            Assert.That(verdict, Is.EqualTo(expected));
            Assert.That(verdict.Describe(), Is.Not.Empty.And.Not.EqualTo(verdict.ToString()));
            Assert.That(engine.Count(expected), Is.EqualTo(1));
            Assert.That(engine.RejectedSignals, Is.EqualTo(1));
            Assert.That(engine.Current, Is.EqualTo(before));
            Assert.That(Fingerprint(engine), Is.EqualTo(statsBefore));
            Assert.That(engine.GetStatistics(0, 0).RejectedSignals[expected.Name()], Is.EqualTo(1));
        });
    }

    [Test]
    public void SameMillisecondWithADifferentPriceIsAcceptedAsAnotherTrade()
    {
        var engine = new RiskEngine(new RiskModelOptions());
        Assert.Multiple(() =>
        {
            Assert.That(engine.Submit(new PriceTick("BTCUSDT", 100, Start)), Is.EqualTo(SignalVerdict.Accepted));
            Assert.That(engine.Submit(new PriceTick("BTCUSDT", 100.5, Start)), Is.EqualTo(SignalVerdict.Accepted));
            Assert.That(engine.Submit(new PriceTick("BTCUSDT", 100.5, Start)), Is.EqualTo(SignalVerdict.Duplicate));
        });
    }

    [Test]
    public void TooManyKeysAreRefusedSoGarbageCannotGrowMemory()
    {
        var engine = new RiskEngine(new RiskModelOptions { MaxKeysPerSource = 2 });
        engine.Submit(new PriceTick("A", 1, Start));
        engine.Submit(new PriceTick("B", 1, Start));
        Assert.Multiple(() =>
        {
            Assert.That(engine.Submit(new PriceTick("C", 1, Start)), Is.EqualTo(SignalVerdict.TooManyKeys));
            Assert.That(engine.Submit(new PriceTick("A", 2, Start.AddSeconds(1))), Is.EqualTo(SignalVerdict.Accepted));
        });
    }

    [Test]
    public void WeightsAreRenormalizedOverComponentsWithData()
    {
        var engine = new RiskEngine(new RiskModelOptions());
        engine.Submit(new SentimentSample("r/x", -0.2, Start, "meh"));
        engine.AdvanceTo(Start.AddSeconds(1));
        Assert.Multiple(() =>
        {
            Assert.That(engine.Current.Raw, Is.EqualTo(0.6).Within(1e-12), "Reddit alone carries the whole weight");
            Assert.That(engine.Current.Score, Is.EqualTo(60).Within(1e-9), "warm-up maps raw × 100");
            Assert.That(engine.Current.WarmingUp, Is.True);
        });
    }

    [Test]
    public void TwoElevatedComponentsAmplifyTheRawRisk()
    {
        var engine = new RiskEngine(new RiskModelOptions());
        engine.Submit(new MarketProbability("m", "Q?", 0.9, Start)); // e = 0.8
        engine.Submit(new SentimentSample("r/x", -0.4, Start, "bad")); // risk 0.7
        engine.AdvanceTo(Start.AddSeconds(1));
        var baseRaw = (0.3 * 0.8 + 0.3 * 0.7) / 0.6;
        Assert.Multiple(() =>
        {
            Assert.That(engine.Current.ElevatedCount, Is.EqualTo(2));
            Assert.That(engine.Current.Amplification, Is.EqualTo(1.25).Within(1e-12));
            Assert.That(engine.Current.Raw, Is.EqualTo(Math.Min(1, baseRaw * 1.25)).Within(1e-12));
        });
    }

    [Test]
    public void ThreeElevatedComponentsAmplifyMoreAndRawIsCappedAtOne()
    {
        var engine = new RiskEngine(new RiskModelOptions());
        var wild = CryptoVolatilityScorerTests.RandomWalk(30, 0.01, seed: 9);
        for (var i = 0; i < wild.Length; i++)
        {
            engine.Submit(new PriceTick("BTCUSDT", wild[i], Start.AddSeconds(i + 0.5)));
        }

        engine.Submit(new MarketProbability("m", "Q?", 0.95, Start.AddSeconds(30)));
        engine.Submit(new SentimentSample("r/x", -0.9, Start.AddSeconds(30), "rekt"));
        engine.AdvanceTo(Start.AddSeconds(31));
        Assert.Multiple(() =>
        {
            Assert.That(engine.Current.ElevatedCount, Is.EqualTo(3));
            Assert.That(engine.Current.Amplification, Is.EqualTo(1.5).Within(1e-12));
            Assert.That(engine.Current.Raw, Is.EqualTo(1));
        });
    }

    [Test]
    public void ScoreIsEvaluatedOncePerBarFromTheStateBeforeIt()
    {
        var engine = new RiskEngine(new RiskModelOptions());
        engine.Submit(new SentimentSample("r/x", 1.0, Start.AddSeconds(0.1), "great"));
        engine.Submit(new SentimentSample("r/x", -1.0, Start.AddSeconds(0.2), "awful"));
        Assert.That(engine.Current.Evaluations, Is.Zero, "nothing is evaluated inside the first bar");

        // A signal in bar 1 closes bar 0 first; its own value belongs to bar 1's evaluation.
        engine.Submit(new SentimentSample("r/x", -1.0, Start.AddSeconds(1.1), "worse"));
        Assert.Multiple(() =>
        {
            Assert.That(engine.Current.Evaluations, Is.EqualTo(1));
            Assert.That(engine.Current.RedditSentiment, Is.EqualTo(0).Within(1e-12));
            Assert.That(engine.Current.At, Is.EqualTo(Start.AddSeconds(1)));
        });
    }

    [Test]
    public void AdvanceToClosesBarsWithoutSignalsAndNeverGoesBack()
    {
        var engine = new RiskEngine(new RiskModelOptions());
        engine.Submit(new SentimentSample("r/x", 0.3, Start, "ok"));
        engine.AdvanceTo(Start.AddSeconds(5));
        var evaluations = engine.Current.Evaluations;
        engine.AdvanceTo(Start.AddSeconds(2));
        Assert.Multiple(() =>
        {
            Assert.That(evaluations, Is.EqualTo(5));
            Assert.That(engine.Current.Evaluations, Is.EqualTo(5));
            Assert.That(engine.Clock, Is.EqualTo(Start.AddSeconds(5)));
        });
    }

    [Test]
    public void ALongSilenceEvaluatesAtMostOneNormalizerWindowOfBars()
    {
        var engine = new RiskEngine(new RiskModelOptions { NormalizerWindow = 100 });
        engine.Submit(new SentimentSample("r/x", 0.3, Start, "ok"));
        engine.AdvanceTo(Start.AddMinutes(30));
        Assert.Multiple(() =>
        {
            Assert.That(engine.Current.Evaluations, Is.EqualTo(100));
            Assert.That(engine.Current.At, Is.EqualTo(Start.AddMinutes(30)));
        });
    }

    [Test]
    public void SubmitAllocatesNothingInSteadyState()
    {
        var engine = new RiskEngine(new RiskModelOptions());
        string[] symbols = ["BTCUSDT", "ETHUSDT", "SOLUSDT"];
        const int count = 20_000;
        var signals = new MarketSignal[count];
        var random = new Random(4);
        for (var i = 0; i < count; i++)
        {
            var t = Start.AddMilliseconds(i * 37);
            signals[i] = (i % 5) switch
            {
                0 => new MarketProbability($"m{i % 4}", "Q?", random.NextDouble(), t),
                1 => new SentimentSample($"r/{i % 3}", (random.NextDouble() * 2) - 1, t, "post"),
                _ => new PriceTick(symbols[i % 3], 100 + random.NextDouble(), t),
            };
        }

        // Warm-up: every key has been seen, every window has filled.
        for (var i = 0; i < count / 2; i++)
        {
            engine.Submit(signals[i]);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = count / 2; i < count; i++)
        {
            engine.Submit(signals[i]);
        }

        engine.AdvanceTo(Start.AddMilliseconds(count * 37).AddSeconds(10));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        TestContext.Out.WriteLine($"allocated {allocated} bytes for {count / 2} signals and {engine.Current.Evaluations} evaluations");
        Assert.Multiple(() =>
        {
            Assert.That(allocated, Is.Zero);
            Assert.That(engine.AcceptedSignals, Is.EqualTo(count));
        });
    }

    [Test]
    public void InvalidOptionsAreRefusedNamingTheKey()
    {
        var error = Assert.Throws<ArgumentException>(() => new RiskEngine(new RiskModelOptions { CryptoWindow = 0 }));
        Assert.That(error!.Message, Does.Contain("Risk:CryptoWindow"));
    }

    [Test]
    public void ValidateNamesEveryBadKey()
    {
        var errors = new RiskModelOptions
        {
            BarSeconds = 0,
            ReferenceVolatility = double.NaN,
            MinimumSpan = 0,
            CryptoWeight = 0,
            PolymarketWeight = 0,
            RedditWeight = 0,
            WarmupValues = 500,
        }.Validate().ToList();
        Assert.That(errors, Has.Some.Contains("Risk:BarSeconds")
            .And.Some.Contains("Risk:ReferenceVolatility")
            .And.Some.Contains("Risk:MinimumSpan")
            .And.Some.Contains("must not all be 0")
            .And.Some.Contains("Risk:WarmupValues"));
        Assert.That(new RiskModelOptions().Validate(), Is.Empty);
    }

    private static RiskEngine Seeded()
    {
        var engine = new RiskEngine(new RiskModelOptions());
        engine.Submit(new PriceTick("BTCUSDT", 100, Start.AddSeconds(2)));
        engine.Submit(new MarketProbability("m", "Q?", 0.4, Start.AddSeconds(2)));
        engine.Submit(new SentimentSample("r/x", 0.1, Start.AddSeconds(2), "same post"));
        return engine;
    }

    private static string Fingerprint(RiskEngine engine)
    {
        var s = engine.GetStatistics(0, 0);
        return $"{s.CryptoDataPoints}/{s.PolymarketDataPoints}/{s.RedditDataPoints}/{engine.Crypto.SymbolCount}/{engine.Polymarket.MarketCount}/{engine.Clock}/{engine.AcceptedSignals}";
    }
}
