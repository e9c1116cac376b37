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
        yield return new TestCaseData(new PriceTick("BTCUSDT", 100, Start.AddSeconds(8.5)), SignalVerdict.TooFarAhead).SetName("timestamp beyond the future tolerance");
        yield return new TestCaseData(new PriceTick("BTCUSDT", 4.9e-324, t), SignalVerdict.ImplausiblePrice).SetName("price subnormal");
        yield return new TestCaseData(new PriceTick("BTCUSDT", 1e300, t), SignalVerdict.ImplausiblePrice).SetName("price 1e300");
        yield return new TestCaseData(new PriceTick("BTCUSDT", 130, t), SignalVerdict.PriceJump).SetName("price jump of 30 % one second later");
        yield return new TestCaseData(new PriceTick(null!, 100, t), SignalVerdict.EmptyKey).SetName("price null symbol");
        yield return new TestCaseData(new PriceTick(new string('S', 201), 100, t), SignalVerdict.FieldTooLong).SetName("price symbol too long");
        yield return new TestCaseData(new MarketProbability("m", null!, 0.5, t), SignalVerdict.EmptyText).SetName("probability null question");
        yield return new TestCaseData(new MarketProbability(null!, "Q?", 0.5, t), SignalVerdict.EmptyKey).SetName("probability null market");
        yield return new TestCaseData(new MarketProbability("m", new string('q', 2001), 0.5, t), SignalVerdict.FieldTooLong).SetName("probability question too long");
        yield return new TestCaseData(new SentimentSample("r/x", 0.5, t, null!), SignalVerdict.EmptyText).SetName("sentiment null text");
        yield return new TestCaseData(new SentimentSample(null!, 0.5, t, "text"), SignalVerdict.EmptyKey).SetName("sentiment null source");
        yield return new TestCaseData(new SentimentSample("r/x", 0.5, t, new string('x', 10_000_000)), SignalVerdict.FieldTooLong).SetName("sentiment 10 MB text");
        yield return new TestCaseData(null, SignalVerdict.UnknownSignal).SetName("null signal");
        yield return new TestCaseData(new PriceTick("BTCUSDT", 100, Start.AddSeconds(-5)), SignalVerdict.Late).SetName("stamped in a closed bar");
    }

    [TestCaseSource(nameof(BadSignals))]
    public void BadInputIsRejectedWithAReasonCountedAndChangesNothing(MarketSignal? bad, SignalVerdict expected)
    {
        var engine = Seeded();
        var before = engine.Current;
        var statsBefore = Fingerprint(engine);

        var verdict = engine.Submit(bad!);

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
        var engine = new RiskEngine(Instant());
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
        var engine = new RiskEngine(Instant(o => o.MaxKeysPerSource = 2));
        engine.Submit(new PriceTick("A", 1, Start));
        engine.Submit(new PriceTick("B", 1, Start));
        Assert.Multiple(() =>
        {
            Assert.That(engine.Submit(new PriceTick("C", 1, Start)), Is.EqualTo(SignalVerdict.TooManyKeys));
            Assert.That(engine.Submit(new PriceTick("A", 1.01, Start.AddSeconds(1))), Is.EqualTo(SignalVerdict.Accepted));
        });
    }

    [Test]
    public void WeightsAreRenormalizedOverComponentsWithData()
    {
        var engine = new RiskEngine(Instant());
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
        var engine = new RiskEngine(Instant());
        // A market that moves 0.5 → 0.9 within its window: extremity beyond baseline ≈ 0.8, shock 1 → component 1.
        engine.Submit(new MarketProbability("m", "Q?", 0.5, Start));
        engine.Submit(new MarketProbability("m", "Q?", 0.9, Start.AddSeconds(0.5)));
        engine.Submit(new SentimentSample("r/x", -0.4, Start, "bad")); // risk 0.7
        engine.AdvanceTo(Start.AddSeconds(1));
        var polymarket = engine.Current.Polymarket;
        var elevations = RiskEngine.Elevation(polymarket, 0.6, 0.2) + RiskEngine.Elevation(0.7, 0.6, 0.2);
        var largest = Math.Max(RiskEngine.Elevation(polymarket, 0.6, 0.2), RiskEngine.Elevation(0.7, 0.6, 0.2));
        var amplification = 1 + (0.25 * (elevations - largest));
        var baseRaw = (0.3 * polymarket + 0.3 * 0.7) / 0.6;
        Assert.Multiple(() =>
        {
            Assert.That(polymarket, Is.EqualTo(1));
            Assert.That(engine.Current.ElevatedCount, Is.EqualTo(2));
            Assert.That(amplification, Is.EqualTo(1.1875).Within(1e-12), "Reddit at 0.7 is three quarters up the ramp");
            Assert.That(engine.Current.Amplification, Is.EqualTo(amplification).Within(1e-12));
            Assert.That(engine.Current.Raw, Is.EqualTo(Math.Min(1, baseRaw * amplification)).Within(1e-12));
        });
    }

    [Test]
    public void ThreeElevatedComponentsAmplifyMoreAndRawIsCappedAtOne()
    {
        var engine = new RiskEngine(Instant(o => o.CryptoReturnSeconds = 1));
        var wild = CryptoVolatilityScorerTests.RandomWalk(30, 0.01, seed: 9);
        for (var i = 0; i < wild.Length; i++)
        {
            engine.Submit(new PriceTick("BTCUSDT", wild[i], Start.AddSeconds(i + 0.5)));
        }

        engine.Submit(new MarketProbability("m", "Q?", 0.5, Start.AddSeconds(29)));
        engine.Submit(new MarketProbability("m", "Q?", 0.95, Start.AddSeconds(30)));
        engine.Submit(new SentimentSample("r/x", -0.9, Start.AddSeconds(30), "rekt"));
        engine.AdvanceTo(Start.AddSeconds(31));
        Assert.Multiple(() =>
        {
            Assert.That(engine.Current.ElevatedCount, Is.EqualTo(3));
            Assert.That(engine.Current.Amplification, Is.EqualTo(1.5).Within(1e-12), "three fully elevated components: 1 + 0.25 × 2");
            Assert.That(engine.Current.Raw, Is.EqualTo(1));
        });
    }

    [Test]
    public void ScoreIsEvaluatedOncePerBarFromTheStateBeforeIt()
    {
        var engine = new RiskEngine(Instant());
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
        var engine = new RiskEngine(Instant());
        engine.Submit(new SentimentSample("r/x", 0.3, Start, "ok"));
        engine.AdvanceTo(Start.AddSeconds(5));
        var evaluations = engine.Current.Evaluations;
        engine.AdvanceTo(Start.AddSeconds(2));
        Assert.Multiple(() =>
        {
            Assert.That(evaluations, Is.EqualTo(5), "the post is fresh for every one of the five bars");
            Assert.That(engine.Current.Evaluations, Is.EqualTo(5));
            Assert.That(engine.Clock, Is.EqualTo(Start.AddSeconds(5)));
        });
    }

    [Test]
    public void ALongSilenceEvaluatesOnlyTheBarsWithFreshDataAndCostsNothingAfterThat()
    {
        var engine = new RiskEngine(Instant(o => o.RedditMaxAgeSeconds = 120));
        engine.Submit(new SentimentSample("r/x", 0.3, Start, "ok"));
        engine.AdvanceTo(Start.AddDays(365));
        Assert.Multiple(() =>
        {
            Assert.That(engine.Current.Evaluations, Is.EqualTo(120), "one evaluation per bar while the post is fresh, none after");
            Assert.That(engine.Current.At, Is.EqualTo(Start.AddSeconds(121)), "the reading says when the post went stale");
            Assert.That(engine.Current.RedditStale, Is.True);
            Assert.That(engine.Current.ToComponents().Reddit, Is.Null);
            Assert.That(engine.Current.ToComponents().RedditSentiment, Is.Null, "no data is not neutral");
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

    /// <summary>Defaults without the lateness allowance, for tests about something else: a bar closes as soon as it ends.</summary>
    internal static RiskModelOptions Instant(Action<RiskModelOptions>? configure = null)
    {
        var options = new RiskModelOptions { LatenessSeconds = 0 };
        configure?.Invoke(options);
        return options;
    }

    private static RiskEngine Seeded()
    {
        // Advanced to +3 s: bars up to +1 s are closed, and anything beyond +8 s is too far ahead.
        var engine = new RiskEngine(new RiskModelOptions());
        engine.AdvanceTo(Start.AddSeconds(3));
        engine.Submit(new PriceTick("BTCUSDT", 100, Start.AddSeconds(2)));
        engine.Submit(new MarketProbability("m", "Q?", 0.4, Start.AddSeconds(2)));
        engine.Submit(new SentimentSample("r/x", 0.1, Start.AddSeconds(2), "same post"));
        return engine;
    }

    private static string Fingerprint(RiskEngine engine)
    {
        var s = engine.GetStatistics(0, 0);
        return $"{s.CryptoDataPoints}/{s.PolymarketDataPoints}/{s.RedditDataPoints}/{engine.Crypto.SymbolCount}/{engine.Polymarket.MarketCount}/{engine.Clock}/{engine.AcceptedSignals}/{engine.WaitingSignals}/{engine.ClosedThrough}";
    }
}
