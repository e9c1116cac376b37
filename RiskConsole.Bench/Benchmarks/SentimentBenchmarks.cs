using BenchmarkDotNet.Attributes;
using RiskConsole.Core.Sentiment;

namespace RiskConsole.Bench.Benchmarks;

/// <summary>
/// Time and allocation per post of <see cref="LexiconSentimentScorer.Default"/>. Run with
/// <c>dotnet run -c Release --project RiskConsole.Bench -- sentiment</c> (BenchmarkDotNet arguments may follow, e.g.
/// <c>--job short</c>). With <c>RISKCONSOLE_SENTIMENT_GROUND_TRUTH</c> pointing at VADER's tweets_GroundTruth.txt the
/// corpus benchmark scores those 4,200 texts, the set the reference VADER was timed on; otherwise it cycles the
/// built-in posts below. Results are per post: each corpus invocation scores <see cref="CorpusSize"/> posts.
/// </summary>
[MemoryDiagnoser]
public class SentimentBenchmarks
{
    /// <summary>The size of VADER's tweet set; the corpus benchmark always scores this many posts.</summary>
    public const int CorpusSize = 4200;

    /// <summary>Reddit-style crypto posts of the lengths and shapes the live feed carries (titles, short selftext).</summary>
    private static readonly string[] SamplePosts =
    [
        "Bitcoin is looking VERY bullish, not worried about this dip at all!! 🚀🚀",
        "Got liquidated on my long, the exchange froze withdrawals and support isn't answering 📉",
        "ETH ETF approved!!! Huge day for crypto",
        "This is not a bad entry point at all",
        "Good team but the token keeps dumping, terrible :(",
        "What is everyone's plan for SOL this week?",
        "Rekt again. Down 27% on BTC in an hour 💀",
        "Finally in profit after holding for two years, feels amazing :D",
        "Daily discussion thread: Ethereum price action",
        "Capitulation incoming, Solana is bleeding out 😭",
        "I don't think this rally is real, looks like a dead cat bounce to me",
        "Fees are insanely high and confirmations are slow. Kinda annoyed tbh",
        "New ATH today, congrats to everyone who held <3",
        "Stop selling and HODL. Bitcoin is just getting started 🚀",
        "Whoever said ETH can't dump this fast was wrong 🩸",
        "Which exchange do you use to buy BTC?",
    ];

    private readonly LexiconSentimentScorer _scorer = LexiconSentimentScorer.Default;
    private string[] _corpus = [];
    private string _longPost = "";

    [GlobalSetup]
    public void Setup()
    {
        var path = Environment.GetEnvironmentVariable("RISKCONSOLE_SENTIMENT_GROUND_TRUTH");
        var texts = !string.IsNullOrWhiteSpace(path) && File.Exists(path)
            ? [.. File.ReadLines(path).Where(l => l.Length > 0).Select(l => l.Split('\t', 3)[2])]
            : SamplePosts;
        _corpus = [.. Enumerable.Range(0, CorpusSize).Select(i => texts[i % texts.Length])];
        _longPost = string.Concat(Enumerable.Repeat("The rally is strong but fees are insanely high and I'm kinda worried. ", 20));
        Console.WriteLine(ReferenceEquals(texts, SamplePosts)
            ? $"corpus: {SamplePosts.Length} built-in posts cycled to {CorpusSize}"
            : $"corpus: {CorpusSize} texts of {path}");
    }

    /// <summary>An 84-character post with caps, negation, "!!" and emoji.</summary>
    [Benchmark(Baseline = true)]
    public double TypicalPost() => _scorer.Score(SamplePosts[0]).Compound;

    /// <summary>A 1,400-character selftext: more tokens than the stack buffer holds, so the pooled path.</summary>
    [Benchmark]
    public double LongPost() => _scorer.Score(_longPost).Compound;

    /// <summary>Mean over the corpus, reported per post.</summary>
    [Benchmark(OperationsPerInvoke = CorpusSize)]
    public double Corpus()
    {
        double sum = 0;
        foreach (var post in _corpus)
        {
            sum += _scorer.Score(post).Compound;
        }

        return sum;
    }
}
