using System.Buffers;
using System.Globalization;
using System.Text;

namespace RiskConsole.Core.Sentiment;

/// <summary>How many '!' and '?' a post has: VADER's punctuation emphasis.</summary>
internal readonly record struct PunctuationMarks(int Exclamations, int Questions);

/// <summary>
/// The lexicon's emoticons, and the longest run of letters in any of them ("sweet&lt;3" has five): a chunk with a
/// longer run ("@anonymous,") is a word with punctuation, so it is not looked up.
/// </summary>
internal readonly record struct EmoticonTable(Dictionary<string, double>.AlternateLookup<ReadOnlySpan<char>> Lookup, int MaxLetterRun)
{
    public static EmoticonTable Create(Dictionary<string, double> emoticons)
    {
        var maxRun = 0;
        foreach (var key in emoticons.Keys)
        {
            maxRun = Math.Max(maxRun, SentimentTokenizer.LongestLetterRun(key));
        }

        return new EmoticonTable(emoticons.GetAlternateLookup<ReadOnlySpan<char>>(), maxRun);
    }
}

/// <summary>
/// Splits a post into <see cref="SentimentToken"/> slices for <see cref="LexiconSentimentScorer"/>, without making a string.
/// </summary>
internal static class SentimentTokenizer
{
    /// <summary>Longest word that is looked up; longer runs of letters are no word any lexicon has.</summary>
    public const int MaxWordChars = 64;

    /// <summary>
    /// A whitespace-delimited chunk longer than this is not tried as an emoticon: the longest in VADER's lexicon is
    /// nine characters ("---'-;-{@", a rose), and trailing punctuation or a repeated last mark adds a few.
    /// </summary>
    private const int MaxEmoticonChunk = 16;

    /// <summary>'.', ',', '!', '?', ';': marks that may follow an emoticon ("so sad :(." or ":D!!") without being part of it.</summary>
    private static readonly SearchValues<char> _trailingPunctuation = SearchValues.Create(".,!?;");

