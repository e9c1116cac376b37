using RiskConsole.Core.Risk;
using RiskConsole.Core.Signals;

namespace RiskConsole.Tests.Core.Risk;

/// <summary>
/// Properties that must hold for any signal stream, checked over many seeded random streams that include what a
/// network and a clock can do: absurd but finite prices, huge jumps, long silences, one source only, sources that
/// start late or stop, clock steps backwards, signals from the future and late signals.
/// </summary>
public sealed class RiskEnginePropertyTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Test]
    public void TheEngineNeverThrowsAndEveryReadingIsFiniteAndInRange([Range(1, 40)] int seed)
    {
        var random = new Random(seed);
        var options = RandomOptions(random);
        var engine = new RiskEngine(options);
        var readings = 0;
        engine.ReadingChanged += reading =>
        {
            readings++;
            AssertSane(reading);
        };

        var stream = new HostileStream(random, options);
        for (var i = 0; i < 3_000; i++)
        {
            stream.Step(engine);
        }

        engine.AdvanceTo(stream.Wall.AddHours(2));
        Assert.Multiple(() =>
        {
            Assert.That(engine.AcceptedSignals + engine.RejectedSignals, Is.EqualTo(3_000));
            Assert.That(engine.AcceptedSignals, Is.GreaterThan(0));
            Assert.That(readings, Is.GreaterThan(0), "the stream must exercise evaluation");
        });
        AssertSane(engine.Current);
    }

    [Test]
    public void ReplayingTheAcceptedSignalsReproducesEveryLiveReadingExactly([Range(1, 30)] int seed)
    {
        var random = new Random(seed);
        var options = RandomOptions(random);
        var live = new RiskEngine(options);
        var liveReadings = new List<RiskReading>();
        live.ReadingChanged += liveReadings.Add;
        var accepted = new List<MarketSignal>();
        var stream = new HostileStream(random, options);
        for (var i = 0; i < 4_000; i++)
        {
            var (signal, verdict) = stream.Step(live);
            if (verdict == SignalVerdict.Accepted)
            {
                accepted.Add(signal!);
            }
        }

        // What a replay needs: the accepted signals in arrival order, and the last time the live engine was advanced to.
        var last = stream.Wall.AddMinutes(1);
        live.AdvanceTo(last);

        var replay = new RiskEngine(options);
        var replayReadings = new List<RiskReading>();
        replay.ReadingChanged += replayReadings.Add;
        foreach (var signal in accepted)
        {
            Assert.That(replay.Submit(signal), Is.EqualTo(SignalVerdict.Accepted), $"{signal} was accepted live");
        }

        replay.AdvanceTo(last);
        TestContext.Out.WriteLine(
            $"seed {seed}: {accepted.Count} accepted, {live.Count(SignalVerdict.Late)} late, {live.Count(SignalVerdict.TooFarAhead)} too far ahead, " +
            $"{live.Count(SignalVerdict.PriceJump)} jumps, {live.Crypto.Rebases} rebases, {liveReadings.Count} readings, {live.Current.Evaluations} evaluations");
        Assert.Multiple(() =>
        {
            Assert.That(liveReadings, Has.Count.GreaterThan(50));
            Assert.That(live.Count(SignalVerdict.Late), Is.GreaterThan(0), "the stream must contain late signals");
            Assert.That(replayReadings, Has.Count.EqualTo(liveReadings.Count));
            Assert.That(replayReadings, Is.EqualTo(liveReadings));
        });
    }

    [Test]
    public void MoreVolatilityNeverLowersTheCryptoComponent([Range(1, 25)] int seed)
    {
        var random = new Random(seed);
        var returns = Enumerable.Range(0, 40).Select(_ => (random.NextDouble() - 0.5) * 0.004).ToArray();
        var previous = -1.0;
        foreach (var scale in new[] { 0.0, 0.1, 0.5, 1, 1.5, 2, 4, 10 })
        {
            var engine = new RiskEngine(RiskEngineTests.Instant(o => o.CryptoReturnSeconds = 1));
            var price = 1_000.0;
            for (var bar = 0; bar < returns.Length; bar++)
            {
                price *= Math.Exp(returns[bar] * scale);
                engine.Submit(new PriceTick("BTCUSDT", price, Start.AddSeconds(bar + 0.5)));
            }

            engine.AdvanceTo(Start.AddSeconds(returns.Length + 1));
            Assert.That(engine.Current.Crypto, Is.GreaterThanOrEqualTo(previous), $"scale {scale}");
            previous = engine.Current.Crypto;
        }

        Assert.That(previous, Is.GreaterThan(0));
    }

    [Test]
    public void ElevationIsContinuousAndMonotone()
    {
        var previous = 0.0;
        for (var risk = 0.0; risk <= 1.0; risk += 0.0001)
        {
            var elevation = RiskEngine.Elevation(risk, 0.6, 0.2);
            Assert.That(elevation, Is.InRange(0.0, 1.0));
            Assert.That(elevation, Is.GreaterThanOrEqualTo(previous));
            Assert.That(elevation - previous, Is.LessThanOrEqualTo((0.0001 / 0.4) + 1e-12), "no step larger than the ramp's slope allows");
            previous = elevation;
        }
    }

    [Test]
    public void RawRiskIsContinuousAndMonotoneInEveryComponent([Range(1, 20)] int seed)
    {
        var random = new Random(seed);
        for (var trial = 0; trial < 200; trial++)
        {
            var p = random.NextDouble();
            var r = random.NextDouble();
            var c = random.NextDouble();
            var step = 1e-4;
            var here = RawOf(c, p, r);
            var up = RawOf(Math.Min(1, c + step), p, r);
            Assert.That(up, Is.GreaterThanOrEqualTo(here - 1e-12), $"c {c}, p {p}, r {r}");
            // Lipschitz: a small change of one component moves raw by a bounded amount (no cliff).
            Assert.That(up - here, Is.LessThan(step * 4), $"c {c}, p {p}, r {r}");
        }
    }

    [Test]
    public void TheReportedCliffIsGone()
    {
        // p = 0.94 and r = 0.5: the old count-based amplification jumped from 44 to 78 between c = 0.5999 and 0.6000.
        var below = RawOf(0.5999, 0.94, 0.5);
        var at = RawOf(0.6000, 0.94, 0.5);
        Assert.Multiple(() =>
        {
            Assert.That(at - below, Is.LessThan(0.001));
            Assert.That(RawOf(0.9, 0.9, 0.9), Is.EqualTo(1), "three fully elevated components still amplify to the cap");
            Assert.That(RiskEngine.Combine(0.9, 0.9, 0.9, new RiskModelOptions()).Amplification, Is.EqualTo(1.5).Within(1e-12));
        });
    }

    private static double RawOf(double c, double p, double r) => RiskEngine.Combine(c, p, r, new RiskModelOptions()).Raw;

    private static void AssertSane(RiskReading reading)
    {
        Assert.That(double.IsFinite(reading.Score) && reading.Score is >= 0 and <= 100, Is.True, $"score {reading.Score}");
        Assert.That(double.IsFinite(reading.Raw) && reading.Raw is >= 0 and <= 1, Is.True, $"raw {reading.Raw}");
        Assert.That(double.IsFinite(reading.Amplification) && reading.Amplification is >= 1 and <= 1.5, Is.True, $"amplification {reading.Amplification}");
        foreach (var (name, value) in new[]
                 {
                     ("crypto", reading.Crypto), ("polymarket", reading.Polymarket), ("reddit", reading.Reddit),
                     ("repricing", reading.PolymarketRepricing), ("shock", reading.PolymarketShock),
                 })
        {
            Assert.That(double.IsNaN(value) || value is >= 0 and <= 1, Is.True, $"{name} {value}");
        }

        Assert.That(double.IsNaN(reading.CryptoVolatilityAnnualized) || (double.IsFinite(reading.CryptoVolatilityAnnualized) && reading.CryptoVolatilityAnnualized >= 0), Is.True);
        Assert.That(double.IsNaN(reading.RedditSentiment) || reading.RedditSentiment is >= -1 and <= 1, Is.True);
        Assert.That(reading.FallRisk is >= 0 and <= 1, Is.True, $"fall {reading.FallRisk}");
        Assert.That(double.IsNaN(reading.CryptoDrawdown) || reading.CryptoDrawdown is >= 0 and < 1, Is.True, $"drawdown {reading.CryptoDrawdown}");
        Assert.That(reading.Score, Is.GreaterThanOrEqualTo((100 * reading.FallRisk) - 1e-9), "the fall is a floor under the score");
    }

    private static RiskModelOptions RandomOptions(Random random)
    {
        var bar = new[] { 0.5, 1, 2 }[random.Next(3)];
        return new RiskModelOptions
        {
            BarSeconds = bar,
            LatenessSeconds = new[] { 0, 0.5, 2 }[random.Next(3)],
            FutureToleranceSeconds = new[] { 1, 5 }[random.Next(2)],
            CryptoReturnSeconds = bar * new[] { 1, 5 }[random.Next(2)],
            CryptoMaxAgeSeconds = 5 + random.Next(30),
            PolymarketMaxAgeSeconds = 10 + random.Next(60),
            RedditMaxAgeSeconds = 20 + random.Next(100),
            PriceRebaseSeconds = random.Next(30),
            // Lookbacks short enough for highs to age out (and settle) within a stream; 0 is the term off.
            DrawdownLookbackSeconds = new[] { 0, 1, 30, 600, 86_400 }[random.Next(5)],
            DrawdownStart = new[] { 0, 0.001, 0.01 }[random.Next(3)],
            DrawdownFull = new[] { 0.02, 0.06 }[random.Next(2)],
        };
    }

    /// <summary>
    /// A live feed as a hostile network and clock would deliver it: a wall clock that moves on (and sometimes steps
    /// back), signals stamped up to a few seconds late (some later than the lateness allowance), some from the future,
    /// sources that start late and go silent, absurd prices and huge jumps, and long silences.
    /// </summary>
    private sealed class HostileStream(Random random, RiskModelOptions options)
    {
        private readonly double[] _prices = [100, 3_000, 0.5];
        private readonly double[] _probabilities = [0.5, 0.02, 0.9, 0.3];
        private readonly (int Start, int Stop)[] _active =
        [
            (random.Next(400), 2_000 + random.Next(3_000)),
            (random.Next(800), 1_000 + random.Next(4_000)),
            (random.Next(1_200), 1_500 + random.Next(4_000)),
        ];
        private int _step;

        public DateTimeOffset Wall { get; private set; } = Start;

        public (MarketSignal? Signal, SignalVerdict Verdict) Step(RiskEngine engine)
        {
            _step++;
            Wall = Wall.AddMilliseconds(random.Next(300));
            if (random.Next(400) == 0)
            {
                // A long silence: minutes to hours.
                Wall = Wall.AddSeconds(random.Next(60, 7_200));
            }

            switch (random.Next(20))
            {
                case 0:
                    engine.AdvanceTo(Wall.AddSeconds(-random.Next(1, 60))); // the clock stepped back
                    break;
                case 1:
                    break; // no advance: the signal alone moves time
                default:
                    engine.AdvanceTo(Wall);
                    break;
            }

            var stamp = Wall.AddMilliseconds(-random.Next((int)(options.LatenessSeconds * 1_000) + 1_500));
            if (random.Next(50) == 0)
            {
                stamp = Wall.AddSeconds(random.Next(1, 7_200)); // from the future
            }
            else if (random.Next(60) == 0)
            {
                stamp = Wall.AddSeconds(-random.Next(10, 600)); // very late
            }

            var source = PickActiveSource();
            MarketSignal? signal = source switch
            {
                0 => Price(stamp),
                1 => Market(stamp),
                2 => Post(stamp),
                _ => null,
            };
            if (signal is null)
            {
                engine.AdvanceTo(Wall);
                return (null, engine.Submit(new PriceTick("", 1, stamp)));
            }

            return (signal, engine.Submit(signal));
        }

        private int PickActiveSource()
        {
            for (var tries = 0; tries < 3; tries++)
            {
                var source = random.Next(3);
                if (_step >= _active[source].Start && _step <= _active[source].Stop)
                {
                    return source;
                }
            }

            return -1;
        }

        private PriceTick Price(DateTimeOffset stamp)
        {
            var i = random.Next(_prices.Length);
            var price = random.Next(40) switch
            {
                0 => new[] { 1e-300, 4.9e-324, 1e300, double.Epsilon, 1e-9, 1e9 }[random.Next(6)],
                1 => _prices[i] * new[] { 100, 0.01, 1.5, 0.6 }[random.Next(4)],
                _ => _prices[i] * Math.Exp((random.NextDouble() - 0.5) * 0.01),
            };
            if (random.Next(3) != 0)
            {
                _prices[i] = Math.Clamp(price, 1e-6, 1e8);
            }

            return new PriceTick($"S{i}", price, stamp);
        }

        private MarketProbability Market(DateTimeOffset stamp)
        {
            var i = random.Next(_probabilities.Length);
            _probabilities[i] = random.Next(30) == 0 ? random.NextDouble() : Math.Clamp(_probabilities[i] + ((random.NextDouble() - 0.5) * 0.04), 0, 1);
            return new MarketProbability($"m{i}", random.Next(100) == 0 ? null! : "Q?", _probabilities[i], stamp);
        }

        private SentimentSample Post(DateTimeOffset stamp) =>
            new($"r/{random.Next(3)}", random.Next(50) == 0 ? 3 : (random.NextDouble() * 2) - 1, stamp, random.Next(80) == 0 ? "" : $"post {random.Next(1_000)}");
    }
}
