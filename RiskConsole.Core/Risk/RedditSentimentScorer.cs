using RiskConsole.Core.Signals;

namespace RiskConsole.Core.Risk;

/// <summary>
/// Reddit component: the mean compound sentiment of the last <see cref="RiskModelOptions.RedditWindow"/> posts (all
/// feeds together) that are younger than <see cref="RiskModelOptions.RedditMaxAgeSeconds"/>; risk = (1 − mean) / 2, so
/// all-negative talk is 1, all-positive 0 and neutral 0.5. No fresh post means no component (NaN), never "neutral".
/// </summary>
public sealed class RedditSentimentScorer(RiskModelOptions options)
{
    private readonly Dictionary<string, FeedOrder> _byFeed = new(StringComparer.Ordinal);
    private readonly double[] _compounds = new double[options.RedditWindow];
    private readonly long[] _ticks = new long[options.RedditWindow];
    private readonly long _maxAgeTicks = (long)(options.RedditMaxAgeSeconds * TimeSpan.TicksPerSecond);
    private int _next;
    private int _count;

    /// <summary>Risk in [0, 1]; NaN when no post is fresh.</summary>
    public double Risk { get; private set; } = double.NaN;

    /// <summary>True when posts have arrived but none is within RedditMaxAgeSeconds.</summary>
    public bool IsStale { get; private set; }

    /// <summary>Mean compound of the fresh posts in the window; NaN when none (no data is not "neutral").</summary>
    public double MeanSentiment { get; private set; } = double.NaN;

    /// <summary>Fresh posts in the window at the last evaluation (the seed's reddit_data_points).</summary>
    public int DataPoints { get; private set; }

    public static double SentimentToRisk(double meanCompound) => (1 - meanCompound) / 2;

    internal SignalVerdict Admit(SentimentSample sample)
    {
        if (_byFeed.TryGetValue(sample.SourceId, out var feed))
        {
            var verdict = feed.Order.Check(sample.Timestamp, sample.Compound, string.Equals(feed.LastText, sample.Text, StringComparison.Ordinal));
            if (verdict == SignalVerdict.Accepted)
            {
                feed.Order.Record(sample.Timestamp, sample.Compound);
                feed.LastText = sample.Text;
            }

            return verdict;
        }

        if (_byFeed.Count >= options.MaxKeysPerSource)
        {
            return SignalVerdict.TooManyKeys;
        }

        feed = new FeedOrder { LastText = sample.Text };
        feed.Order.Record(sample.Timestamp, sample.Compound);
        _byFeed.Add(sample.SourceId, feed);
        return SignalVerdict.Accepted;
    }

    internal void Apply(SentimentSample sample)
    {
        _compounds[_next] = sample.Compound;
        _ticks[_next] = sample.Timestamp.UtcTicks;
        _next = (_next + 1) % _compounds.Length;
        _count = Math.Min(_compounds.Length, _count + 1);
    }

    internal void Evaluate(long barEndTicks)
    {
        // At most RedditWindow (15) posts, once per bar: a scan is simpler and exact.
        double sum = 0;
        var fresh = 0;
        for (var i = 0; i < _count; i++)
        {
            if (barEndTicks - _ticks[i] <= _maxAgeTicks)
            {
                sum += _compounds[i];
                fresh++;
            }
        }

        DataPoints = fresh;
        IsStale = _count > 0 && fresh == 0;
        MeanSentiment = fresh > 0 ? sum / fresh : double.NaN;
        Risk = fresh > 0 ? SentimentToRisk(MeanSentiment) : double.NaN;
    }

    private sealed class FeedOrder
    {
        public KeyedOrder Order;

        public string? LastText { get; set; }
    }
}
