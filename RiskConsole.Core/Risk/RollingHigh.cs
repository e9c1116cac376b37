namespace RiskConsole.Core.Risk;

/// <summary>
/// The highest of the last values added, over a window of <c>buckets × bucketSize</c> values, in bounded memory: the
/// values are kept as bucket maxima (a bucket holds <c>bucketSize</c> consecutive values), so a day of one-second bars
/// costs 1,440 doubles, not 86,400. <see cref="High"/> covers the last <c>buckets</c> full buckets plus the one being
/// filled, i.e. between <c>buckets × bucketSize</c> and <c>(buckets + 1) × bucketSize − 1</c> values; with a bucket size
/// of 1 it is exactly the last <c>buckets</c> values. The maximum of the full buckets is rescanned once per full
/// bucket (O(buckets), amortized O(buckets / bucketSize) per value); nothing allocates after construction.
/// Not thread-safe: one writer (the engine's single caller).
/// </summary>
public sealed class RollingHigh
{
    private readonly double[] _buckets;
    private readonly int _bucketSize;
    private int _next;
    private int _count;
    private int _filling;
    private double _fillingMax = double.NegativeInfinity;
    private double _fullMax = double.NegativeInfinity;

    public RollingHigh(int buckets, int bucketSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(buckets, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(bucketSize, 1);
        _buckets = new double[buckets];
        _bucketSize = bucketSize;
    }

    /// <summary>
    /// The bucket size and count for a window of <paramref name="values"/> values held in at most
    /// <paramref name="maximumBuckets"/> buckets: exact (bucket size 1) when the window fits.
    /// </summary>
    public static (int Buckets, int BucketSize) Layout(long values, int maximumBuckets)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(values, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maximumBuckets, 1);
        var size = (int)Math.Min(int.MaxValue, (values + maximumBuckets - 1) / maximumBuckets);
        var buckets = (int)((values + size - 1) / size);
        return (buckets, size);
    }

    public bool IsEmpty => _count == 0 && _filling == 0;

    /// <summary>The highest value in the window; −∞ when empty.</summary>
    public double High => Math.Max(_fullMax, _fillingMax);

    public void Add(double value)
    {
        _fillingMax = Math.Max(_fillingMax, value);
        if (++_filling < _bucketSize)
        {
            return;
        }

        _buckets[_next] = _fillingMax;
        _next = (_next + 1) % _buckets.Length;
        _count = Math.Min(_buckets.Length, _count + 1);
        _filling = 0;
        _fillingMax = double.NegativeInfinity;

        var max = double.NegativeInfinity;
        for (var i = 0; i < _count; i++)
        {
            max = Math.Max(max, _buckets[i]);
        }

        _fullMax = max;
    }

    /// <summary>Every value in the window becomes <paramref name="value"/>, as if it had been added for a whole window.</summary>
    public void Fill(double value)
    {
        Array.Fill(_buckets, value);
        _next = 0;
        _count = _buckets.Length;
        _filling = 0;
        _fillingMax = double.NegativeInfinity;
        _fullMax = value;
    }

    public void Clear()
    {
        _next = 0;
        _count = 0;
        _filling = 0;
        _fillingMax = double.NegativeInfinity;
        _fullMax = double.NegativeInfinity;
    }
}