    private static readonly EmoticonTable _noEmoticons = EmoticonTable.Create(new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase));

    /// <summary>Text without these needs no decoding, so <see cref="Normalize"/> is skipped for it.</summary>
    private static readonly SearchValues<char> _needsNormalizing = SearchValues.Create("&\u2018\u2019");

    /// <summary>
    /// Copies <paramref name="text"/> into <paramref name="destination"/> (at least as long), decoding the HTML entities
    /// that Reddit's JSON and most scraped feeds leave in titles (&amp;amp; &amp;lt; &amp;gt; &amp;quot; &amp;#39;
    /// &amp;apos;) and straightening curly apostrophes, so "&amp;lt;3" and "don’t" read as "&lt;3" and "don't".
    /// Returns the decoded length (never more than the input's).
    /// </summary>
    public static int Normalize(ReadOnlySpan<char> text, Span<char> destination)
    {
        if (!NeedsNormalizing(text))
        {
            text.CopyTo(destination);
            return text.Length;
        }

        var length = 0;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '&' && TryDecodeEntity(text[i..], out var decoded, out var consumed))
            {
                destination[length++] = decoded;
                i += consumed;
                continue;
            }

            destination[length++] = c is '\u2019' or '\u2018' ? '\'' : c;
            i++;
        }

        return length;
    }

    /// <summary>Whether <see cref="Normalize"/> would change <paramref name="text"/>: most posts have no entity or curly quote.</summary>
    public static bool NeedsNormalizing(ReadOnlySpan<char> text) => text.ContainsAny(_needsNormalizing);

    /// <summary>The longest run of consecutive letters in <paramref name="text"/>.</summary>
    public static int LongestLetterRun(ReadOnlySpan<char> text)
    {
        var longest = 0;
        var run = 0;
        foreach (var c in text)
        {
            run = char.IsLetter(c) ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }

        return longest;
    }

    /// <summary>Tokenizes without emoticons (tests of the word rules).</summary>
    public static int Tokenize(ReadOnlySpan<char> text, Span<SentimentToken> tokens, out PunctuationMarks marks) =>
        Tokenize(text, tokens, _noEmoticons, out marks);

    /// <summary>
    /// Splits on whitespace and punctuation. A whitespace-delimited chunk that is a lexicon emoticon (":D", "&lt;3",
    /// "o.O", also with trailing ".,!?;" or its last mark repeated: ":)))", "&lt;333") is one token. Otherwise a word is
    /// letters/digits, keeping inner apostrophes and hyphens ("isn't", "sell-off") and inner decimal separators between
    /// digits ("3.125", "64,000"); each emoji (a scalar of category OtherSymbol) is its own token; skin-tone modifiers,
    /// variation selectors and joiners are dropped. Counts '!' and '?' on the way.
    /// </summary>
    /// <remarks>A token has at least one char, so <paramref name="tokens"/> as long as the text always suffices.</remarks>
    public static int Tokenize(
        ReadOnlySpan<char> text,
        Span<SentimentToken> tokens,
        EmoticonTable emoticons,
        out PunctuationMarks marks)
    {
        var count = 0;
        var exclamations = 0;
        var questions = 0;
        var onlyWhitespaceGap = true;
        var clauseStart = false;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                clauseStart |= c is '\n' or '\r';
                i++;
                continue;
            }

            // Scan the whitespace-delimited chunk as words, emoji and punctuation; only a short chunk that had
            // punctuation can be an emoticon, and then its tokens are replaced by one.
            var chunkStart = i;
            var (countBefore, gapBefore, clauseBefore, exclamationsBefore, questionsBefore) =
                (count, onlyWhitespaceGap, clauseStart, exclamations, questions);
            var sawMark = ScanChunk(text, tokens, ref count, ref i, ref onlyWhitespaceGap, ref clauseStart, ref exclamations, ref questions);
            if (!sawMark || !TryMatchEmoticon(text[chunkStart..i], emoticons, out var emoticonLength))
            {
                continue;
            }

            (count, exclamations, questions) = (countBefore, exclamationsBefore, questionsBefore);
            AddToken(tokens, ref count, chunkStart, emoticonLength, SentimentTokenFlags.Emoticon, gapBefore, clauseBefore);
            onlyWhitespaceGap = true;
            clauseStart = false;
            foreach (var mark in text[(chunkStart + emoticonLength)..i])
            {
                CountMark(mark, ref exclamations, ref questions, ref clauseStart);
            }
        }

        marks = new PunctuationMarks(exclamations, questions);
        return count;
    }

    /// <summary>
    /// Words, emoji and punctuation of one chunk, from <paramref name="i"/> to the next whitespace. Returns whether
    /// the chunk had punctuation or symbols other than the apostrophes and hyphens inside words.
    /// </summary>
    private static bool ScanChunk(
        ReadOnlySpan<char> text,
        Span<SentimentToken> tokens,
        ref int count,
        ref int i,
        ref bool onlyWhitespaceGap,
        ref bool clauseStart,
        ref int exclamations,
        ref int questions)
    {
        var sawMark = false;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsLetterOrDigit(c))
            {
                var start = i;
                var flags = ScanWord(text, ref i);
                if (i - start == 1)
                {
                    flags |= SentimentTokenFlags.Minor;
                }

                AddToken(tokens, ref count, start, i - start, flags, onlyWhitespaceGap, clauseStart);
                onlyWhitespaceGap = true;
                clauseStart = false;
                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                break;
            }

            sawMark = true;
            if (c >= '\u00A0'
                && Rune.DecodeFromUtf16(text[i..], out var rune, out var consumed) == OperationStatus.Done
                && Rune.GetUnicodeCategory(rune) == UnicodeCategory.OtherSymbol)
            {
                AddToken(tokens, ref count, i, consumed, SentimentTokenFlags.Emoji, onlyWhitespaceGap, clauseStart);
                onlyWhitespaceGap = true;
                clauseStart = false;
                i += consumed;
                continue;
            }

            onlyWhitespaceGap = false;
            CountMark(c, ref exclamations, ref questions, ref clauseStart);
            i++;
        }

        return sawMark;
    }

    private static void CountMark(char c, ref int exclamations, ref int questions, ref bool clauseStart)
    {
        switch (c)
        {
            case '!':
                exclamations++;
                clauseStart = true;
                break;
            case '?':
                questions++;
                clauseStart = true;
                break;
            case '.' or ';':
                clauseStart = true;
                break;
            default:
                break;
        }
    }

    /// <summary>
    /// Whether <paramref name="chunk"/> is a lexicon emoticon, as written, without trailing ".,!?;", or with its last
    /// mark repeated (":)))", "=(((", "&lt;3333"); <paramref name="length"/> is the part that matched.
    /// </summary>
    private static bool TryMatchEmoticon(ReadOnlySpan<char> chunk, EmoticonTable table, out int length)
    {
        length = 0;
        if (chunk.Length < 2 || chunk.Length > MaxEmoticonChunk)
        {
            return false;
        }

        var trimmed = chunk;
        while (trimmed.Length > 2 && _trailingPunctuation.Contains(trimmed[^1]))
        {
            trimmed = trimmed[..^1];
        }

        // "day." or "great!!" is a word with punctuation after it: every emoticon has a mark before any trailing
        // ".,!?;" (the one exception, "d;", is two characters and so never trimmed).
        if (!HasMark(trimmed) || LongestLetterRun(trimmed) > table.MaxLetterRun)
        {
            return false;
        }

        var emoticons = table.Lookup;
        if (emoticons.ContainsKey(chunk))
        {
            length = chunk.Length;
            return true;
        }

        if (trimmed.Length < chunk.Length && emoticons.ContainsKey(trimmed))
        {
            length = trimmed.Length;
            return true;
        }

        var last = trimmed.Length - 1;
        while (last > 1 && trimmed[last - 1] == trimmed[^1])
        {
            last--;
        }

        if (last < trimmed.Length - 1 && emoticons.ContainsKey(trimmed[..(last + 1)]))
        {
            length = last + 1;
            return true;
        }

        return false;
    }

    /// <summary>Emoticons have at least one character that is neither a letter nor a digit; words ("xD") are looked up as words.</summary>
    private static bool HasMark(ReadOnlySpan<char> chunk)
    {
        foreach (var c in chunk)
        {
            if (!char.IsLetterOrDigit(c))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Decodes the entity at the start of <paramref name="text"/> if it is one of the few feeds use.</summary>
    private static bool TryDecodeEntity(ReadOnlySpan<char> text, out char decoded, out int consumed)
    {
        (decoded, consumed) = text switch
        {
            _ when text.StartsWith("&amp;", StringComparison.Ordinal) => ('&', 5),
            _ when text.StartsWith("&lt;", StringComparison.Ordinal) => ('<', 4),
            _ when text.StartsWith("&gt;", StringComparison.Ordinal) => ('>', 4),
            _ when text.StartsWith("&quot;", StringComparison.Ordinal) => ('"', 6),
            _ when text.StartsWith("&#39;", StringComparison.Ordinal) => ('\'', 5),
            _ when text.StartsWith("&apos;", StringComparison.Ordinal) => ('\'', 6),
            _ => ('\0', 0),
        };
        return consumed > 0;
    }

    /// <summary>Moves <paramref name="i"/> from the first character of a word to just past its end; returns the word's flags.</summary>
    private static SentimentTokenFlags ScanWord(ReadOnlySpan<char> text, ref int i)
    {
        var letters = 0;
        var upper = 0;
        var lower = 0;
        var run = 0;
        var elongated = false;
        var previous = '\0';
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

                    var folded = char.IsAscii(c) ? (char)(c | 0x20) : char.ToLowerInvariant(c);
                    run = folded == previous ? run + 1 : 1;
                    elongated |= run >= 3;
                    previous = folded;
                }
                else
                {
                    run = 0;
                    previous = '\0';
                }

                i++;
            }
            else if (i + 1 < text.Length && char.IsLetterOrDigit(text[i + 1])
                     && (c is '\'' or '-'
                         || (c is '.' or ',' && char.IsDigit(text[i - 1]) && char.IsDigit(text[i + 1]))))
            {
                run = 0;
                previous = '\0';
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

        if (elongated)
        {
            flags |= SentimentTokenFlags.Elongated;
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
