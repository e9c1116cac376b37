using System.Buffers;

namespace RiskConsole.Core.Sentiment;

/// <summary>
/// VADER-style lexicon scorer for short social posts (Reddit titles and selftext about crypto).
/// Instances are immutable after construction and safe to use from many threads at once.
/// <see cref="Score"/> never throws and, for posts that fit the stack buffer, allocates nothing.
/// See docs/sentiment.md for the rules and the reasons for each constant.
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

    /// <summary>Tokens handled on the stack; longer posts rent from the shared pool (still allocation-free once warm).</summary>
    private const int StackTokenCapacity = 256;

    /// <summary>Longest phrase (in characters) that can be looked up; no lexicon phrase comes near it.</summary>
    private const int MaxPhraseChars = 96;

    private static readonly Lazy<LexiconSentimentScorer> _default =
        new(() => new LexiconSentimentScorer(LexiconLoader.LoadDefault()), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly Dictionary<string, double> _lexicon;
    private readonly Dictionary<string, double>.AlternateLookup<ReadOnlySpan<char>> _lexiconLookup;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _phraseStarts;
    private readonly int _maxPhraseWords;

    /// <summary>
    /// Builds a scorer over <paramref name="lexicon"/> (valences on VADER's scale, about -4..+4).
    /// Keys are matched case-insensitively; a key with spaces is a phrase of up to any number of words.
    /// When a key appears twice the later value wins.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="lexicon"/> is null.</exception>
    /// <exception cref="ArgumentException">A key is null, empty or whitespace.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A valence is NaN, infinite or beyond ±100.</exception>
    public LexiconSentimentScorer(IEnumerable<KeyValuePair<string, double>> lexicon)
    {
        ArgumentNullException.ThrowIfNull(lexicon);

        _lexicon = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        var phraseStarts = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
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
                var words = key.AsSpan().Count(' ') + 1;
                maxPhraseWords = Math.Max(maxPhraseWords, words);
            }
        }

        _lexiconLookup = _lexicon.GetAlternateLookup<ReadOnlySpan<char>>();
        _phraseStarts = phraseStarts.GetAlternateLookup<ReadOnlySpan<char>>();
        _maxPhraseWords = maxPhraseWords;
    }

    /// <summary>
    /// The scorer over the embedded lexicons: AFINN-165 scaled by 0.8, overridden by the crypto slang list and
    /// the emoji list. Loaded once, on first use, thread-safely.
    /// </summary>
    public static LexiconSentimentScorer Default => _default.Value;

    /// <summary>Number of entries (words, phrases, emoji) in this scorer's lexicon.</summary>
    public int LexiconCount => _lexicon.Count;

    /// <summary>
    /// Scores <paramref name="text"/>. Never throws. Empty or whitespace-only text, or text with no words or
    /// emoji, gives all zeros. Only the first <see cref="MaxScoredChars"/> characters are read.
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

        // A token has at least one char, so the text length bounds the token count.
        SentimentToken[]? rentedTokens = null;
        double[]? rentedValences = null;
        Span<SentimentToken> tokens = text.Length <= StackTokenCapacity
            ? stackalloc SentimentToken[StackTokenCapacity]
            : (rentedTokens = ArrayPool<SentimentToken>.Shared.Rent(text.Length));
        Span<double> valences = text.Length <= StackTokenCapacity
            ? stackalloc double[StackTokenCapacity]
            : (rentedValences = ArrayPool<double>.Shared.Rent(text.Length));
        try
        {
            return ScoreCore(text, tokens, valences);
        }
        finally
        {
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

    private SentimentScore ScoreCore(ReadOnlySpan<char> text, Span<SentimentToken> tokens, Span<double> valences)
    {
        var count = SentimentTokenizer.Tokenize(text, tokens, out var exclamations);
        if (count == 0)
        {
            return default;
        }

        tokens = tokens[..count];
        valences = valences[..count];
        var matched = LookUpValences(text, tokens, valences);
        ModifierPass.Apply(text, tokens, valences);
        WeightAroundBut(text, tokens, valences);
        return Summarize(tokens, valences, exclamations, matched);
    }

    /// <summary>
    /// Pass 1: each token's valence from the lexicon, trying phrases longest first so "rug pulled" beats "rug".
    /// Returns how many tokens matched with a non-zero valence.
    /// </summary>
    private int LookUpValences(ReadOnlySpan<char> text, Span<SentimentToken> tokens, Span<double> valences)
    {
        Span<char> phraseBuffer = stackalloc char[MaxPhraseChars];
        Span<char> wordBuffer = stackalloc char[SentimentTokenizer.MaxWordChars];
        var matched = 0;
        for (var i = 0; i < tokens.Length; i++)
        {
            valences[i] = 0;
            ref var token = ref tokens[i];
            if (token.Has(SentimentTokenFlags.Consumed))
            {
                continue;
            }

            var word = SentimentTokenizer.Normalize(text.Slice(token.Start, token.Length), wordBuffer);
            if (token.Has(SentimentTokenFlags.Word) && _maxPhraseWords > 1 && _phraseStarts.Contains(word)
                && TryMatchPhrase(text, tokens, i, phraseBuffer, out var phraseWords, out var phraseValence))
            {
                valences[i] = phraseValence;
                MarkPhrase(tokens.Slice(i, phraseWords));
                if (phraseValence != 0)
                {
                    token.Flags |= SentimentTokenFlags.Matched;
                    matched++;
                }

                continue;
            }

            // A modifier is a modifier, not a sentiment word: AFINN rates "super" +3 and "no" -1, but in
            // "super bearish" or "no problem" they only shape their neighbour.
            if (token.Has(SentimentTokenFlags.Word) && SentimentModifiers.Classify(word) != ModifierKind.None)
            {
                continue;
            }

            if (_lexiconLookup.TryGetValue(word, out var valence) && valence != 0)
            {
                valences[i] = valence;
                token.Flags |= SentimentTokenFlags.Matched;
                matched++;
            }
        }

        return matched;
    }

    /// <summary>The phrase's value is counted once, on its first word; the later words are consumed by it.</summary>
    private static void MarkPhrase(Span<SentimentToken> phrase)
    {
        phrase[0].Flags |= SentimentTokenFlags.InPhrase;
        foreach (ref var token in phrase[1..])
        {
            token.Flags |= SentimentTokenFlags.InPhrase | SentimentTokenFlags.Consumed;
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

    /// <summary>Pass 4: sum, exclamation emphasis, proportions (VADER's score_valence / _sift_sentiment_scores).</summary>
    private static SentimentScore Summarize(ReadOnlySpan<SentimentToken> tokens, ReadOnlySpan<double> valences, int exclamations, int matched)
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

        AddExclamationEmphasis(exclamations, ref sum, ref positiveSum, ref negativeSum);

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

    /// <summary>Exclamation marks strengthen whichever way the post already leans; they never give it a lean.</summary>
    private static void AddExclamationEmphasis(int exclamations, ref double sum, ref double positiveSum, ref double negativeSum)
    {
        var emphasis = Math.Min(exclamations, MaxExclamations) * ExclamationStep;
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

        for (words = available; words >= 2; words--)
        {
            var length = 0;
            var fits = true;
            for (var k = 0; k < words; k++)
            {
                var token = tokens[start + k];
                var needed = token.Length + (k > 0 ? 1 : 0);
                if (length + needed > buffer.Length)
                {
                    fits = false;
                    break;
                }

                if (k > 0)
                {
                    buffer[length++] = ' ';
                }

                var source = text.Slice(token.Start, token.Length);
                source.CopyTo(buffer[length..]);
                buffer.Slice(length, source.Length).Replace('\u2019', '\'');
                length += source.Length;
            }

            if (fits && _lexiconLookup.TryGetValue(buffer[..length], out valence))
            {
                return true;
            }
        }

        words = 0;
        valence = 0;
        return false;
    }

    /// <summary>Single spaces between words and straight apostrophes: the form <see cref="TryMatchPhrase"/> builds from a post.</summary>
    private static string NormalizeKey(string key) =>
        string.Join(' ', key.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).Replace('\u2019', '\'');
}
