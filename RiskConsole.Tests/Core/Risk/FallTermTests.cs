using RiskConsole.Core.Risk;
using RiskConsole.Core.Signals;

namespace RiskConsole.Tests.Core.Risk;

/// <summary>
/// The fall term: a symbol's drawdown below its highest close of the last 24 hours, on a ramp from 1 % (0) to 6 % (1),
/// is a floor under the score (score ≥ 100 × fall), outside the weighted mean and the normalizer.
/// </summary>
public sealed class FallTermTests
{
    private static readonly DateTimeOffset Start = new(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);

    [Test]
    public void TheRampIsBoundedMonotoneAndCrossesTheThresholdJustBeforeAFivePercentFall()
    {
        var options = new RiskModelOptions();
        var previous = -1.0;
        for (var drawdown = 0.0; drawdown <= 1; drawdown += 0.0005)
        {
            var fall = CryptoVolatilityScorer.DrawdownToRisk(drawdown, options.DrawdownStart, options.DrawdownFull);
            Assert.That(fall, Is.InRange(0.0, 1.0));
            Assert.That(fall, Is.GreaterThanOrEqualTo(previous));
            previous = fall;
        }

        double Fall(double drawdown) => CryptoVolatilityScorer.DrawdownToRisk(drawdown, options.DrawdownStart, options.DrawdownFull);
        Assert.Multiple(() =>
        {
            Assert.That(Fall(0.01), Is.Zero, "an ordinary dip is nothing");
            Assert.That(Fall(0.0475), Is.EqualTo(0.75).Within(1e-12), "the default threshold at −4.75 %");
            Assert.That(Fall(0.05), Is.EqualTo(0.8).Within(1e-12), "the issue's onset of a fall scores 80");
            Assert.That(Fall(0.06), Is.EqualTo(1));
            Assert.That(Fall(double.NaN), Is.Zero, "no price, no fall");
        });
    }

    [Test]
    public void AFallFromTheHighFloorsTheScoreWithExactFigures()
    {
        // Minute bars: 100 for twenty minutes (past the warm-up), then 96 (−4 %) and 95 (−5 %).
        var engine = new RiskEngine(Minutes());
        var minute = 0;
        foreach (var price in Enumerable.Repeat(100.0, 20).Concat([96.0, 95.0]))
        {
            Feed(engine, minute++, price);
            if (price == 96)
            {
                Assert.That(engine.Current.FallRisk, Is.EqualTo(0.6).Within(1e-12), "(4 % − 1 %) / (6 % − 1 %)");
                Assert.That(engine.Current.Score, Is.GreaterThanOrEqualTo(60));
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(engine.Current.CryptoDrawdown, Is.EqualTo(0.05).Within(1e-12));
            Assert.That(engine.Current.DrawdownSymbol, Is.EqualTo("BTCUSDT"));
            Assert.That(engine.Current.FallRisk, Is.EqualTo(0.8).Within(1e-12));
            Assert.That(engine.Current.Score, Is.GreaterThanOrEqualTo(80 - 1e-9), "the floor");
            Assert.That(engine.Current.WarmingUp, Is.False);
        });
    }

    [Test]
    public void TheFallStaysOutOfTheWeightedMeanAndTheNormalizer()
    {
        // The same prices with the term off and on: crypto, raw and the normalizer's history are identical; only the
        // score can differ, by the floor.
        var on = new RiskEngine(Minutes());
        var off = new RiskEngine(Minutes(o => o.DrawdownLookbackSeconds = 0));
        var random = new Random(3);
        var price = 100.0;
        for (var i = 0; i < 600; i++)
        {
            price *= Math.Exp((random.NextDouble() - 0.55) * 0.01);
            foreach (var engine in new[] { on, off })
            {
                engine.AdvanceTo(Start.AddSeconds((60 * i) + 20));
                engine.Submit(new SentimentSample("r/x", -0.2, Start.AddSeconds((60 * i) + 20), "meh"));
                Feed(engine, i, price);
            }

            Assert.That(on.Current.Crypto, Is.EqualTo(off.Current.Crypto), $"bar {i}");
            Assert.That(on.Current.Raw, Is.EqualTo(off.Current.Raw), $"bar {i}");
            Assert.That(on.Current.Score, Is.EqualTo(Math.Max(off.Current.Score, 100 * on.Current.FallRisk)).Within(1e-9), $"bar {i}");
        }

        Assert.That(on.Current.CryptoDrawdown, Is.GreaterThan(0.06), "the walk drifted down far enough to matter");
    }

