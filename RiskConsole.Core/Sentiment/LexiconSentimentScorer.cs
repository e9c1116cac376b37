using System.Buffers;

namespace RiskConsole.Core.Sentiment;

/// <summary>
/// VADER lexicon scorer for short social posts (Reddit titles and selftext about crypto): VADER's lexicon and rules
/// (Hutto &amp; Gilbert, ICWSM 2014) plus crypto slang, with a few deliberate differences documented in docs/sentiment.md.
/// Instances are immutable after construction and safe to use from many threads at once.
/// <see cref="Score"/> never throws and, once the shared array pool is warm, allocates nothing.
/// </summary>
public sealed class LexiconSentimentScorer
{
    /// <summary>
    /// Only the first 2,000 characters are scored. Titles are at most 300 characters and the opening of a
    /// selftext carries its tone; the cap bounds the work per post and the size of the scratch buffers.
    /// </summary>
    public const int MaxScoredChars = 2000;

    /// <summary>
    /// Added to (or, for negative words, subtracted from) a word's valence per intensifier, and the reverse per
    /// dampener. VADER's B_INCR/B_DECR, fitted by its authors against human raters.
    /// </summary>
    internal const double BoosterStep = 0.293;

    /// <summary>
    /// An intensifier two or three words back still counts, but less: VADER scales it by 0.95 and 0.9.
    /// </summary>
    internal const double BoosterDistance2 = 0.95;

    internal const double BoosterDistance3 = 0.9;

    /// <summary>
    /// A negation in the previous three words multiplies the valence by -0.74 (VADER's N_SCALAR): it flips the sign
    /// and weakens it, since "not good" is less negative than "bad" is.
    /// </summary>
    internal const double NegationScalar = -0.74;

    /// <summary>"never so good", "never this happy": VADER reads "never" before "so"/"this" as emphasis, × 1.25.</summary>
    internal const double NeverSoScalar = 1.25;

    /// <summary>How many words back a negation or an intensifier reaches (VADER's window).</summary>
    internal const int ModifierWindow = 3;

    /// <summary>
    /// A sentiment word in ALL CAPS in a post that is not all caps is shouted: VADER's C_INCR of 0.733 is added
    /// in the direction of its sign. A post written entirely in capitals gets nothing, as there is no contrast.
    /// </summary>
    internal const double CapsEmphasis = 0.733;

    /// <summary>
    /// Each '!' adds 0.292 to the magnitude of the total, up to four of them (VADER's measured effect flattens
    /// out after that, and "!!!!!!!!" should not swamp the words).
    /// </summary>
    internal const double ExclamationStep = 0.292;

    internal const int MaxExclamations = 4;

    /// <summary>
    /// Two or three '?' add 0.18 each to the magnitude ("really??" is more than "really?"), four or more add 0.96;
    /// a single question mark adds nothing. VADER's measured values.
    /// </summary>
    internal const double QuestionStep = 0.18;

    internal const int MaxQuestionSteps = 3;

    internal const double ManyQuestionsEmphasis = 0.96;

    /// <summary>
    /// "but" shifts the weight of a sentence to what follows it: "good team but the token keeps dumping" reads
    /// negative. VADER halves the words before the first "but" and weights the words after by 1.5.
    /// </summary>
    internal const double BeforeButWeight = 0.5;

    internal const double AfterButWeight = 1.5;

    /// <summary>
    /// compound = x / sqrt(x² + 15). VADER's alpha of 15 approximates the maximum expected sum for short texts,
    /// so one strong word lands around ±0.5-0.7 and several saturate near ±1.
    /// </summary>
    internal const double NormalizationAlpha = 15.0;

    /// <summary>Custom lexicon values beyond ±100 are rejected: they can only be mistakes, and the bound keeps every sum finite.</summary>
    internal const double MaxAbsValence = 100.0;

    /// <summary>Posts up to this many characters are scored on the stack; longer ones rent from the shared pool (still allocation-free once warm).</summary>
    private const int StackTokenCapacity = 256;

    /// <summary>Longest phrase (in characters) that can be looked up; no lexicon phrase comes near it.</summary>
    private const int MaxPhraseChars = 96;

