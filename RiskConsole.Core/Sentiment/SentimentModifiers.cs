namespace RiskConsole.Core.Sentiment;

internal enum ModifierKind : byte
{
    None = 0,
    Negator,
    Booster,
    Dampener,
}

/// <summary>
/// Words that change the valence of the words after them instead of carrying sentiment themselves.
/// The lists follow VADER's NEGATE and BOOSTER_DICT (Hutto &amp; Gilbert, 2014), plus a few internet forms
/// ("insanely", "hella", "kinda", "cant") that are common in Reddit posts.
/// </summary>
internal static class SentimentModifiers
{
    private static readonly Dictionary<string, ModifierKind> _words = Build();

    private static readonly Dictionary<string, ModifierKind>.AlternateLookup<ReadOnlySpan<char>> _lookup =
        _words.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>
    /// Acronyms that are written in capitals by convention. Capitals there are not shouting, so they get no
    /// ALL-CAPS emphasis ("New ATH today" is not louder than "new ath today").
    /// </summary>
    private static readonly HashSet<string> _acronyms = new(StringComparer.OrdinalIgnoreCase)
    {
        "ath", "atl", "hodl", "fud", "fomo", "wagmi", "ngmi", "lfg", "btfd", "dca", "lol", "lmao", "rofl",
        "omg", "wtf", "ftw", "imo", "imho", "tbh", "ama", "etf", "nft", "defi", "ok",
    };

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _acronymLookup =
        _acronyms.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Role of <paramref name="word"/> (apostrophes already normalised to ').</summary>
    public static ModifierKind Classify(ReadOnlySpan<char> word)
    {
        if (_lookup.TryGetValue(word, out var kind))
        {
            return kind;
        }

        // Any contraction ending in n't ("isn't", "shouldn't", "ain't") negates.
        return word.Length > 3 && word.EndsWith("n't", StringComparison.OrdinalIgnoreCase)
            ? ModifierKind.Negator
            : ModifierKind.None;
    }

    public static bool IsConventionalAcronym(ReadOnlySpan<char> word) => _acronymLookup.Contains(word);

    private static Dictionary<string, ModifierKind> Build()
    {
        var map = new Dictionary<string, ModifierKind>(StringComparer.OrdinalIgnoreCase);

        // Negators. Contractions with n't are also caught by the suffix rule; the apostrophe-less spellings
        // are listed because posts often drop the apostrophe ("cant", "dont", "isnt").
        string[] negators =
        [
            "not", "no", "never", "none", "nobody", "nothing", "nowhere", "neither", "nor", "nope", "without",
            "cannot", "rarely", "seldom", "uhuh", "uh-uh",
            "aint", "arent", "cant", "couldnt", "darent", "didnt", "doesnt", "dont", "hadnt", "hasnt", "havent",
            "isnt", "mightnt", "mustnt", "neednt", "oughtnt", "shant", "shouldnt", "wasnt", "werent", "wont",
            "wouldnt",
        ];

        // Intensifiers: raise the magnitude of the next sentiment word.
        string[] boosters =
        [
            "absolutely", "amazingly", "awfully", "completely", "considerably", "decidedly", "deeply", "effing",
            "enormously", "entirely", "especially", "exceptionally", "extremely", "fabulously", "flipping",
            "flippin", "fricking", "frickin", "frigging", "friggin", "fully", "fucking", "greatly", "hella",
            "highly", "hugely", "incredibly", "insanely", "intensely", "majorly", "massively", "mega", "more",
            "most", "particularly", "purely", "quite", "really", "remarkably", "so", "substantially", "super",
            "thoroughly", "totally", "tremendously", "uber", "unbelievably", "unusually", "utterly", "very",
        ];

        // Dampeners: lower the magnitude of the next sentiment word. "kind of"/"sort of" are two words and
        // are recognised separately by the scorer.
        string[] dampeners =
        [
            "almost", "barely", "hardly", "kinda", "kindof", "kind-of", "less", "little", "marginally",
            "occasionally", "partly", "scarcely", "slightly", "somewhat", "sorta", "sortof", "sort-of",
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
