namespace RiskConsole.Core.Sentiment;

/// <summary>Properties of one token, packed so a whole post's tokens fit in a small stack buffer.</summary>
[Flags]
internal enum SentimentTokenFlags : uint
{
    None = 0,

    /// <summary>Letters/digits, possibly with inner apostrophes, hyphens or decimal separators.</summary>
    Word = 1 << 0,

    /// <summary>A single pictographic symbol (one Unicode scalar of category OtherSymbol).</summary>
    Emoji = 1 << 1,

    /// <summary>At least two letters and none of them lower case ("GREAT", "BTC").</summary>
    AllCaps = 1 << 2,

    /// <summary>Contains at least one lower-case letter.</summary>
    HasLower = 1 << 3,

    /// <summary>Only whitespace separates this token from the previous one, so a phrase may span the two.</summary>
    JoinedByWhitespace = 1 << 4,

    /// <summary>Sentence punctuation (. ! ? ; or a line break) precedes this token: modifiers before it do not reach it.</summary>
    ClauseStart = 1 << 5,

    /// <summary>Part of a matched multi-word phrase; it is not read as a modifier of later words.</summary>
    InPhrase = 1 << 6,

    /// <summary>A later word of a matched phrase: its valence was counted on the phrase's first word.</summary>
    Consumed = 1 << 7,

    /// <summary>Found in the lexicon with a non-zero valence (words, phrases, emoji and emoticons).</summary>
    Matched = 1 << 8,

    /// <summary>A lexicon emoticon made of punctuation and letters (":D", ":-(", "&lt;3", "o.O"), matched as a whole.</summary>
    Emoticon = 1 << 9,

    /// <summary>A letter is repeated three or more times ("sooo", "yaaay"): found in the lexicon only once the run is shortened.</summary>
    Elongated = 1 << 10,

    /// <summary>
    /// A one-character word ("a", "I", "5"): VADER's tokenizer drops these, so they neither count as a step of the
    /// modifier window ("wouldn't be such a bad idea" negates "bad") nor as neutral words.
    /// </summary>
    Minor = 1 << 11,

    /// <summary>Written laughter ("lol", "haha"): a reaction like an emoticon, not reached by modifiers.</summary>
    Laughter = 1 << 12,

    /// <summary>The word negates the sentiment words after it ("not", "never", "isn't").</summary>
    Negator = 1 << 13,

    /// <summary>The word intensifies the sentiment words after it ("very", "so").</summary>
    Booster = 1 << 14,

    /// <summary>The word dampens the sentiment words after it ("slightly", "kinda", "of" in "kind of").</summary>
    Dampener = 1 << 15,

    /// <summary>An acronym written in capitals by convention ("ATH", "LOL"): its capitals are not shouting.</summary>
    Acronym = 1 << 16,
}

/// <summary>A token is a slice of the (normalised, length-capped) input; no string is made for it.</summary>
internal struct SentimentToken
{
    public int Start;
    public int Length;
    public SentimentTokenFlags Flags;

    public readonly bool Has(SentimentTokenFlags flag) => (Flags & flag) != 0;

    /// <summary>Emoji and emoticons are looked up as symbols, not as words.</summary>
    public readonly bool IsSymbol => (Flags & (SentimentTokenFlags.Emoji | SentimentTokenFlags.Emoticon)) != 0;

    /// <summary>Emoji, emoticons and written laughter are reactions to the whole post, not words of a clause.</summary>
    public readonly bool IsReaction => (Flags & (SentimentTokenFlags.Emoji | SentimentTokenFlags.Emoticon | SentimentTokenFlags.Laughter)) != 0;

    /// <summary>The modifier role found for this word by the lexicon pass.</summary>
    public readonly ModifierKind Modifier => (Flags & (SentimentTokenFlags.Negator | SentimentTokenFlags.Booster | SentimentTokenFlags.Dampener)) switch
    {
        SentimentTokenFlags.Negator => ModifierKind.Negator,
        SentimentTokenFlags.Booster => ModifierKind.Booster,
        SentimentTokenFlags.Dampener => ModifierKind.Dampener,
        _ => ModifierKind.None,
    };

    public static SentimentTokenFlags FlagOf(ModifierKind kind) => kind switch
    {
        ModifierKind.Negator => SentimentTokenFlags.Negator,
        ModifierKind.Booster => SentimentTokenFlags.Booster,
        ModifierKind.Dampener => SentimentTokenFlags.Dampener,
        _ => SentimentTokenFlags.None,
    };
}