    private static readonly Lazy<LexiconSentimentScorer> _default =
        new(() => new LexiconSentimentScorer(LexiconLoader.LoadDefault()), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly Dictionary<string, double> _lexicon;
    private readonly Dictionary<string, double>.AlternateLookup<ReadOnlySpan<char>> _lexiconLookup;
    private readonly Dictionary<string, WordEntry>.AlternateLookup<ReadOnlySpan<char>> _words;
    private readonly EmoticonTable _emoticons;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _phrasePrefixes;
    private readonly int _maxPhraseWords;

    /// <summary>
    /// Builds a scorer over <paramref name="lexicon"/> (valences on VADER's scale, about -4..+4).
    /// Keys are matched case-insensitively; a key with spaces is a phrase of up to any number of words; a key of
    /// punctuation ("&lt;3", ":-(", "o.O") is an emoticon, matched as a whole whitespace-delimited chunk.
    /// When a key appears twice the later value wins.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="lexicon"/> is null.</exception>
    /// <exception cref="ArgumentException">A key is null, empty or whitespace.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A valence is NaN, infinite or beyond ±100.</exception>
    public LexiconSentimentScorer(IEnumerable<KeyValuePair<string, double>> lexicon)
    {
        ArgumentNullException.ThrowIfNull(lexicon);

        _lexicon = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        var emoticons = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        var phraseStarts = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var phrasePrefixes = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var maxPhraseWords = 1;

        foreach (var (rawKey, valence) in lexicon)
        {
            if (string.IsNullOrWhiteSpace(rawKey))
            {
                throw new ArgumentException("Lexicon keys must be non-empty words or phrases.", nameof(lexicon));
            }

            if (!double.IsFinite(valence) || Math.Abs(valence) > MaxAbsValence)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(lexicon), valence, $"Valence of '{rawKey}' must be finite and within ±{MaxAbsValence}.");
            }

            var key = NormalizeKey(rawKey);
            _lexicon[key] = valence;

            var space = key.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0)
            {
                phraseStarts.Add(key[..space]);
                var second = key.IndexOf(' ', space + 1);
                phrasePrefixes.Add(second < 0 ? key : key[..second]);
                var words = key.AsSpan().Count(' ') + 1;
                maxPhraseWords = Math.Max(maxPhraseWords, words);
            }
            else if (IsEmoticonKey(key))
            {
                emoticons[key] = valence;
            }
        }

        _lexiconLookup = _lexicon.GetAlternateLookup<ReadOnlySpan<char>>();
        _words = BuildWords(_lexicon, phraseStarts).GetAlternateLookup<ReadOnlySpan<char>>();
        _emoticons = EmoticonTable.Create(emoticons);
        _phrasePrefixes = phrasePrefixes.GetAlternateLookup<ReadOnlySpan<char>>();
        _maxPhraseWords = maxPhraseWords;
    }

    /// <summary>Single words of the lexicon, the modifiers and the word lists merged into one entry per word.</summary>
    private static Dictionary<string, WordEntry> BuildWords(Dictionary<string, double> lexicon, HashSet<string> phraseStarts)
    {
        var words = new Dictionary<string, WordEntry>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, valence) in lexicon)
        {
            if (!key.Contains(' ', StringComparison.Ordinal))
            {
                words[key] = new WordEntry(valence, ModifierKind.None, WordTraits.HasValence);
            }
        }

        foreach (var (word, kind) in SentimentModifiers.Words)
        {
            words[word] = (words.TryGetValue(word, out var entry) ? entry : default) with { Modifier = kind };
        }

        AddTrait(words, phraseStarts, WordTraits.StartsPhrase);
        AddTrait(words, SentimentModifiers.Laughter, WordTraits.Laughter);
        AddTrait(words, SentimentModifiers.Acronyms, WordTraits.Acronym);
        return words;
    }

    private static void AddTrait(Dictionary<string, WordEntry> words, IEnumerable<string> keys, WordTraits trait)
    {
        foreach (var key in keys)
        {
            var entry = words.TryGetValue(key, out var existing) ? existing : default;
            words[key] = entry with { Traits = entry.Traits | trait };
        }
    }

    /// <summary>
    /// The scorer over the embedded lexicons: VADER's lexicon and idioms, overridden by the crypto slang list and
    /// the emoji list. Loaded once, on first use, thread-safely.
    /// </summary>
    public static LexiconSentimentScorer Default => _default.Value;

    /// <summary>Number of entries (words, phrases, emoticons, emoji) in this scorer's lexicon.</summary>
    public int LexiconCount => _lexicon.Count;

    /// <summary>
    /// Scores <paramref name="text"/>. Never throws. Empty or whitespace-only text, or text with no words,
    /// emoticons or emoji, gives all zeros. Only the first <see cref="MaxScoredChars"/> characters are read.
    /// </summary>
    public SentimentScore Score(ReadOnlySpan<char> text)
    {
        if (text.Length > MaxScoredChars)
        {
            var cut = MaxScoredChars;
            if (char.IsHighSurrogate(text[cut - 1]))
            {
                cut--; // never split a surrogate pair
            }

            text = text[..cut];
        }

        if (text.IsWhiteSpace())
        {
            return default; // also covers empty
        }

        // Short posts (most titles) are scored in stack buffers; longer ones rent from the shared pool. Decoding
        // entities only shortens the text, and a token has at least one char, so the text length bounds both.
        var onStack = text.Length <= StackTokenCapacity;
        char[]? rentedChars = null;
        SentimentToken[]? rentedTokens = null;
        double[]? rentedValences = null;
        Span<char> normalized = onStack ? stackalloc char[StackTokenCapacity] : (rentedChars = ArrayPool<char>.Shared.Rent(text.Length));
        Span<SentimentToken> tokens = onStack
            ? stackalloc SentimentToken[StackTokenCapacity]
            : (rentedTokens = ArrayPool<SentimentToken>.Shared.Rent(text.Length));
        Span<double> valences = onStack ? stackalloc double[StackTokenCapacity] : (rentedValences = ArrayPool<double>.Shared.Rent(text.Length));
        try
        {
            // Most posts have no entity or curly quote and are read as they are.
            return SentimentTokenizer.NeedsNormalizing(text)
                ? ScoreCore(normalized[..SentimentTokenizer.Normalize(text, normalized)], tokens, valences)
                : ScoreCore(text, tokens, valences);
        }
        finally
        {
            if (rentedChars is not null)
            {
                ArrayPool<char>.Shared.Return(rentedChars);
            }

            if (rentedTokens is not null)
            {
                ArrayPool<SentimentToken>.Shared.Return(rentedTokens);
            }

            if (rentedValences is not null)
            {
                ArrayPool<double>.Shared.Return(rentedValences);
            }
        }
    }

    /// <summary>
    /// The lexicon valence of <paramref name="word"/>, also for the spellings of chat: elongated ("goood", "yaaay")
    /// and with the final g dropped ("lovin", "nothin").
    /// </summary>
    internal bool TryGetWordValence(ReadOnlySpan<char> word, bool elongated, out double valence)
    {
        if (_words.TryGetValue(word, out var entry))
        {
            valence = entry.Valence;
            return entry.Has(WordTraits.HasValence);
        }

        if (TryGetChatSpelling(word, elongated, out entry) && entry.Has(WordTraits.HasValence))
        {
            valence = entry.Valence;
            return true;
        }

        valence = 0;
        return false;
    }

    /// <summary>
    /// The entry of a chat spelling of a known word ("lovin", "gooood", "sooo"), for a word that is not known as
    /// written. Returns false when <paramref name="word"/> is no such spelling.
    /// </summary>
    private bool TryGetChatSpelling(ReadOnlySpan<char> word, bool elongated, out WordEntry entry)
    {
        entry = default;
        return word.Length <= SentimentTokenizer.MaxWordChars
               && (elongated || EndsInDroppedG(word))
               && TryGetChatSpellingSlow(word, elongated, out entry);
    }

    private static bool EndsInDroppedG(ReadOnlySpan<char> word) =>
        word.Length >= 4 && (word[^1] is 'n' or 'N') && (word[^2] is 'i' or 'I');

    /// <summary>The slow path of <see cref="TryGetChatSpelling"/>, kept apart so the common path needs no scratch buffer.</summary>
    private bool TryGetChatSpellingSlow(ReadOnlySpan<char> word, bool elongated, out WordEntry entry)
    {
        Span<char> buffer = stackalloc char[SentimentTokenizer.MaxWordChars + 1];
        if (_words.TryGetValue(RestoreDroppedG(word, buffer), out entry))
        {
            return true;
        }

        // "gooood" is "good" and "yaaay" is "yay": letters repeated for emphasis are shortened to two, then to one.
        return elongated
               && (_words.TryGetValue(Shorten(word, 2, buffer), out entry) || _words.TryGetValue(Shorten(word, 1, buffer), out entry));
    }

    /// <summary>"lovin" → "loving": <paramref name="word"/> plus a g when it ends in "in" (empty otherwise, which no list has).</summary>
    private static ReadOnlySpan<char> RestoreDroppedG(ReadOnlySpan<char> word, Span<char> buffer)
    {
        if (!EndsInDroppedG(word))
        {
            return [];
        }

        word.CopyTo(buffer);
        buffer[word.Length] = char.IsUpper(word[^1]) ? 'G' : 'g';
        return buffer[..(word.Length + 1)];
    }

    /// <summary>Copies <paramref name="word"/> into <paramref name="buffer"/> with every run of a letter cut to <paramref name="keep"/>.</summary>
    private static ReadOnlySpan<char> Shorten(ReadOnlySpan<char> word, int keep, Span<char> buffer)
    {
        var length = 0;
        var run = 0;
        var previous = '\0';
        foreach (var c in word)
        {
            var lower = char.ToLowerInvariant(c);
            run = lower == previous && char.IsLetter(c) ? run + 1 : 1;
            previous = lower;
            if (run <= keep)
            {
                buffer[length++] = c;
            }
        }

        return buffer[..length];
    }

    private SentimentScore ScoreCore(ReadOnlySpan<char> text, Span<SentimentToken> tokens, Span<double> valences)
    {
        var count = SentimentTokenizer.Tokenize(text, tokens, _emoticons, out var marks);
        if (count == 0)
        {
            return default;
        }

        tokens = tokens[..count];
        valences = valences[..count];
        var matched = LookUpValences(text, tokens, valences);
        ModifierPass.Apply(text, tokens, valences);
        WeightAroundBut(text, tokens, valences);
        return Summarize(tokens, valences, marks, matched);
    }

    /// <summary>
    /// Pass 1: each token's valence from the lexicon, trying phrases longest first so "rug pulled" beats "rug" and
    /// "bad ass" beats "bad". Returns how many tokens matched with a non-zero valence.
    /// </summary>
    private int LookUpValences(ReadOnlySpan<char> text, Span<SentimentToken> tokens, Span<double> valences)
    {
        Span<char> phraseBuffer = stackalloc char[MaxPhraseChars];
        var matched = 0;
        for (var i = 0; i < tokens.Length; i++)
        {
            valences[i] = 0;
            ref var token = ref tokens[i];
            if (token.Has(SentimentTokenFlags.Consumed))
            {
                continue;
            }

            if (token.Has(SentimentTokenFlags.Minor))
            {
                continue; // "a", "I", "5": VADER drops one-character words
            }

            var word = text.Slice(token.Start, token.Length);
            var elongated = token.Has(SentimentTokenFlags.Elongated);
            var known = _words.TryGetValue(word, out var entry) || TryGetChatSpelling(word, elongated, out entry);
            if (!token.IsSymbol)
            {
                if (entry.Has(WordTraits.StartsPhrase)
                    && TryMatchPhrase(text, tokens, i, phraseBuffer, out var phraseWords, out var phraseValence))
                {
                    valences[i] = phraseValence;
                    MarkPhrase(tokens.Slice(i, phraseWords), phraseValence != 0);
                    matched += phraseValence != 0 ? 1 : 0;
                    continue;
                }

                if (IsKindOf(text, tokens, i))
                {
                    tokens[i + 1].Flags |= SentimentTokenFlags.Dampener;
                    continue;
                }

                var kind = known ? entry.Modifier
                    : SentimentModifiers.IsNegatedContraction(word) ? ModifierKind.Negator : ModifierKind.None;
                token.Flags |= SentimentToken.FlagOf(kind)
                               | (entry.Has(WordTraits.Acronym) ? SentimentTokenFlags.Acronym : SentimentTokenFlags.None);
                if (kind != ModifierKind.None && !KeepsOwnValence(text, tokens, i))
                {
                    continue;
                }
            }

            if (entry.Has(WordTraits.HasValence) && entry.Valence != 0)
            {
                valences[i] = entry.Valence;
                token.Flags |= SentimentTokenFlags.Matched
                               | (entry.Has(WordTraits.Laughter) ? SentimentTokenFlags.Laughter : SentimentTokenFlags.None);
                matched++;
            }
        }

        return matched;
    }

    /// <summary>
    /// Intensifiers, dampeners and negations shape their neighbour and carry no valence of their own, as in VADER.
    /// The few that are also lexicon words keep their own valence when no sentiment word follows them: vaderSentiment
    /// 3.3's rule for "no" (-1.2 as a refusal, but "no problem" only negates "problem"), applied alike to "super"
    /// (+2.9 in "super soft", an intensifier in "super bearish").
    /// </summary>
    private bool KeepsOwnValence(ReadOnlySpan<char> text, ReadOnlySpan<SentimentToken> tokens, int i)
    {
        var next = i + 1;
        while (next < tokens.Length && tokens[next].Has(SentimentTokenFlags.Minor) && !tokens[next].Has(SentimentTokenFlags.ClauseStart))
        {
            next++;
        }

        if (next >= tokens.Length || tokens[next].Has(SentimentTokenFlags.ClauseStart) || !tokens[next].Has(SentimentTokenFlags.Word))
        {
            return true;
        }

        var following = tokens[next];
        return !(TryGetWordValence(text.Slice(following.Start, following.Length), following.Has(SentimentTokenFlags.Elongated), out var nextValence)
                 && nextValence != 0);
    }

    /// <summary>
    /// "kind of" and "sort of" dampen like "kinda" (the "of" is marked a dampener); "kind" there is not the +2.4
    /// "kind" of "be kind" (VADER's rule).
    /// </summary>
    private static bool IsKindOf(ReadOnlySpan<char> text, ReadOnlySpan<SentimentToken> tokens, int i)
    {
        if (i + 1 >= tokens.Length || !tokens[i + 1].Has(SentimentTokenFlags.JoinedByWhitespace))
        {
            return false;
        }

        var word = text.Slice(tokens[i].Start, tokens[i].Length);
        return (word.Equals("kind", StringComparison.OrdinalIgnoreCase) || word.Equals("sort", StringComparison.OrdinalIgnoreCase))
               && text.Slice(tokens[i + 1].Start, tokens[i + 1].Length).Equals("of", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The phrase's value is counted once, on its first word; the later words are consumed by it. A phrase with a
    /// sentiment marks all its words matched, so negations before it stop there like before any sentiment word.
    /// </summary>
    private static void MarkPhrase(Span<SentimentToken> phrase, bool hasSentiment)
    {
        var matched = hasSentiment ? SentimentTokenFlags.Matched : SentimentTokenFlags.None;
        phrase[0].Flags |= SentimentTokenFlags.InPhrase | matched;
        foreach (ref var token in phrase[1..])
        {
            token.Flags |= SentimentTokenFlags.InPhrase | SentimentTokenFlags.Consumed | matched;
        }
    }

    /// <summary>Pass 3: "but" moves the weight to the clause after it.</summary>
    private static void WeightAroundBut(ReadOnlySpan<char> text, ReadOnlySpan<SentimentToken> tokens, Span<double> valences)
    {
        var butIndex = FindBut(text, tokens);
        if (butIndex < 0)
        {
            return;
        }

        foreach (ref var valence in valences[..butIndex])
        {
            valence *= BeforeButWeight;
        }

        foreach (ref var valence in valences[(butIndex + 1)..])
        {
            valence *= AfterButWeight;
        }
    }

    /// <summary>Pass 4: sum, punctuation emphasis, proportions (VADER's score_valence / _sift_sentiment_scores).</summary>
    private static SentimentScore Summarize(ReadOnlySpan<SentimentToken> tokens, ReadOnlySpan<double> valences, PunctuationMarks marks, int matched)
    {
        double sum = 0;
        double positiveSum = 0;
        double negativeSum = 0;
        var neutralCount = 0;
        for (var i = 0; i < tokens.Length; i++)
        {
            if (tokens[i].Has(SentimentTokenFlags.Consumed))
            {
                continue; // counted once, on the phrase's first word
            }

            var v = valences[i];
            if (v == 0 && tokens[i].Has(SentimentTokenFlags.Minor))
            {
                continue; // VADER does not count one-character words
            }

            sum += v;

            // The +1/-1 offsets are VADER's: they keep one sentiment word from being outweighed by the
            // neutral count of the words around it.
            if (v > 0)
            {
                positiveSum += v + 1;
            }
            else if (v < 0)
            {
                negativeSum += v - 1;
            }
            else
            {
                neutralCount++;
            }
        }

        AddPunctuationEmphasis(marks, ref sum, ref positiveSum, ref negativeSum);

        var total = positiveSum - negativeSum + neutralCount;
        if (!(total > 0))
        {
            return new SentimentScore(0, 0, 0, 0, matched);
        }

        return new SentimentScore(
            Normalize(sum),
            Math.Abs(positiveSum / total),
            Math.Abs(negativeSum / total),
            neutralCount / total,
            matched);
    }

    /// <summary>'!' and '?' strengthen whichever way the post already leans; they never give it a lean.</summary>
    private static void AddPunctuationEmphasis(PunctuationMarks marks, ref double sum, ref double positiveSum, ref double negativeSum)
    {
        var questions = marks.Questions switch
        {
            <= 1 => 0.0,
            <= MaxQuestionSteps => marks.Questions * QuestionStep,
            _ => ManyQuestionsEmphasis,
        };
        var emphasis = (Math.Min(marks.Exclamations, MaxExclamations) * ExclamationStep) + questions;
        if (sum > 0)
        {
            sum += emphasis;
        }
        else if (sum < 0)
        {
            sum -= emphasis;
        }

        if (positiveSum > -negativeSum)
        {
            positiveSum += emphasis;
        }
        else if (positiveSum < -negativeSum)
        {
            negativeSum -= emphasis;
        }
    }

    private static double Normalize(double sum)
    {
        if (!double.IsFinite(sum))
        {
            return double.IsNaN(sum) ? 0 : Math.Sign(sum);
        }

        var square = sum * sum;
        if (double.IsInfinity(square))
        {
            return Math.Sign(sum);
        }

        return Math.Clamp(sum / Math.Sqrt(square + NormalizationAlpha), -1.0, 1.0);
    }

    private static int FindBut(ReadOnlySpan<char> text, ReadOnlySpan<SentimentToken> tokens)
    {
        for (var i = 0; i < tokens.Length; i++)
        {
            var token = tokens[i];
            if (token.Has(SentimentTokenFlags.Word) && !token.Has(SentimentTokenFlags.InPhrase)
                && text.Slice(token.Start, token.Length).Equals("but", StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// Tries phrases starting at token <paramref name="start"/>, longest first. Words are joined with single
    /// spaces into <paramref name="buffer"/>; only tokens separated by whitespace can form a phrase.
    /// </summary>
    private bool TryMatchPhrase(
        ReadOnlySpan<char> text, ReadOnlySpan<SentimentToken> tokens, int start, Span<char> buffer, out int words, out double valence)
    {
        var available = 1;
        while (available < _maxPhraseWords && start + available < tokens.Length
               && tokens[start + available].Has(SentimentTokenFlags.Word)
               && tokens[start + available].Has(SentimentTokenFlags.JoinedByWhitespace))
        {
            available++;
        }

        // Most words that start a phrase ("the", "to", "in") start none here: the first two words must be a known
        // beginning before longer strings are built and looked up.
        if (available < 2 || !_phrasePrefixes.Contains(JoinWords(text, tokens.Slice(start, 2), buffer)))
        {
            words = 0;
            valence = 0;
            return false;
        }

        for (words = available; words >= 2; words--)
        {
            var phrase = JoinWords(text, tokens.Slice(start, words), buffer);
            if (!phrase.IsEmpty && _lexiconLookup.TryGetValue(phrase, out valence))
            {
                return true;
            }
        }

        words = 0;
        valence = 0;
        return false;
    }

    /// <summary>The words of <paramref name="tokens"/> joined by single spaces in <paramref name="buffer"/> (empty if they do not fit).</summary>
    private static ReadOnlySpan<char> JoinWords(ReadOnlySpan<char> text, ReadOnlySpan<SentimentToken> tokens, Span<char> buffer)
    {
        var length = 0;
        for (var k = 0; k < tokens.Length; k++)
        {
            var needed = tokens[k].Length + (k > 0 ? 1 : 0);
            if (length + needed > buffer.Length)
            {
                return [];
            }

            if (k > 0)
            {
                buffer[length++] = ' ';
            }

            text.Slice(tokens[k].Start, tokens[k].Length).CopyTo(buffer[length..]);
            length += tokens[k].Length;
        }

        return buffer[..length];
    }

    /// <summary>
    /// A key with no spaces that has a character other than letters, digits, apostrophes and hyphens ("&lt;3", ":-(",
    /// "o.O", "^_^") can only be met as a whole chunk of punctuation, so the tokenizer looks it up before splitting.
    /// </summary>
    private static bool IsEmoticonKey(string key)
    {
        foreach (var c in key)
        {
            if (!char.IsLetterOrDigit(c) && c is not '\'' and not '-')
            {
                return key.Length >= 2 && !key.Contains(' ', StringComparison.Ordinal);
            }
        }

        return false;
    }

    /// <summary>Single spaces between words and straight apostrophes: the form <see cref="TryMatchPhrase"/> builds from a post.</summary>
    private static string NormalizeKey(string key) =>
        string.Join(' ', key.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).Replace('\u2019', '\'');
}
