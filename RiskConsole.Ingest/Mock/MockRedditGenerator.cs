using RiskConsole.Core.Sentiment;
using RiskConsole.Core.Signals;

namespace RiskConsole.Ingest.Mock;

/// <summary>
/// Short Reddit-style posts built from templates and word lists (bullish, bearish, neutral, with the crypto
/// slang and emoji real posts use) and scored by the same sentiment scorer the live Reddit listener uses, so
/// the mock exercises the real scoring path. The share of bearish posts follows the shared mood's fear: the
/// crowd turns bearish in a storm and recovers after it. Pure and deterministic; not thread-safe.
/// </summary>
public sealed class MockRedditGenerator
{
    /// <summary>Longest post text, matching what the dashboard shows of a live post.</summary>
    public const int MaxTextLength = 200;

    private static readonly string[] BullishTemplates =
    [
        "{coin} to the moon {bull}",
        "Stop selling and HODL. {coin} is just getting started {bull}",
        "Bought more {coin} on the dip, diamond hands {bull}",
        "Another green day for {coin}, feeling bullish {bull}",
        "{coin} breakout confirmed, this rally is real",
        "WAGMI. {coin} up {pct}% this week and still climbing {bull}",
        "Institutional inflows into {coin} keep growing, very bullish",
        "Told my wife we are buying a lambo after this {coin} pump {bull}",
        "{coin} holding strong while everything else chops. Love to see it",
        "New ATH incoming for {coin}? LFG {bull}",
    ];

    private static readonly string[] BearishTemplates =
    [
        "{coin} dumping hard, got liquidated on my long {bear}",
        "Rekt again. Down {pct}% on {coin} in an hour {bear}",
        "This looks like a rug. Sold all my {coin}",
        "Capitulation incoming, {coin} is bleeding out {bear}",
        "Margin call on my {coin} position, I am done {bear}",
        "Bear market confirmed? {coin} crashed {pct}% overnight",
        "FOMO'd into {coin} at the top and now I am a bagholder {bear}",
        "Liquidations everywhere and {coin} keeps tanking. ngmi {bear}",
        "Whoever said {coin} can't dump this fast was wrong {bear}",
        "Panic selling {coin}, this is a bloodbath {bear}",
    ];

    private static readonly string[] NeutralTemplates =
    [
        "What is everyone's plan for {coin} this week?",
        "Daily discussion thread: {coin} price action",
        "Which exchange do you use to buy {coin}?",
        "Staking {coin} or keeping it on a hardware wallet?",
        "New here, how do {coin} transaction fees work?",
        "{coin} moving sideways again today",
        "Reminder to check your {coin} wallet backups",
        "Anyone watching the {coin} order book right now?",
    ];

    private static readonly string[] Coins = ["Bitcoin", "BTC", "ETH", "Ethereum", "SOL", "Solana"];

    private static readonly string[] BitcoinNames = ["Bitcoin", "BTC", "bitcoin"];

    private static readonly string[] BullishEmoji = ["🚀", "🚀🚀", "📈", "🌕", "💎🙌", ""];

    private static readonly string[] BearishEmoji = ["📉", "💀", "😭", "🩸", "📉📉", ""];

    private static readonly string[] NoEmoji = [""];

    private readonly MockMarketMood _mood;
    private readonly Random _random;
    private readonly Func<string, double> _scoreCompound;
    private readonly string[] _subreddits;
    private readonly double _meanGapSeconds;

    /// <param name="options">Rates and subreddits.</param>
    /// <param name="mood">The shared regime; its fear sets the share of bearish posts.</param>
    /// <param name="scoreCompound">
    /// Scores a post to a compound in [−1, 1]; defaults to <see cref="LexiconSentimentScorer.Default"/>, the
    /// scorer live posts go through. Tests pass their own to pin the mood mix independently of the lexicon.
    /// </param>
    public MockRedditGenerator(MockFeedOptions options, MockMarketMood mood, Func<string, double>? scoreCompound = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(mood);
        _mood = mood;
        _random = new Random(RandomDraws.DeriveSeed(mood.Seed, 3));
        _scoreCompound = scoreCompound ?? (text => LexiconSentimentScorer.Default.Score(text).Compound);
        _subreddits = [.. options.EffectiveSubreddits];
        _meanGapSeconds = 1.0 / options.RedditPostsPerSecond;
        NextPostAt = mood.Origin + NextGap();
    }

    /// <summary>When the next post appears; a feed waits until then.</summary>
    public DateTimeOffset NextPostAt { get; private set; }

    /// <summary>Every post stamped at or before <paramref name="now"/> not yet returned, in time order.</summary>
    public IReadOnlyList<SentimentSample> Advance(DateTimeOffset now)
    {
        var posts = new List<SentimentSample>();
        while (NextPostAt <= now)
        {
            var at = NextPostAt;
            var subreddit = _subreddits[_random.Next(_subreddits.Length)];
            var text = Compose(subreddit, _mood.FearAt(at));
            var compound = _scoreCompound(text);

            // The scorer is outside this class; a value it should never return must not reach the engine as NaN.
            compound = double.IsFinite(compound) ? Math.Clamp(compound, -1, 1) : 0;
            posts.Add(new SentimentSample("r/" + subreddit, compound, at, text, IsMock: true));
            NextPostAt = at + NextGap();
        }

        return posts;
    }

    /// <summary>Posts arrive every 0.8–1.2 × the mean gap: regular enough to read, irregular enough to look live.</summary>
    private TimeSpan NextGap() => RandomDraws.WholeMilliseconds(_meanGapSeconds * _random.NextUniform(0.8, 1.2));

    private string Compose(string subreddit, double fear)
    {
        // Calm: one post in five is bearish; full fear: four in five. The rest splits 60/40 bullish/neutral.
        var bearishShare = 0.2 + (0.6 * fear);
        var roll = _random.NextDouble();
        var (templates, emoji) = roll < bearishShare
            ? (BearishTemplates, BearishEmoji)
            : roll < bearishShare + ((1 - bearishShare) * 0.6)
                ? (BullishTemplates, BullishEmoji)
                : (NeutralTemplates, NoEmoji);

        var coins = subreddit.Equals("Bitcoin", StringComparison.OrdinalIgnoreCase) ? BitcoinNames : Coins;
        var text = Pick(templates)
            .Replace("{coin}", Pick(coins), StringComparison.Ordinal)
            .Replace("{pct}", _random.Next(3, 31).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{bull}", Pick(emoji), StringComparison.Ordinal)
            .Replace("{bear}", Pick(emoji), StringComparison.Ordinal)
            .TrimEnd();
        if (text.Length <= MaxTextLength)
        {
            return text;
        }

        // Never cut an emoji in half: a lone surrogate would not survive JSON encoding as the same text.
        var cut = char.IsHighSurrogate(text[MaxTextLength - 1]) ? MaxTextLength - 1 : MaxTextLength;
        return text[..cut];
    }

    private string Pick(string[] items) => items[_random.Next(items.Length)];
}
