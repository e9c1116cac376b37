using static RiskConsole.Core.Sentiment.LexiconSentimentScorer;

namespace RiskConsole.Core.Sentiment;

/// <summary>
/// The second pass of <see cref="LexiconSentimentScorer"/>: shapes each matched valence by shouting (ALL CAPS) and by
/// the intensifiers, dampeners and negations in the <see cref="ModifierWindow"/> tokens before it.
/// </summary>
internal static class ModifierPass
{
    public static void Apply(ReadOnlySpan<char> text, ReadOnlySpan<SentimentToken> tokens, Span<double> valences)
    {
        Span<char> wordBuffer = stackalloc char[SentimentTokenizer.MaxWordChars];
        var capsDiffer = MixesCapitalsAndLowerCase(tokens);
        for (var i = 0; i < tokens.Length; i++)
        {
            var valence = valences[i];
            if (valence == 0)
            {
                continue;
            }

            var token = tokens[i];
            if (token.Has(SentimentTokenFlags.Emoji))
            {
                // Emoji are reactions to the whole post, usually trailing it ("support isn't answering 📉"),
                // not part of the clause before them, so negations and intensifiers do not reach them.
                continue;
            }

            if (capsDiffer && token.Has(SentimentTokenFlags.AllCaps)
                && !SentimentModifiers.IsConventionalAcronym(text.Slice(token.Start, token.Length)))
            {
                valence += valence > 0 ? CapsEmphasis : -CapsEmphasis;
            }

            valences[i] = ApplyModifiers(text, tokens, i, valence, capsDiffer, wordBuffer);
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

    private static double ApplyModifiers(
        ReadOnlySpan<char> text, ReadOnlySpan<SentimentToken> tokens, int index, double valence, bool capsDiffer, Span<char> wordBuffer)
    {
        var result = valence;
        for (var distance = 1; distance <= ModifierWindow; distance++)
        {
            // Modifiers do not reach across sentence punctuation: "Not sure. Great team" is positive.
            if (tokens[index - distance + 1].Has(SentimentTokenFlags.ClauseStart))
            {
                break;
            }

            var j = index - distance;
            if (j < 0)
            {
                break;
            }

            var kind = ModifierAt(text, tokens, j, wordBuffer);
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

                    step *= distance switch
                    {
                        1 => 1.0,
                        2 => BoosterDistance2,
                        _ => BoosterDistance3,
                    };
                    result += valence > 0 ? step : -step;
                    break;
                }

                case ModifierKind.Negator:
                    result *= NegationScalar;
                    break;

                case ModifierKind.None:
                default:
                    break;
            }
        }

        return result;
    }

    private static ModifierKind ModifierAt(ReadOnlySpan<char> text, ReadOnlySpan<SentimentToken> tokens, int j, Span<char> wordBuffer)
    {
        var token = tokens[j];
        if (!token.Has(SentimentTokenFlags.Word))
        {
            return ModifierKind.None;
        }

        var word = SentimentTokenizer.Normalize(text.Slice(token.Start, token.Length), wordBuffer);

        // "kind of" / "sort of" damp like "kinda" (AFINN lists "kind of" as a 0-valued phrase, so it may be InPhrase).
        if (word.Equals("of", StringComparison.OrdinalIgnoreCase) && j > 0
            && !token.Has(SentimentTokenFlags.ClauseStart) && tokens[j - 1].Has(SentimentTokenFlags.Word))
        {
            var before = text.Slice(tokens[j - 1].Start, tokens[j - 1].Length);
            if (before.Equals("kind", StringComparison.OrdinalIgnoreCase) || before.Equals("sort", StringComparison.OrdinalIgnoreCase))
            {
                return ModifierKind.Dampener;
            }
        }

        // Words of a matched phrase ("not good", "no fun") already carry their meaning in the phrase valence.
        return token.Has(SentimentTokenFlags.InPhrase) ? ModifierKind.None : SentimentModifiers.Classify(word);
    }
}
