using RiskConsole.Core.Risk;

namespace RiskConsole.Tests.Core.Risk;

public sealed class RollingHighTests
{
    [Test]
    public void WithOneValuePerBucketItIsExactlyTheMaximumOfTheLastValues()
    {
        var random = new Random(5);
        var high = new RollingHigh(buckets: 24, bucketSize: 1);
        var values = new List<double>();
        for (var i = 0; i < 500; i++)
        {
            var value = random.NextDouble() * 100;
            values.Add(value);
            high.Add(value);
            Assert.That(high.High, Is.EqualTo(values.TakeLast(24).Max()), $"after {i + 1} values");
        }
    }

    [Test]
    public void WithBucketsItCoversAtLeastTheWindowAndAtMostOneBucketMore()
    {
        // A random walk, so old highs matter: 10 buckets of 6 values cover the last 60 to 65 values.
        var random = new Random(6);
        var high = new RollingHigh(buckets: 10, bucketSize: 6);
        var values = new List<double>();
        var value = 0.0;
        for (var i = 0; i < 2_000; i++)
        {
            value += random.NextDouble() - 0.5;
            values.Add(value);
            high.Add(value);
            Assert.That(high.High, Is.InRange(values.TakeLast(60).Max(), values.TakeLast(65).Max()), $"after {i + 1} values");
        }
    }

    [Test]
    public void LayoutKeepsADayOfBarsInAtMost1440Buckets()
    {
        Assert.Multiple(() =>
        {
            Assert.That(RollingHigh.Layout(86_400, 1_440), Is.EqualTo((1_440, 60)), "one-second bars: minute buckets");
            Assert.That(RollingHigh.Layout(1_440, 1_440), Is.EqualTo((1_440, 1)), "one-minute bars: exact");
            Assert.That(RollingHigh.Layout(24, 1_440), Is.EqualTo((24, 1)), "hourly bars: exact");
            Assert.That(RollingHigh.Layout(172_800, 1_440), Is.EqualTo((1_440, 120)));
            Assert.That(RollingHigh.Layout(1_441, 1_440), Is.EqualTo((721, 2)), "never more buckets than allowed");
        });
    }

    [Test]
    public void FillAndClear()
    {
        var high = new RollingHigh(buckets: 4, bucketSize: 2);
        Assert.That(high.IsEmpty, Is.True);
        Assert.That(high.High, Is.EqualTo(double.NegativeInfinity));
        high.Add(9);
        high.Fill(3);
        Assert.That(high.High, Is.EqualTo(3), "filling replaces every value of the window");
        for (var i = 0; i < 8; i++)
        {
            high.Add(1);
        }

        Assert.That(high.High, Is.EqualTo(1), "a filled window ages out like one that was added to");
        high.Clear();
        Assert.That(high.IsEmpty, Is.True);
    }

    [Test]
    public void AddAllocatesNothing()
    {
        var high = new RollingHigh(buckets: 1_440, bucketSize: 60);
        AddMany(high, 10_000, 97);

        var before = GC.GetAllocatedBytesForCurrentThread();
        AddMany(high, 200_000, 89);

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    /// <summary>
    /// Fully optimized from the first call: a long loop in a method still at tier 0 is moved to optimized code while it
    /// runs (on-stack replacement), and that transition allocates a few KB on this thread — the runtime's, not Add's.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void AddMany(RollingHigh high, int count, int modulo)
    {
        for (var i = 0; i < count; i++)
        {
            high.Add(i % modulo);
        }
    }
}
