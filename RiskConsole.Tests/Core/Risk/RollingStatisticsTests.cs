using RiskConsole.Core.Risk;

namespace RiskConsole.Tests.Core.Risk;

public sealed class RollingStatisticsTests
{
    [TestCase(1)]
    [TestCase(2)]
    [TestCase(5)]
    [TestCase(20)]
    [TestCase(100)]
    public void MatchesNaiveRecomputationOnRandomData(int window)
    {
        var random = new Random(window * 7919);
        var stats = new RollingStatistics(window);
        var all = new List<double>();
        for (var i = 0; i < 20_000; i++)
        {
            // Mix scales: tiny log-return-like values, then large prices, then small again.
            var scale = (i / 5_000 % 3) switch { 0 => 1e-4, 1 => 1e4, _ => 1.0 };
            var value = (random.NextDouble() - 0.5) * scale + (i % 2 == 0 ? scale : 0);
            stats.Add(value);
            all.Add(value);

            if (i % 97 != 0)
            {
                continue;
            }

            var tail = all.Skip(Math.Max(0, all.Count - window)).ToArray();
            var mean = tail.Average();
            var variance = tail.Length < 2 ? 0 : tail.Sum(x => (x - mean) * (x - mean)) / (tail.Length - 1);
            Assert.Multiple(() =>
            {
                Assert.That(stats.Count, Is.EqualTo(tail.Length));
                Assert.That(stats.Mean, Is.EqualTo(mean).Within(1e-9 * Math.Max(1, Math.Abs(mean)) + 1e-12 * scale));
                Assert.That(stats.Variance, Is.EqualTo(variance).Within((1e-7 * variance) + (1e-12 * scale * scale)));
                Assert.That(stats.Oldest, Is.EqualTo(tail[0]));
                Assert.That(stats.Latest, Is.EqualTo(tail[^1]));
            });
        }
    }

    [Test]
    public void ConstantValuesHaveZeroVarianceAfterManyUpdates()
    {
        var stats = new RollingStatistics(20);
        for (var i = 0; i < 100_000; i++)
        {
            stats.Add(i < 50_000 ? Math.Sin(i) : 3.25);
        }

        Assert.Multiple(() =>
        {
            Assert.That(stats.Mean, Is.EqualTo(3.25).Within(1e-9));
            Assert.That(stats.Variance, Is.EqualTo(0).Within(1e-12));
            Assert.That(stats.Variance, Is.GreaterThanOrEqualTo(0));
        });
    }

    [Test]
    public void EmptyAndSingleValueAreWellDefined()
    {
        var stats = new RollingStatistics(3);
        Assert.Multiple(() =>
        {
            Assert.That(stats.Mean, Is.Zero);
            Assert.That(stats.Variance, Is.Zero);
            Assert.That(stats.IsFull, Is.False);
        });
        stats.Add(4);
        Assert.Multiple(() =>
        {
            Assert.That(stats.Mean, Is.EqualTo(4));
            Assert.That(stats.StandardDeviation, Is.Zero);
            Assert.That(stats.Sum, Is.EqualTo(4));
        });
    }

    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    [TestCase(double.NegativeInfinity)]
    public void RefusesNonFiniteValuesWithoutChangingState(double bad)
    {
        var stats = new RollingStatistics(3);
        stats.Add(1);
        stats.Add(2);
        Assert.Throws<ArgumentOutOfRangeException>(() => stats.Add(bad));
        Assert.Multiple(() =>
        {
            Assert.That(stats.Count, Is.EqualTo(2));
            Assert.That(stats.Mean, Is.EqualTo(1.5));
        });
    }

    [Test]
    public void AddAllocatesNothing()
    {
        var stats = new RollingStatistics(20);
        stats.Add(1);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            stats.Add(i * 0.5);
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }
}
