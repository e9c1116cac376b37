using static RiskConsole.Core.Sentiment.LexiconSentimentScorer;

namespace RiskConsole.Core.Sentiment;

/// <summary>
/// The second pass of <see cref="LexiconSentimentScorer"/>: shapes each matched valence by shouting (ALL CAPS), by
/// the intensifiers, dampeners and negations in the <see cref="ModifierWindow"/> tokens before it, and by "least".
/// </summary>
internal static class ModifierPass
{
    public static void Apply(ReadOnlySpan<char> text, ReadOnlySpan<SentimentToken> tokens, Span<double> valences)
    {
        var capsDiffer = MixesCapitalsAndLowerCase(tokens);
        Span<int> windowBuffer = stackalloc int[ModifierWindow];
        for (var i = 0; i < tokens.Length; i++)
        {
            var valence = valences[i];
            if (valence == 0)
            {
                continue;
            }

            var token = tokens[i];
            if (token.IsReaction)
            {
                // Emoji, emoticons and written laughter are reactions to the whole post, usually trailing it
                // ("support isn't answering 📉", "I don't know :(", "IM NOT THE LATTER LOL"), not part of the clause
                // before them, so negations and intensifiers do not reach them. (VADER negates ":(" and "LOL" there.)
                continue;
            }

            if (capsDiffer && token.Has(SentimentTokenFlags.AllCaps) && !token.Has(SentimentTokenFlags.Acronym))
            {
                valence += valence > 0 ? CapsEmphasis : -CapsEmphasis;
            }

            var window = windowBuffer[..CollectWindow(tokens, i, windowBuffer)];
            valence = ApplyModifiers(text, tokens, window, valence, capsDiffer);
            valences[i] = ApplyLeast(text, tokens, window, valence);
        }
    }

    /// <summary>Caps emphasis only counts when the post mixes capitals and lower case.</summary>
    private static bool MixesCapitalsAndLowerCase(ReadOnlySpan<SentimentToken> tokens)
    {
        var capsWords = 0;
        var lowerWords = 0;
        foreach (var token in tokens)
        {
            if (token.Has(SentimentTokenFlags.AllCaps))
            {
                capsWords++;
            }
            else if (token.Has(SentimentTokenFlags.HasLower))
            {
                lowerWords++;
            }
        }

        return capsWords > 0 && lowerWords > 0;
    }

    /// <summary>
    /// The up to <see cref="ModifierWindow"/> words before <paramref name="index"/> that can modify it, nearest first:
    /// within its clause (modifiers do not reach across sentence punctuation: "Not sure. Great team" is positive),
    /// not past an earlier sentiment word, and not counting one-character words.
    /// </summary>
    private static int CollectWindow(ReadOnlySpan<SentimentToken> tokens, int index, Span<int> window)
    {
        var count = 0;
        for (var j = index - 1; j >= 0 && count < window.Length; j--)
        {
            if (tokens[j + 1].Has(SentimentTokenFlags.ClauseStart))
            {
                break;
            }

            // A modifier belongs to the first sentiment word after it: in "don't care don't care" each "care" is
            // negated once, by its own "don't", not again by the one before the previous "care" (VADER's window
            // skips over the earlier sentiment word and flips the second "care" back to positive).
            if (tokens[j].Has(SentimentTokenFlags.Matched))
            {
                break;
            }

            if (!tokens[j].Has(SentimentTokenFlags.Minor))
            {
                window[count++] = j;
            }
        }

        return count;
    }