    [Test]
    public void AFallBeforeVolatilityHasEnoughReturnsIsScoredByTheFloorAlone()
    {
        // Hourly bars: a cold start in a crash. Volatility needs five returns; the fall is known from the second price.
        var engine = new RiskEngine(Hours());
        engine.Submit(new PriceTick("BTCUSDT", 42_634, Start.AddMinutes(59)));
        engine.Submit(new PriceTick("BTCUSDT", 40_875, Start.AddMinutes(119)));
        engine.AdvanceTo(Start.AddHours(2).AddSeconds(3));
        Assert.Multiple(() =>
        {
            Assert.That(engine.Current.Evaluations, Is.EqualTo(1), "the first price alone is no fall and not evaluated");
            Assert.That(engine.Current.Crypto, Is.NaN, "volatility has not joined");
            Assert.That(engine.Current.CryptoDrawdown, Is.EqualTo(1 - (40_875.0 / 42_634)).Within(1e-12));
            Assert.That(engine.Current.Score, Is.EqualTo(100 * engine.Current.FallRisk).Within(1e-9));
            Assert.That(engine.Current.Raw, Is.Zero, "no component has data");
            Assert.That(engine.Current.WarmingUp, Is.False, "a measured fall needs no history");
            Assert.That(engine.Normalizer.Count, Is.Zero, "and does not enter the normalizer");
        });
    }

    [Test]
    public void AStaleSymbolHoldsNoFloorAndANewLevelAfterAPauseIsNoFall()
    {
        var engine = new RiskEngine(Minutes());
        engine.Submit(new PriceTick("BTCUSDT", 100, Start.AddSeconds(30)));
        engine.Submit(new PriceTick("BTCUSDT", 90, Start.AddSeconds(90)));
        engine.AdvanceTo(Start.AddSeconds(123));
        Assert.That(engine.Current.FallRisk, Is.EqualTo(1), "−10 %");

        // Silence: the symbol goes stale after a minute, and with it the floor.
        engine.AdvanceTo(Start.AddMinutes(10));
        Assert.Multiple(() =>
        {
            Assert.That(engine.Current.CryptoStale, Is.True);
            Assert.That(engine.Current.FallRisk, Is.Zero);
            Assert.That(engine.Current.CryptoDrawdown, Is.NaN);
        });

        // A jump beyond MaxPriceJump after the pause is a new level: the history, its high included, restarts.
        engine.AdvanceTo(Start.AddMinutes(10).AddSeconds(30));
        engine.Submit(new PriceTick("BTCUSDT", 60, Start.AddMinutes(10).AddSeconds(30)));
        engine.AdvanceTo(Start.AddMinutes(11).AddSeconds(3));
        Assert.Multiple(() =>
        {
            Assert.That(engine.Crypto.Rebases, Is.EqualTo(1));
            Assert.That(engine.Crypto.Drawdown, Is.Zero);
            Assert.That(engine.Crypto.FallRisk, Is.Zero);
        });
    }

    [Test]
    public void AFallThatGoesFlatKeepsItsDrawdownUntilTheHighIsALookbackOld()
    {
        // Minute bars, a one-hour lookback: 100, then 94 held flat. The drawdown lasts while 100 is within the hour.
        var engine = new RiskEngine(Minutes(o => o.DrawdownLookbackSeconds = 3600));
        Feed(engine, 0, 100);
        for (var minute = 1; minute <= 120; minute++)
        {
            Feed(engine, minute, 94);
            var expected = minute < 60 ? 0.06 : 0;
            Assert.That(engine.Current.CryptoDrawdown, Is.EqualTo(expected).Within(1e-12), $"minute {minute}");
        }
    }

    [Test]
    public void TheNewKeysAreValidatedByName()
    {
        var errors = new RiskModelOptions { DrawdownLookbackSeconds = -1, DrawdownStart = 0.05, DrawdownFull = 0.04 }.Validate().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(errors, Has.Some.Contains("Risk:DrawdownLookbackSeconds"));
            Assert.That(errors, Has.Some.Contains("Risk:DrawdownFull"));
            Assert.That(new RiskModelOptions { DrawdownStart = 1 }.Validate(), Has.Some.Contains("Risk:DrawdownStart"));
            Assert.That(new RiskModelOptions { DrawdownLookbackSeconds = 0 }.Validate(), Is.Empty, "0 turns the term off");
        });
    }

    /// <summary>
    /// The clock at a trade in the middle of the minute (as the server advances before every signal), the trade, then the
    /// clock just past the lateness allowance, so the minute is scored.
    /// </summary>
    private static void Feed(RiskEngine engine, int minute, double price)
    {
        var at = Start.AddSeconds((60 * minute) + 30);
        engine.AdvanceTo(at);
        Assert.That(engine.Submit(new PriceTick("BTCUSDT", price, at)), Is.EqualTo(SignalVerdict.Accepted));
        engine.AdvanceTo(Start.AddSeconds((60 * (minute + 1)) + 2));
    }

    private static RiskModelOptions Minutes(Action<RiskModelOptions>? configure = null) =>
        RiskEngineTests.Instant(o =>
        {
            o.BarSeconds = 60;
            o.LatenessSeconds = 2;
            configure?.Invoke(o);
        });

    private static RiskModelOptions Hours() => new()
    {
        BarSeconds = 3600,
        CryptoReturnSeconds = 3600,
        CryptoMaxAgeSeconds = 3600,
        PolymarketMaxAgeSeconds = 3600,
        RedditMaxAgeSeconds = 3600,
    };
}
