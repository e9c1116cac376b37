namespace RiskConsole.Core.Sentiment;

/// <summary>What the scorer knows about a single word besides its valence.</summary>
[Flags]
internal enum WordTraits : byte
{
    None = 0,

    /// <summary>The word is in the lexicon (its valence may still be 0: "support" in a crypto post).</summary>
    HasValence = 1 << 0,

    /// <summary>A lexicon phrase starts with this word ("the" of "the shit", "rug" of "rug pull").</summary>
    StartsPhrase = 1 << 1,

    /// <summary>Written laughter ("lol", "haha").</summary>
    Laughter = 1 << 2,

    /// <summary>Written in capitals by convention ("ATH", "LOL").</summary>
    Acronym = 1 << 3,
}

/// <summary>
/// One entry per known word: its valence, its role as a modifier and its traits, so that scoring a word takes one
/// dictionary lookup instead of one per list.
/// </summary>
internal readonly record struct WordEntry(double Valence, ModifierKind Modifier, WordTraits Traits)
{
    public bool Has(WordTraits trait) => (Traits & trait) != 0;
}
