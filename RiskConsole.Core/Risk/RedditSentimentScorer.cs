using RiskConsole.Core.Signals;

namespace RiskConsole.Core.Risk;

/// <summary>
/// Reddit component: the rolling mean compound sentiment of the last posts (all feeds together);
/// risk = (1 − mean) / 2, so all-negative talk is 1, all-positive 0 and neutral 0.5.
/// </summary>
public sealed class RedditSentimentScorer(RiskModelOptions options)
{
    private readonly Dictionary<string, FeedOrder> _byFeed = new(StringComparer.Ordinal);
    private readonly RollingStatistics _compounds = new(options.RedditWindow);

    /// <summary>Risk in [0, 1]; NaN before the first post.</summary>
    public double Risk { get; private set; } = double.NaN;

    public double MeanSentiment => _compounds.Mean;

    public int DataPoints => _compounds.Count;

    public static double SentimentToRisk(double meanCompound) => (1 - meanCompound) / 2;

    internal SignalVerdict Check(SentimentSample sample)
    {
        if (_byFeed.TryGetValue(sample.SourceId, out var feed))
        {
            return feed.Order.Check(sample.Timestamp, sample.Compound, string.Equals(feed.LastText, sample.Text, StringComparison.Ordinal));
        }

        return _byFeed.Count >= options.MaxKeysPerSource ? SignalVerdict.TooManyKeys : SignalVerdict.Accepted;
    }

    internal void Apply(SentimentSample sample)
    {
        if (!_byFeed.TryGetValue(sample.SourceId, out var feed))
        {
            feed = new FeedOrder();
            _byFeed.Add(sample.SourceId, feed);
        }

        feed.Order.Record(sample.Timestamp, sample.Compound);
        feed.LastText = sample.Text;
        _compounds.Add(sample.Compound);
    }

    internal void Evaluate()
    {
        if (_compounds.Count > 0)
        {
            Risk = SentimentToRisk(_compounds.Mean);
        }
    }

    private sealed class FeedOrder
    {
        public KeyedOrder Order;

        public string? LastText { get; set; }
    }
}
