namespace RiskConsole.Core.Sentiment;

/// <summary>Properties of one token, packed so a whole post's tokens fit in a small stack buffer.</summary>
[Flags]
internal enum SentimentTokenFlags : ushort
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

    /// <summary>Found in the lexicon with a non-zero valence (words, emoji and phrase starts).</summary>
    Matched = 1 << 8,
}

/// <summary>A token is a slice of the (length-capped) input; no string is made for it.</summary>
internal struct SentimentToken
{
    public int Start;
    public int Length;
    public SentimentTokenFlags Flags;

    public readonly bool Has(SentimentTokenFlags flag) => (Flags & flag) != 0;
}
