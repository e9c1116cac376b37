using Microsoft.Extensions.Time.Testing;
using RiskConsole.Core.Interrupts;
using RiskConsole.Core.Risk;
using RiskConsole.Core.Signals;

namespace RiskConsole.Tests.Core.Risk;

/// <summary>
/// One test per defect the engine review reproduced (issue "Engine hardening"), each written to fail on the engine as
/// it was. The live server advances the engine to its clock before every signal and on every publish tick; these
/// tests do the same with a virtual clock.
/// </summary>
public sealed class ReviewDefectTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public void ASubnormalPriceFollowedByARealOneDoesNotBreakTheEngine()
    {
        var engine = new RiskEngine(new RiskModelOptions());
        var live = new LiveClock(engine, Start);
        Assert.Multiple(() =>
        {
            Assert.That(live.Submit(new PriceTick("BTCUSDT", 4.9e-324, Start)), Is.EqualTo(SignalVerdict.ImplausiblePrice));
            Assert.That(live.Submit(new PriceTick("BTCUSDT", 60_000, Start.AddSeconds(0.5))), Is.EqualTo(SignalVerdict.Accepted));
        });

        // Scoring goes on for every source afterwards.
        for (var i = 1; i < 600; i++)
        {
            Assert.That(live.Submit(new PriceTick("BTCUSDT", 60_000 + (i % 7), Start.AddSeconds(i))), Is.EqualTo(SignalVerdict.Accepted));
            Assert.That(live.Submit(new SentimentSample("r/x", 0.1, Start.AddSeconds(i), $"post {i}")), Is.EqualTo(SignalVerdict.Accepted));
        }

        live.AdvanceTo(Start.AddSeconds(601));
        Assert.Multiple(() =>
        {
            Assert.That(engine.Current.Evaluations, Is.GreaterThan(590));
            Assert.That(double.IsFinite(engine.Current.Crypto), Is.True, "the crypto component is back after its minimum history");
            Assert.That(engine.Current.Score, Is.InRange(0.0, 100.0));
        });
    }

    [Test]
    public void AnImplausibleJumpIsRejectedButARealRepricingIsBelievedAfterAPause()
    {
        var engine = new RiskEngine(RiskEngineTests.Instant());
        var live = new LiveClock(engine, Start);
        live.Submit(new PriceTick("XUSDT", 100, Start));
        Assert.That(live.Submit(new PriceTick("XUSDT", 1_000, Start.AddSeconds(1))), Is.EqualTo(SignalVerdict.PriceJump));
        for (var s = 2; s < 60; s++)
        {
            Assert.That(live.Submit(new PriceTick("XUSDT", 1_000, Start.AddSeconds(s))), Is.EqualTo(SignalVerdict.PriceJump), $"at {s} s");
        }

        Assert.Multiple(() =>
        {
            Assert.That(live.Submit(new PriceTick("XUSDT", 1_000, Start.AddSeconds(60))), Is.EqualTo(SignalVerdict.Accepted), "60 s after the last accepted price");
            Assert.That(engine.Crypto.Rebases, Is.EqualTo(1));
            Assert.That(live.Submit(new PriceTick("XUSDT", 1_001, Start.AddSeconds(61))), Is.EqualTo(SignalVerdict.Accepted));
        });
    }

    [Test]
    public void ASwitchBetweenMockAndLivePricesRestartsTheSymbolInsteadOfScoringAMoveThatNeverHappened()
    {
        var engine = new RiskEngine(RiskEngineTests.Instant());
        var live = new LiveClock(engine, Start);
        for (var s = 0; s < 120; s++)
        {
            live.Submit(new PriceTick("BTCUSDT", 89_000 + (s % 3), Start.AddSeconds(s), IsMock: true));
        }

        live.AdvanceTo(Start.AddSeconds(120));
        var calm = engine.Current.Crypto;
        var verdicts = new List<SignalVerdict>();
        for (var s = 120; s < 240; s++)
        {
            verdicts.Add(live.Submit(new PriceTick("BTCUSDT", 60_000 + (s % 3), Start.AddSeconds(s), IsMock: false)));
        }

        live.AdvanceTo(Start.AddSeconds(240));

        Assert.Multiple(() =>
        {
            Assert.That(verdicts, Is.All.EqualTo(SignalVerdict.Accepted), "live prices far from the mock ones are not a jump to refuse");
            Assert.That(engine.Crypto.Rebases, Is.EqualTo(1));
            Assert.That(engine.Current.Crypto, Is.NaN.Or.LessThan(0.1), $"the −33 % between the two feeds is no market move (calm before: {calm})");
            Assert.That(live.Submit(new PriceTick("BTCUSDT", 89_000, Start.AddSeconds(241), IsMock: false)), Is.EqualTo(SignalVerdict.PriceJump), "within one feed the jump bound still holds");
        });
    }

    [Test]
    public void AMarketWithoutAQuestionIsRejectedNotAcceptedHalfway()
    {
        var engine = new RiskEngine(new RiskModelOptions());
        Assert.Multiple(() =>
        {
            Assert.That(engine.Submit(new MarketProbability("m1", null!, 0.5, Start)), Is.EqualTo(SignalVerdict.EmptyText));
            Assert.That(engine.Polymarket.MarketCount, Is.Zero);
        });
    }

    [Test]
    public void AServerStartInACalmMarketFiresNoInterrupt()
    {
        // Binance from 3 s, one neutral post at 30 s, one market at p = 0.08 at 40 s: two interrupts before.
        var (engine, policy, live) = Console();
        var interrupts = 0;
        for (var ms = 0; ms <= 15 * 60 * 1_000; ms += 250)
        {
            var t = Start.AddMilliseconds(ms);
            if (ms >= 3_000)
            {
                live.Submit(new PriceTick("BTCUSDT", 60_000 * (1 + (0.00005 * Math.Sin(ms / 7_000.0))), t));
            }

            if (ms == 30_000)
            {
                live.Submit(new SentimentSample("r/Bitcoin", 0, t, "daily discussion"));
            }

            if (ms == 40_000)
            {
                live.Submit(new MarketProbability("btc-100k", "BTC above $100k in March?", 0.08, t));
            }

            interrupts += live.Tick(policy);
        }

        Assert.Multiple(() =>
        {
            Assert.That(interrupts, Is.Zero);
            Assert.That(engine.Current.Score, Is.LessThan(30));
        });
    }

    [Test]
    public void SilenceIsNotScoredAndOneNeutralPostAfterItIsNotAnAlarm()
    {
        var (engine, policy, live) = Console();
        for (var s = 0; s <= 20; s++)
        {
            live.AdvanceTo(Start.AddSeconds(s));
        }

        Assert.That(engine.Current.Evaluations, Is.Zero, "bars with no data are not evaluated");
        live.Submit(new SentimentSample("r/Bitcoin", 0, Start.AddSeconds(20.5), "gm"));
        var interrupts = 0;
        for (var s = 21; s <= 120; s++)
        {
            live.AdvanceTo(Start.AddSeconds(s));
            interrupts += live.Tick(policy);
        }

        Assert.Multiple(() =>
        {
            Assert.That(engine.Normalizer.Count, Is.EqualTo(engine.Current.Evaluations), "warm-up counts only bars with data");
            Assert.That(engine.Current.Score, Is.LessThan(75));
            Assert.That(interrupts, Is.Zero);
        });
    }

    [Test]
    public void StaleMarketAndRedditDataStopsDrivingTheScore()
    {
        // Binance down; one market moves 0.50 → 0.80 and one post at −0.6, then six hours of silence: 360 interrupts before.
        var (engine, policy, live) = Console();
        live.Submit(new MarketProbability("m", "Fed cut?", 0.5, Start));
        live.Submit(new MarketProbability("m", "Fed cut?", 0.8, Start.AddSeconds(5)));
        live.Submit(new SentimentSample("r/Bitcoin", -0.6, Start.AddSeconds(6), "this is bad"));
        var interrupts = 0;
        for (var s = 7; s <= 6 * 3600; s++)
        {
            live.AdvanceTo(Start.AddSeconds(s));
            interrupts += live.Tick(policy);
        }

        var components = engine.Current.ToComponents();
        TestContext.Out.WriteLine($"{interrupts} interrupts; {engine.Current.Evaluations} evaluations");
        Assert.Multiple(() =>
        {
            Assert.That(interrupts, Is.LessThanOrEqualTo(4), "news once, then backoff, then nothing once the data is stale");
            Assert.That(components.Polymarket, Is.Null);
            Assert.That(components.Reddit, Is.Null);
            Assert.That(components.RedditSentiment, Is.Null, "no data is not neutral");
            Assert.That(components.PolymarketStale && components.RedditStale, Is.True);
            Assert.That(engine.Current.Evaluations, Is.LessThanOrEqualTo((long)new RiskModelOptions().RedditMaxAgeSeconds + 10));
        });
    }

    [Test]
    public void ATickFromTheFutureCostsOnlyThatTick()
    {
        var engine = new RiskEngine(new RiskModelOptions());
        var live = new LiveClock(engine, Start);
        live.Submit(new PriceTick("BTCUSDT", 60_000, Start));
        Assert.That(live.Submit(new PriceTick("BTCUSDT", 60_010, Start.AddMinutes(59)), arrival: Start.AddSeconds(0.5)), Is.EqualTo(SignalVerdict.TooFarAhead));
        var rejected = 0;
        for (var s = 1; s < 50 * 60; s++)
        {
            rejected += live.Submit(new PriceTick("BTCUSDT", 60_000 + (s % 5), Start.AddSeconds(s))) == SignalVerdict.Accepted ? 0 : 1;
        }

        live.AdvanceTo(Start.AddMinutes(50));
        Assert.Multiple(() =>
        {
            Assert.That(rejected, Is.Zero, "50 minutes of normal ticks after the bad one");
            // Crypto counts once it has five one-minute returns (six minutes of history); every bar after that is scored.
            Assert.That(engine.Current.Evaluations, Is.EqualTo((50 * 60) - (6 * 60)).Within(2));
        });
    }

    [Test]
    public void AGapInRecordedHourlyCandlesIsNotAnError()
    {
        // Replay of hourly candles with one missing: 39 of the 49 later ticks were rejected before. Nothing advances
        // the engine here: recorded data is its own clock.
        var engine = new RiskEngine(new RiskModelOptions { BarSeconds = 3600, CryptoReturnSeconds = 3600, CryptoMaxAgeSeconds = 7200, PolymarketMaxAgeSeconds = 7200, RedditMaxAgeSeconds = 7200 });
        var verdicts = new List<SignalVerdict>();
        for (var h = 0; h < 100; h++)
        {
            if (h == 50)
            {
                continue;
            }

            verdicts.Add(engine.Submit(new PriceTick("BTCUSDT", 60_000 * (1 + (0.01 * Math.Sin(h))), Start.AddHours(h).AddMinutes(59.99))));
        }

        Assert.Multiple(() =>
        {
            Assert.That(verdicts, Is.All.EqualTo(SignalVerdict.Accepted));
            Assert.That(engine.Current.Evaluations, Is.GreaterThan(90));
        });
    }

    [Test]
    public void MaxClockJumpIsGoneAndTheToleranceIsValidated()
    {
        var errors = new RiskModelOptions { FutureToleranceSeconds = -1, LatenessSeconds = double.NaN, CryptoReturnSeconds = 1.5 }.Validate().ToList();
        Assert.That(errors, Has.Some.Contains("Risk:FutureToleranceSeconds")
            .And.Some.Contains("Risk:LatenessSeconds")
            .And.Some.Contains("Risk:CryptoReturnSeconds must be a whole multiple of Risk:BarSeconds"));
        Assert.That(new RiskModelOptions { BarSeconds = 60, CryptoMaxAgeSeconds = 30 }.Validate(), Has.Some.Contains("Risk:CryptoMaxAgeSeconds must be at least Risk:BarSeconds"));
    }

    [Test]
    public void IngestLatencyDoesNotChangeAnyScore([Values(0, 300, 1_900)] int latencyMs)
    {
        // The same signals, arriving on time or 300 ms late (within the 2 s lateness allowance): the same bars, the same scores.
        var onTime = Run(0);
        var late = Run(latencyMs);
        Assert.Multiple(() =>
        {
            Assert.That(onTime, Has.Count.GreaterThan(100));
            Assert.That(late, Is.EqualTo(onTime));
        });

        static List<RiskReading> Run(int latencyMs)
        {
            var engine = new RiskEngine(new RiskModelOptions { CryptoReturnSeconds = 5, MinimumReturns = 3 });
            var readings = new List<RiskReading>();
            engine.ReadingChanged += readings.Add;
            var random = new Random(11);
            var price = 60_000.0;
            for (var ms = 0; ms < 300_000; ms += 50)
            {
                var t = Start.AddMilliseconds(ms);
                price *= Math.Exp((random.NextDouble() - 0.5) * 0.002);
                engine.AdvanceTo(t.AddMilliseconds(latencyMs));
                engine.Submit(new PriceTick("BTCUSDT", price, t));
                if (ms % 2_000 == 0)
                {
                    engine.Submit(new SentimentSample("r/x", (random.NextDouble() * 2) - 1, t, $"post {ms}"));
                    engine.Submit(new MarketProbability("m", "Q?", 0.3 + (random.NextDouble() * 0.4), t));
                }

                if (ms % 100 == 0)
                {
                    engine.AdvanceTo(t.AddMilliseconds(latencyMs)); // the publish tick
                }
            }

            engine.AdvanceTo(Start.AddSeconds(400));
            return readings;
        }
    }

    [Test]
    public void AnOrdinaryOneSecondMoveInAFlatMarketStaysBelowThirty([Values(0.001, 0.002)] double move)
    {
        var (engine, _, live) = Console();
        var maxScore = 0.0;
        var price = 60_000.0;
        for (var s = 0; s < 40 * 60; s++)
        {
            if (s == 30 * 60)
            {
                price *= 1 + move;
            }

            live.Submit(new PriceTick("BTCUSDT", price, Start.AddSeconds(s + 0.5)));
            live.AdvanceTo(Start.AddSeconds(s + 1));
            if (!engine.Current.WarmingUp)
            {
                maxScore = Math.Max(maxScore, engine.Current.Score);
            }
        }

        TestContext.Out.WriteLine($"move {move:P1}: max score {maxScore:F1}, crypto {engine.Current.Crypto:F3}");
        Assert.That(maxScore, Is.LessThan(30));
    }

    private static (RiskEngine Engine, InterruptPolicy Policy, LiveClock Live) Console()
    {
        var engine = new RiskEngine(new RiskModelOptions());
        var time = new FakeTimeProvider(Start);
        var live = new LiveClock(engine, Start, time);
        return (engine, new InterruptPolicy(new InterruptPolicyOptions(), time), live);
    }

    /// <summary>The server's way of driving the engine: advance to now before each signal and on each tick.</summary>
    private sealed class LiveClock(RiskEngine engine, DateTimeOffset start, FakeTimeProvider? time = null)
    {
        private long _judged;

        public DateTimeOffset Now { get; private set; } = start;

        /// <summary>Delivers a signal that arrives at <paramref name="arrival"/> (default: the moment it is stamped).</summary>
        public SignalVerdict Submit(MarketSignal signal, DateTimeOffset? arrival = null)
        {
            AdvanceTo(arrival ?? signal.Timestamp);
            return engine.Submit(signal);
        }

        public void AdvanceTo(DateTimeOffset now)
        {
            if (now > Now)
            {
                time?.Advance(now - Now);
                Now = now;
            }

            engine.AdvanceTo(Now);
        }

        /// <summary>Judges a new evaluation once, as the publish tick does; returns 1 when the policy fires.</summary>
        public int Tick(InterruptPolicy policy)
        {
            var reading = engine.Current;
            if (reading.Evaluations == _judged)
            {
                return 0;
            }

            _judged = reading.Evaluations;
            return policy.Evaluate(reading.Score, reading.WarmingUp).Fire ? 1 : 0;
        }
    }
}
