namespace RiskConsole.Bench.Load;

/// <summary>
/// Latencies in 0.1 ms buckets up to a minute (anything longer counts in the last), recorded from many threads without
/// a lock or an allocation, merged across workers by adding buckets. Percentiles are the upper edge of their bucket.
/// </summary>
public sealed class LatencyHistogram
{
    public const long TicksPerBucket = TimeSpan.TicksPerMillisecond / 10;
    private const int BucketCount = 600_001;

    private readonly long[] _buckets = new long[BucketCount];
    private long _count;
    private long _maxTicks;

    public long Count => Interlocked.Read(ref _count);

    public void Record(long ticks)
    {
        var bucket = ticks <= 0 ? 0 : Math.Min(ticks / TicksPerBucket, BucketCount - 1);
        Interlocked.Increment(ref _buckets[bucket]);
        Interlocked.Increment(ref _count);
        var max = Volatile.Read(ref _maxTicks);
        while (ticks > max)
        {
            var seen = Interlocked.CompareExchange(ref _maxTicks, ticks, max);
            if (seen == max)
            {
                break;
            }

            max = seen;
        }
    }

    public void Reset()
    {
        Array.Clear(_buckets);
        Interlocked.Exchange(ref _count, 0);
        Interlocked.Exchange(ref _maxTicks, 0);
    }

    /// <summary>The non-empty buckets, for a worker's report.</summary>
    public LatencyHistogramData Snapshot()
    {
        var indexes = new List<int>();
        var counts = new List<long>();
        for (var i = 0; i < _buckets.Length; i++)
        {
            var c = Volatile.Read(ref _buckets[i]);
            if (c > 0)
            {
                indexes.Add(i);
                counts.Add(c);
            }
        }

        return new LatencyHistogramData([.. indexes], [.. counts], Volatile.Read(ref _maxTicks));
    }

    public void Add(LatencyHistogramData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        for (var i = 0; i < data.Buckets.Length; i++)
        {
            _buckets[data.Buckets[i]] += data.Counts[i];
            _count += data.Counts[i];
        }

        _maxTicks = Math.Max(_maxTicks, data.MaxTicks);
    }

    /// <summary>The latency in ms below which <paramref name="fraction"/> of the recorded ones are; null when none were recorded.</summary>
    public double? Percentile(double fraction)
    {
        if (_count == 0)
        {
            return null;
        }

        var rank = (long)Math.Ceiling(fraction * _count);
        long seen = 0;
        for (var i = 0; i < _buckets.Length; i++)
        {
            seen += _buckets[i];
            if (seen >= rank)
            {
                return Math.Min((i + 1) * TicksPerBucket, Math.Max(_maxTicks, 1)) / (double)TimeSpan.TicksPerMillisecond;
            }
        }

        return MaxMilliseconds;
    }

    public double? MaxMilliseconds => _count == 0 ? null : _maxTicks / (double)TimeSpan.TicksPerMillisecond;
}

/// <summary>A histogram on the wire between a worker and the harness: bucket numbers and their counts.</summary>
public sealed record LatencyHistogramData(int[] Buckets, long[] Counts, long MaxTicks);
