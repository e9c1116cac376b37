using System.Buffers;
using System.Globalization;
using System.Text;

namespace RiskConsole.Core.Sentiment;

/// <summary>
/// Splits a post into <see cref="SentimentToken"/> slices for <see cref="LexiconSentimentScorer"/>, without making a string.
/// </summary>
internal static class SentimentTokenizer
{
    /// <summary>Longest word that is normalised (curly apostrophe to straight) before lookup.</summary>
    public const int MaxWordChars = 64;

    /// <summary>
    /// Splits on whitespace and punctuation. A word is letters/digits, keeping inner apostrophes and hyphens
    /// ("isn't", "sell-off") and inner decimal separators between digits ("3.125", "64,000"). Each emoji
    /// (a scalar of category OtherSymbol) is its own token; skin-tone modifiers, variation selectors and
    /// joiners are dropped. Counts '!' on the way.
    /// </summary>
    /// <remarks>A token has at least one char, so <paramref name="tokens"/> as long as the text always suffices.</remarks>
    public static int Tokenize(ReadOnlySpan<char> text, Span<SentimentToken> tokens, out int exclamations)
    {
        var count = 0;
        exclamations = 0;
        var onlyWhitespaceGap = true;
        var clauseStart = false;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsLetterOrDigit(c))
            {
                var start = i;
                var flags = ScanWord(text, ref i);
                AddToken(tokens, ref count, start, i - start, flags, onlyWhitespaceGap, clauseStart);
                onlyWhitespaceGap = true;
                clauseStart = false;
                continue;
            }

            if (Rune.DecodeFromUtf16(text[i..], out var rune, out var consumed) == OperationStatus.Done
                && Rune.GetUnicodeCategory(rune) == UnicodeCategory.OtherSymbol)
            {
                AddToken(tokens, ref count, i, consumed, SentimentTokenFlags.Emoji, onlyWhitespaceGap, clauseStart);
                onlyWhitespaceGap = true;
                clauseStart = false;
                i += consumed;
                continue;
            }

            if (!char.IsWhiteSpace(c))
            {
                onlyWhitespaceGap = false;
            }

            switch (c)
            {
                case '!':
                    exclamations++;
                    clauseStart = true;
                    break;
                case '.' or '?' or ';' or '\n' or '\r':
                    clauseStart = true;
                    break;
                default:
                    break;
            }

            i += Math.Max(consumed, 1);
        }

        return count;
    }

    /// <summary>Returns <paramref name="word"/> with curly apostrophes made straight ("don’t" → "don't").</summary>
    public static ReadOnlySpan<char> Normalize(ReadOnlySpan<char> word, Span<char> buffer)
    {
        if (word.IndexOf('\u2019') < 0 || word.Length > buffer.Length)
        {
            return word;
        }

        var copy = buffer[..word.Length];
        word.CopyTo(copy);
        copy.Replace('\u2019', '\'');
        return copy;
    }

    /// <summary>Moves <paramref name="i"/> from the first character of a word to just past its end; returns the word's flags.</summary>
    private static SentimentTokenFlags ScanWord(ReadOnlySpan<char> text, ref int i)
    {
        var letters = 0;
        var upper = 0;
        var lower = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsLetterOrDigit(c))
            {
                if (char.IsLetter(c))
                {
                    letters++;
                    if (char.IsUpper(c))
                    {
                        upper++;
                    }
                    else if (char.IsLower(c))
                    {
                        lower++;
                    }
                }

                i++;
            }
            else if (i + 1 < text.Length && char.IsLetterOrDigit(text[i + 1])
                     && (c is '\'' or '\u2019' or '-'
                         || (c is '.' or ',' && char.IsDigit(text[i - 1]) && char.IsDigit(text[i + 1]))))
            {
                i++;
            }
            else
            {
                break;
            }
        }

        var flags = SentimentTokenFlags.Word;
        if (letters >= 2 && lower == 0 && upper > 0)
        {
            flags |= SentimentTokenFlags.AllCaps;
        }

        if (lower > 0)
        {
            flags |= SentimentTokenFlags.HasLower;
        }

        return flags;
    }

    private static void AddToken(
        Span<SentimentToken> tokens, ref int count, int start, int length, SentimentTokenFlags flags, bool onlyWhitespaceGap, bool clauseStart)
    {
        if (count > 0 && onlyWhitespaceGap)
        {
            flags |= SentimentTokenFlags.JoinedByWhitespace;
        }

        if (clauseStart)
        {
            flags |= SentimentTokenFlags.ClauseStart;
        }

        tokens[count++] = new SentimentToken { Start = start, Length = length, Flags = flags };
    }
}
