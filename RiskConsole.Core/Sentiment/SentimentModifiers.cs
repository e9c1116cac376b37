namespace RiskConsole.Core.Sentiment;

internal enum ModifierKind : byte
{
    None = 0,
    Negator,
    Booster,
    Dampener,
}

/// <summary>
/// Words that change the valence of the words after them instead of carrying sentiment themselves. The lists are
/// VADER's NEGATE and BOOSTER_DICT (Hutto &amp; Gilbert 2014; vaderSentiment 3.3), plus a few internet forms common in
/// Reddit posts ("insanely", "mega", "super", "nobody", "uh-uh").
/// </summary>
internal static class SentimentModifiers
{
    private static readonly Dictionary<string, ModifierKind> _words = Build();

    /// <summary>
    /// Acronyms that are written in capitals by convention. Capitals there are not shouting, so they get no
    /// ALL-CAPS emphasis ("New ATH today" is not louder than "new ath today").
    /// </summary>
    private static readonly HashSet<string> _acronyms = new(StringComparer.OrdinalIgnoreCase)
    {
        "ath", "atl", "hodl", "fud", "fomo", "wagmi", "ngmi", "lfg", "btfd", "dca", "lol", "lmao", "rofl", "omg", "wtf",
        "ftw", "imo", "imho", "tbh", "ama", "etf", "nft", "defi", "ok",
    };

    /// <summary>Written laughter: a reaction like an emoticon, not a word a negation or an intensifier applies to.</summary>
    private static readonly HashSet<string> _laughter = new(StringComparer.OrdinalIgnoreCase)
    {
        "lol", "lolz", "lulz", "lmao", "lmfao", "rofl", "roflmao", "haha", "hahaha", "hehe", "xd",
    };

    /// <summary>Every listed modifier word with its role.</summary>
    public static IReadOnlyDictionary<string, ModifierKind> Words => _words;

    /// <summary>The conventional acronyms (no shouting emphasis).</summary>
    public static IReadOnlyCollection<string> Acronyms => _acronyms;

    /// <summary>The forms of written laughter.</summary>
    public static IReadOnlyCollection<string> Laughter => _laughter;

    /// <summary>Any contraction ending in n't ("isn't", "shouldn't", "ain't") negates, listed or not.</summary>
    public static bool IsNegatedContraction(ReadOnlySpan<char> word) =>
        word.Length > 3 && word.EndsWith("n't", StringComparison.OrdinalIgnoreCase);

    private static Dictionary<string, ModifierKind> Build()
    {
        var map = new Dictionary<string, ModifierKind>(StringComparer.OrdinalIgnoreCase);

        // Negators: VADER's list. Contractions with n't are also caught by the suffix rule; the apostrophe-less
        // spellings are listed because posts often drop the apostrophe ("cant", "dont", "isnt"). "despite" is VADER's:
        // "despite good reviews" does not praise. "no" is here too, but the scorer gives a stand-alone "no" its lexicon
        // valence (vaderSentiment 3.3's rule, see LexiconSentimentScorer).
        string[] negators =
        [
            "not", "no", "never", "none", "nobody", "nothing", "nowhere", "neither", "nor", "nope", "without",
            "cannot", "rarely", "seldom", "despite", "uhuh", "uh-uh",
            "aint", "arent", "cant", "couldnt", "darent", "didnt", "doesnt", "dont", "hadnt", "hasnt", "havent",
            "isnt", "mightnt", "mustnt", "neednt", "oughtnt", "shant", "shouldnt", "wasnt", "werent", "wont",
            "wouldnt",
        ];

        // Intensifiers: raise the magnitude of the next sentiment word by VADER's 0.293.
        string[] boosters =
        [
            "absolutely", "amazingly", "awfully", "completely", "considerable", "considerably", "decidedly", "deeply",
            "effing", "enormous", "enormously", "entirely", "especially", "exceptional", "exceptionally", "extreme",
            "extremely", "fabulously", "flipping", "flippin", "frackin", "fracking", "fricking", "frickin", "frigging",
            "friggin", "fully", "fuckin", "fucking", "fuggin", "fugging", "greatly", "hella", "highly", "hugely",
            "incredibly", "insanely", "intensely", "major", "majorly", "mega", "more", "most", "particularly", "purely",
            "quite", "really", "remarkably", "so", "substantially", "super", "thoroughly", "total", "totally",
            "tremendous", "tremendously", "uber", "unbelievably", "unusually", "utter", "utterly", "very",
        ];

        // Dampeners: lower the magnitude of the next sentiment word. "kind of"/"sort of" are two words and are
        // recognised separately by the scorer.
        string[] dampeners =
        [
            "almost", "barely", "hardly", "kinda", "kindof", "kind-of", "less", "little", "marginal", "marginally",
            "occasional", "occasionally", "partly", "scarce", "scarcely", "slight", "slightly", "somewhat", "sorta",
            "sortof", "sort-of",
        ];

        foreach (var w in negators)
        {
            map[w] = ModifierKind.Negator;
        }

        foreach (var w in boosters)
        {
            map[w] = ModifierKind.Booster;
        }

        foreach (var w in dampeners)
        {
            map[w] = ModifierKind.Dampener;
        }

        return map;
    }
}
