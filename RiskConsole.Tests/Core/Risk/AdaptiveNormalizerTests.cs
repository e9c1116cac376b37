using RiskConsole.Core.Risk;

namespace RiskConsole.Tests.Core.Risk;

public sealed class AdaptiveNormalizerTests
{
    [Test]
    public void WarmUpUsesTheAbsoluteScale()
    {
        var normalizer = new AdaptiveNormalizer(100, 0.5, 5);
        Assert.Multiple(() =>
        {
            Assert.That(normalizer.Normalize(0.3), Is.EqualTo(30).Within(1e-12));
            Assert.That(normalizer.Normalize(0.9), Is.EqualTo(90).Within(1e-12));
            Assert.That(normalizer.IsWarmingUp, Is.True);
        });
    }

    [Test]
    public void CalmNoiseDoesNotSwingTheScoreAcrossTheRange()
    {
        var normalizer = new AdaptiveNormalizer(100, 0.5, 10);
        var random = new Random(11);
        var max = 0.0;
        for (var i = 0; i < 1_000; i++)
        {
            var score = normalizer.Normalize(0.10 + (random.NextDouble() * 0.05));
            if (!normalizer.IsWarmingUp)
            {
                max = Math.Max(max, score);
            }
        }

        Assert.That(max, Is.LessThanOrEqualTo(10.0 + 1e-9), "a 0.05-wide band over a 0.5 minimum span scores at most 10");
    }

    [Test]
    public void BothEndsAreReachable()
    {
        var normalizer = new AdaptiveNormalizer(100, 0.5, 3);
        normalizer.Normalize(0.0);
        normalizer.Normalize(0.2);
        Assert.Multiple(() =>
        {
            Assert.That(normalizer.Normalize(1.0), Is.EqualTo(100));
            Assert.That(normalizer.Normalize(0.0), Is.Zero);
        });
    }

    [Test]
    public void AHighPlateauStillScoresHighBecauseTheSpanStaysInsideZeroToOne()
    {
        var normalizer = new AdaptiveNormalizer(100, 0.5, 3);
        for (var i = 0; i < 200; i++)
        {
            normalizer.Normalize(0.95);
        }

        Assert.Multiple(() =>
        {
            Assert.That(normalizer.Normalize(0.95), Is.EqualTo(90).Within(1e-9));
            Assert.That(normalizer.Low, Is.EqualTo(0.5).Within(1e-12));
            Assert.That(normalizer.High, Is.EqualTo(1.0).Within(1e-12));
            Assert.That(normalizer.Normalize(1.0), Is.EqualTo(100));
        });
    }

    [Test]
    public void WideRangeIsPlainMinMax()
    {
        var normalizer = new AdaptiveNormalizer(4, 0.5, 2);
        normalizer.Normalize(0.1);
        normalizer.Normalize(0.9);
        Assert.That(normalizer.Normalize(0.5), Is.EqualTo(50).Within(1e-9));
    }

    [Test]
    public void OldValuesLeaveTheWindow()
    {
        var normalizer = new AdaptiveNormalizer(3, 0.1, 1);
        normalizer.Normalize(0.0);
        normalizer.Normalize(0.8);
        normalizer.Normalize(0.9);
        normalizer.Normalize(0.85);
        Assert.Multiple(() =>
        {
            Assert.That(normalizer.Min, Is.EqualTo(0.8).Within(1e-12));
            Assert.That(normalizer.Count, Is.EqualTo(3));
        });
    }

    [TestCase(double.NaN, 0.0)]
    [TestCase(double.PositiveInfinity, 0.0)]
    [TestCase(-3.0, 0.0)]
    [TestCase(7.0, 100.0)]
    public void OutOfRangeRawIsClampedNeverPropagated(double raw, double expected)
    {
        var normalizer = new AdaptiveNormalizer(10, 0.5, 1);
        Assert.That(normalizer.Normalize(raw), Is.EqualTo(expected));
        Assert.That(double.IsFinite(normalizer.Mean), Is.True);
    }

    [TestCase(0.2, 0.3, 0.5, 0.2, 0.7)]
    [TestCase(0.8, 0.9, 0.5, 0.5, 1.0)]
    [TestCase(0.1, 0.9, 0.5, 0.1, 0.9)]
    public void RangeWidensToTheMinimumSpanInsideZeroToOne(double min, double max, double span, double low, double high)
    {
        var (l, h) = AdaptiveNormalizer.Range(min, max, span);
        Assert.Multiple(() =>
        {
            Assert.That(l, Is.EqualTo(low).Within(1e-12));
            Assert.That(h, Is.EqualTo(high).Within(1e-12));
        });
    }
}