    private static double ApplyModifiers(
        ReadOnlySpan<char> text, ReadOnlySpan<SentimentToken> tokens, ReadOnlySpan<int> window, double valence, bool capsDiffer)
    {
        var result = valence;
        for (var d = 0; d < window.Length; d++)
        {
            var j = window[d];
            var kind = ModifierAt(tokens, j);
            switch (kind)
            {
                case ModifierKind.Booster:
                case ModifierKind.Dampener:
                {
                    // The step moves away from zero for a booster and towards zero for a dampener, whatever
                    // the sign of the word (VADER's scalar_inc_dec).
                    var step = kind == ModifierKind.Booster ? BoosterStep : -BoosterStep;
                    if (capsDiffer && tokens[j].Has(SentimentTokenFlags.AllCaps))
                    {
                        step += kind == ModifierKind.Booster ? CapsEmphasis : -CapsEmphasis;
                    }

                    step *= d switch
                    {
                        0 => 1.0,
                        1 => BoosterDistance2,
                        _ => BoosterDistance3,
                    };
                    result += valence > 0 ? step : -step;
                    break;
                }

                case ModifierKind.Negator:
                    result *= NegationFactor(text, tokens, window, d);
                    break;

                case ModifierKind.None:
                default:
                    break;
            }
        }

        return result;
    }

    /// <summary>
    /// -0.74 for the negation at <c>window[d]</c>, with VADER's exceptions: "never so good" / "never this happy", and a
    /// negation three words back when "so" or "this" stands right before the word ("haven't been this sore"), are
    /// emphasis (× 1.25); "without doubt" affirms; and a negation followed by a comma is an answer, not a scope
    /// ("Nope, still clueless", "No, that's great").
    /// </summary>
    private static double NegationFactor(ReadOnlySpan<char> text, ReadOnlySpan<SentimentToken> tokens, ReadOnlySpan<int> window, int d)
    {
        // The negation is in the window of a later word, so a token follows it.
        var negator = tokens[window[d]];
        var next = tokens[window[d] + 1];
        if (text[(negator.Start + negator.Length)..next.Start].Contains(','))
        {
            return 1.0;
        }

        var negation = Word(text, negator);
        if (d >= 1)
        {
            var after = Word(text, tokens[window[d - 1]]);
            if (negation.Equals("never", StringComparison.OrdinalIgnoreCase) && IsSoOrThis(after))
            {
                return NeverSoScalar;
            }

            if (negation.Equals("without", StringComparison.OrdinalIgnoreCase) && after.Equals("doubt", StringComparison.OrdinalIgnoreCase))
            {
                return 1.0;
            }
        }

        return d == ModifierWindow - 1 && IsSoOrThis(Word(text, tokens[window[0]])) ? NeverSoScalar : NegationScalar;
    }

    private static bool IsSoOrThis(ReadOnlySpan<char> word) =>
        word.Equals("so", StringComparison.OrdinalIgnoreCase) || word.Equals("this", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// "least" right before a sentiment word negates it ("the least compelling"), except in "at least" and "very
    /// least" (VADER's least_check).
    /// </summary>
    private static double ApplyLeast(ReadOnlySpan<char> text, ReadOnlySpan<SentimentToken> tokens, ReadOnlySpan<int> window, double valence)
    {
        if (window.Length == 0 || !Word(text, tokens[window[0]]).Equals("least", StringComparison.OrdinalIgnoreCase))
        {
            return valence;
        }

        if (window.Length >= 2)
        {
            var before = Word(text, tokens[window[1]]);
            if (before.Equals("at", StringComparison.OrdinalIgnoreCase) || before.Equals("very", StringComparison.OrdinalIgnoreCase))
            {
                return valence;
            }
        }

        return valence * NegationScalar;
    }

    private static ReadOnlySpan<char> Word(ReadOnlySpan<char> text, SentimentToken token) =>
        token.Has(SentimentTokenFlags.Word) ? text.Slice(token.Start, token.Length) : [];

    /// <summary>
    /// The modifier role the lexicon pass found for token <paramref name="j"/>. Words of a matched phrase ("bus stop",
    /// "in the red") already carry their meaning in the phrase valence.
    /// </summary>
    private static ModifierKind ModifierAt(ReadOnlySpan<SentimentToken> tokens, int j) =>
        tokens[j].Has(SentimentTokenFlags.InPhrase) ? ModifierKind.None : tokens[j].Modifier;
}
