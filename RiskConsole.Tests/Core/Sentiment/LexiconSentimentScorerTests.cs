using System.Globalization;
using System.Text;
using RiskConsole.Core.Sentiment;

namespace RiskConsole.Tests.Core.Sentiment;

[TestFixture]
public sealed class LexiconSentimentScorerTests
{
    private const double Tolerance = 1e-9;

    /// <summary>A tiny lexicon so rule tests do not depend on VADER's or the slang list's values.</summary>
    private static readonly LexiconSentimentScorer _small = new(
    [
        new("good", 2.0),
        new("bad", -2.0),
        new("great", 3.0),
        new("care", 2.2),
        new("problem", -1.7),
        new("doubt", -1.5),
        new("no", -1.2),
        new("super", 2.9),
        new("lol", 1.8),
        new("loving", 2.9),
        new("yay", 2.4),
        new("moon", 2.0),
        new("to the moon", 2.8),
        new("rug pull", -3.2),
        new("bad ass", 1.5),
        new("bus stop", 0),
        new("stop", -1.2),
        new(":)", 2.0),
        new(":(", -1.9),
        new("<3", 1.9),
        new("o.O", -0.6),
    ]);

    private static double Compound(string text) => _small.Score(text).Compound;

    private static double Expected(double sum) => sum / Math.Sqrt((sum * sum) + 15.0);

    [Test]
    public void SingleWord_CompoundIsVaderNormalisationOfItsValence()
    {
        Assert.That(Compound("good"), Is.EqualTo(Expected(2.0)).Within(Tolerance));
    }

    [Test]
    public void Lookup_IsCaseInsensitive()
    {
        var lower = _small.Score("the project is good");
        var mixed = _small.Score("the project is GoOd");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(mixed.Compound, Is.EqualTo(lower.Compound).Within(Tolerance));
            Assert.That(mixed.MatchedWords, Is.EqualTo(1));
        }
    }

    [TestCase("this is not good")]
    [TestCase("this isn't good")]
    [TestCase("this isn’t good")]
    [TestCase("this isnt good")]
    [TestCase("i don't think good")]
    [TestCase("it cant be good")]
    [TestCase("never good")]
    [TestCase("no good")]
    [TestCase("without good news")]
    [TestCase("nobody says good")]
    public void Negation_FlipsAndDampensValence(string text)
    {
        Assert.That(Compound(text), Is.EqualTo(Expected(2.0 * -0.74)).Within(Tolerance));
    }

    [Test]
    public void Negation_ReachesThreeWordsBackButNotFour()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Compound("not at all that good"), Is.GreaterThan(0), "four words back is outside the window");
            Assert.That(Compound("not at all good"), Is.LessThan(0), "three words back is inside the window");
        }
    }

    [Test]
    public void Negation_OneCharacterWordsAreNotAStepOfTheWindow()
    {
        // VADER's tokenizer drops "a" and "I": "wouldn't be such a bad idea" negates "bad".
        Assert.That(Compound("it wouldn't be such a bad idea"), Is.EqualTo(Expected(-2.0 * -0.74)).Within(Tolerance));
    }

    [Test]
    public void Negation_StopsAtAnEarlierSentimentWord()
    {
        // Each "care" is negated by its own "don't" only; VADER's window reaches past the first "care" to the first
        // "don't" and negates the second "care" twice, which turns the post positive.
        var once = 2.2 * -0.74;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Compound("don't care don't care"), Is.EqualTo(Expected(2 * once)).Within(Tolerance));
            Assert.That(Compound("not good bad"), Is.EqualTo(Expected((2.0 * -0.74) - 2.0)).Within(Tolerance));
        }
    }

    [Test]
    public void Negation_RepeatedShoutedPhraseStaysNegative()
    {
        var post = string.Join(' ', Enumerable.Repeat("DON'T CARE", 10)) + " #royalwedding";
        Assert.That(Default.Score(post).Compound, Is.LessThan(-0.5));
    }

    [Test]
    public void Negation_FollowedByACommaIsAnAnswerNotAScope()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Compound("nope, still bad"), Is.EqualTo(Expected(-2.0)).Within(Tolerance));
            Assert.That(Compound("nope still bad"), Is.EqualTo(Expected(-2.0 * -0.74)).Within(Tolerance));
        }
    }

    [Test]
    public void Never_BeforeSoOrThisIsEmphasis()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Compound("never so good"), Is.EqualTo(Expected((2.0 + 0.293) * 1.25)).Within(Tolerance));
            Assert.That(Compound("haven't been this bad"), Is.EqualTo(Expected(-2.0 * 1.25)).Within(Tolerance), "VADER: a negation three back with 'this' before the word");
            Assert.That(Compound("never good"), Is.EqualTo(Expected(2.0 * -0.74)).Within(Tolerance));
        }
    }

    [Test]
    public void Without_DoubtAffirms()
    {
        Assert.That(Compound("without doubt good"), Is.GreaterThan(0));
    }

    [TestCase("the least good", 2.0 * -0.74)]
    [TestCase("least good", 2.0 * -0.74)]
    [TestCase("at least good", 2.0)]
    [TestCase("the very least good", 2.0 + (0.293 * 0.95))] // "very" still intensifies, two words back
    public void Least_NegatesUnlessAtLeastOrVeryLeast(string text, double sum)
    {
        Assert.That(Compound(text), Is.EqualTo(Expected(sum)).Within(Tolerance));
    }

    [Test]
    public void No_AloneKeepsItsValenceButBeforeASentimentWordOnlyNegatesIt()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Compound("no"), Is.EqualTo(Expected(-1.2)).Within(Tolerance));
            Assert.That(Compound("no way"), Is.EqualTo(Expected(-1.2)).Within(Tolerance));
            Assert.That(Compound("no problem"), Is.EqualTo(Expected(-1.7 * -0.74)).Within(Tolerance));
        }
    }

    [Test]
    public void Super_IsAnIntensifierBeforeASentimentWordAndAWordOtherwise()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Compound("super good"), Is.EqualTo(Expected(2.0 + 0.293)).Within(Tolerance));
            Assert.That(Compound("super soft"), Is.EqualTo(Expected(2.9)).Within(Tolerance));
        }
    }

    [Test]
    public void Negation_DoesNotCrossSentencePunctuation()
    {
        Assert.That(Compound("Not sure. Good team though"), Is.EqualTo(Expected(2.0)).Within(Tolerance));
    }

    [Test]
    public void Negation_FlipsNegativeWordsToPositive()
    {
        Assert.That(Compound("not bad at all"), Is.GreaterThan(0.05));
    }

    [TestCase("very")]
    [TestCase("extremely")]
    [TestCase("so")]
    [TestCase("super")]
    [TestCase("insanely")]
    public void Intensifier_RaisesMagnitudeByBoosterStep(string booster)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Compound($"{booster} good"), Is.EqualTo(Expected(2.0 + 0.293)).Within(Tolerance));
            Assert.That(Compound($"{booster} bad"), Is.EqualTo(Expected(-2.0 - 0.293)).Within(Tolerance));
        }
    }

    [Test]
    public void Intensifier_FurtherAwayCountsLess()
    {
        Assert.That(Compound("very very good"), Is.EqualTo(Expected(2.0 + 0.293 + (0.293 * 0.95))).Within(Tolerance));
    }

    [TestCase("slightly")]
    [TestCase("kinda")]
    [TestCase("somewhat")]
    [TestCase("kind of")]
    [TestCase("sort of")]
    public void Dampener_LowersMagnitudeByBoosterStep(string dampener)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Compound($"{dampener} good"), Is.EqualTo(Expected(2.0 - 0.293)).Within(Tolerance));
            Assert.That(Compound($"{dampener} bad"), Is.EqualTo(Expected(-2.0 + 0.293)).Within(Tolerance));
        }
    }

    [Test]
    public void Caps_AddEmphasisWhenPostIsNotAllCaps()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Compound("the chart looks GOOD"), Is.EqualTo(Expected(2.0 + 0.733)).Within(Tolerance));
            Assert.That(Compound("the chart looks BAD"), Is.EqualTo(Expected(-2.0 - 0.733)).Within(Tolerance));
        }
    }

    [Test]
    public void Caps_NoEmphasisWhenWholePostIsCaps()
    {
        Assert.That(Compound("THE CHART LOOKS GOOD"), Is.EqualTo(Compound("the chart looks good")).Within(Tolerance));
    }

    [Test]
    public void Caps_ConventionalAcronymsAreNotShouting()
    {
        var scorer = Default;
        Assert.That(scorer.Score("new ATH today").Compound, Is.EqualTo(scorer.Score("new ath today").Compound).Within(Tolerance));
    }

    [Test]
    public void Exclamation_AddsEmphasisUpToFourMarks()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Compound("good!"), Is.EqualTo(Expected(2.0 + 0.292)).Within(Tolerance));
            Assert.That(Compound("bad!!"), Is.EqualTo(Expected(-2.0 - (2 * 0.292))).Within(Tolerance));
            Assert.That(Compound("good!!!!"), Is.EqualTo(Expected(2.0 + (4 * 0.292))).Within(Tolerance));
            Assert.That(Compound("good!!!!!!!!!!"), Is.EqualTo(Compound("good!!!!")).Within(Tolerance));
        }
    }

    [Test]
    public void Questions_TwoOrThreeAddEmphasisOneDoesNot()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Compound("good?"), Is.EqualTo(Expected(2.0)).Within(Tolerance));
            Assert.That(Compound("bad??"), Is.EqualTo(Expected(-2.0 - (2 * 0.18))).Within(Tolerance));
            Assert.That(Compound("good???"), Is.EqualTo(Expected(2.0 + (3 * 0.18))).Within(Tolerance));
            Assert.That(Compound("good??????"), Is.EqualTo(Expected(2.0 + 0.96)).Within(Tolerance));
        }
    }

    [Test]
    public void Exclamation_AloneDoesNotCreateSentiment()
    {
        Assert.That(Compound("the block height is 850000!!!"), Is.Zero);
    }

    [Test]
    public void But_ShiftsWeightToTheClauseAfterIt()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Compound("good team but bad token"), Is.EqualTo(Expected((0.5 * 2.0) + (1.5 * -2.0))).Within(Tolerance));
            Assert.That(Compound("bad fees but great gains"), Is.EqualTo(Expected((0.5 * -2.0) + (1.5 * 3.0))).Within(Tolerance));
        }
    }

    [Test]
    public void Phrase_MatchesAsOneItemAndBeatsItsFirstWord()
    {
        var score = _small.Score("we are going to the moon");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(score.Compound, Is.EqualTo(Expected(2.8)).Within(Tolerance));
            Assert.That(score.MatchedWords, Is.EqualTo(1));
        }
    }

    [Test]
    public void Idiom_ReplacesTheValencesOfItsWords()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Compound("that was bad ass"), Is.EqualTo(Expected(1.5)).Within(Tolerance));
            Assert.That(Compound("wait at the bus stop"), Is.Zero, "a 0 idiom only stops its words from counting");
            Assert.That(Default.Score("this album is the shit").Compound, Is.GreaterThan(0.5));
            Assert.That(Default.Score("yeah right, as if").Compound, Is.LessThan(-0.05));
            Assert.That(Default.Score("that listing was the kiss of death").Compound, Is.LessThan(-0.05));
            Assert.That(Default.Score("portfolio is in the red").Compound, Is.LessThan(-0.05));
        }
    }

    [Test]
    public void Phrase_DoesNotSpanPunctuation()
    {
        Assert.That(_small.Score("rug, pull").MatchedWords, Is.Zero);
    }

    [Test]
    public void Phrase_CanBeNegated()
    {
        Assert.That(Compound("not going to the moon"), Is.EqualTo(Expected(2.8 * -0.74)).Within(Tolerance));
    }

    [TestCase(":)", 2.0)]
    [TestCase("great day :)", 3.0 + 2.0)]
    [TestCase("sad :(", -1.9)]
    [TestCase("thanks <3", 1.9)]
    [TestCase("thanks &lt;3", 1.9)]
    [TestCase("what o.O", -0.6)]
    [TestCase("yes :)))", 2.0)]
    [TestCase("so long :(((", -1.9)]
    [TestCase("&lt;33333", 1.9)]
    [TestCase("bye :(.", -1.9)]
    public void Emoticon_IsMatchedAsAWholeChunk(string text, double sum)
    {
        Assert.That(Compound(text), Is.EqualTo(Expected(sum)).Within(Tolerance));
    }

    [Test]
    public void Emoticon_IsNotReachedByNegation()
    {
        // VADER negates ":(" after "don't know" and reads the post as happy.
        Assert.That(Compound("I don't know :("), Is.EqualTo(Expected(-1.9)).Within(Tolerance));
    }

    [Test]
    public void Emoticon_InsideAWordOrURLIsNotOne()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_small.Score("http://example.com/a:(b").MatchedWords, Is.Zero);
            Assert.That(_small.Score("f(:)").MatchedWords, Is.Zero);
        }
    }

    [TestCase(":D", true)]
    [TestCase(":-(", false)]
    [TestCase("D:", false)]
    [TestCase(";)", true)]
    [TestCase("</3", false)]
    public void Emoticon_DefaultLexiconHasVaderEmoticons(string emoticon, bool positive)
    {
        var compound = Default.Score(emoticon).Compound;
        Assert.That(positive ? compound >= 0.05 : compound <= -0.05, Is.True, $"{emoticon}: {compound}");
    }

    [Test]
    public void Laughter_IsAReactionNotNegated()
    {
        Assert.That(Compound("NOT THE LATTER lol"), Is.EqualTo(Expected(1.8)).Within(Tolerance));
    }

    [TestCase("goooood", "good")]
    [TestCase("yaaaaay", "yay")]
    [TestCase("sooo good", "so good")]
    [TestCase("lovin it", "loving it")]
    [TestCase("this isn’t good", "this isn't good")]
    [TestCase("good &amp; great", "good & great")]
    public void ChatSpellings_ScoreLikeTheDictionaryForm(string chat, string standard)
    {
        Assert.That(Compound(chat), Is.EqualTo(Compound(standard)).Within(Tolerance));
    }

    [TestCase("🚀")]
    [TestCase("🌕")]
    [TestCase("💎🙌")]
    [TestCase("📈")]
    [TestCase("🙌🏽")]
    [TestCase("wen lambo🚀🚀")]
    public void Emoji_Positive(string text)
    {
        Assert.That(Default.Score(text).Compound, Is.GreaterThanOrEqualTo(0.05));
    }

    [TestCase("📉")]
    [TestCase("💀")]
    [TestCase("😭")]
    [TestCase("🩸🩸")]
    [TestCase("🤡")]
    public void Emoji_Negative(string text)
    {
        Assert.That(Default.Score(text).Compound, Is.LessThanOrEqualTo(-0.05));
    }

    [Test]
    public void Emoji_AreNotReachedByNegationOrIntensifiers()
    {
        var plain = Default.Score("support is not answering 📉").Compound;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(plain, Is.EqualTo(Default.Score("📉").Compound).Within(Tolerance));
            Assert.That(Default.Score("very 🚀").Compound, Is.EqualTo(Default.Score("🚀").Compound).Within(Tolerance));
        }
    }

    [TestCase("Withdrawals are open again")]
    [TestCase("The block reward is 3.125 BTC")]
    [TestCase("Open interest is 30 billion")]
    [TestCase("Price is testing support")]
    public void Slang_CryptoTechnicalTermsAreNeutral(string text)
    {
        Assert.That(Default.Score(text).MatchedWords, Is.Zero);
    }

    [Test]
    public void Emoji_EachCountsAsAMatch()
    {
        Assert.That(Default.Score("🚀🚀🚀").MatchedWords, Is.EqualTo(3));
    }

    [TestCase("moon")]
    [TestCase("mooning")]
    [TestCase("hodl")]
    [TestCase("wagmi")]
    [TestCase("bullish")]
    [TestCase("rally")]
    [TestCase("breakout")]
    [TestCase("surge")]
    [TestCase("btfd")]
    [TestCase("new ath")]
    public void Slang_Positive(string text)
    {
        Assert.That(Default.Score(text).Compound, Is.GreaterThanOrEqualTo(0.05));
    }

    [TestCase("rekt")]
    [TestCase("rugged")]
    [TestCase("rugpull")]
    [TestCase("rug pull")]
    [TestCase("dumping")]
    [TestCase("liquidated")]
    [TestCase("bagholder")]
    [TestCase("bearish")]
    [TestCase("capitulation")]
    [TestCase("ngmi")]
    [TestCase("ponzi")]
    [TestCase("exit liquidity")]
    [TestCase("bleeding")]
    [TestCase("plunge")]
    public void Slang_Negative(string text)
    {
        Assert.That(Default.Score(text).Compound, Is.LessThanOrEqualTo(-0.05));
    }

    [Test]
    public void Slang_DipIsMild()
    {
        var dip = Default.Score("dip").Compound;
        var crash = Default.Score("crash").Compound;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(dip, Is.LessThan(0));
            Assert.That(dip, Is.GreaterThan(crash));
            Assert.That(dip, Is.GreaterThan(-0.3));
        }
    }

    [Test]
    public void Slang_OverridesVader()
    {
        // VADER rates "fud" -1.1 and "crash" -1.7 as general English; the slang list's -1.5 and -2.8 must win.
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Default.Score("fud").Compound, Is.EqualTo(Expected(-1.5)).Within(Tolerance));
            Assert.That(Default.Score("crash").Compound, Is.EqualTo(Expected(-2.8)).Within(Tolerance));
        }
    }

    [Test]
    public void Vader_ValencesAreUsedAsRated()
    {
        // Straight from vader_lexicon.txt: "abandon" -1.9, "good" 1.9, ":)" 2.0. No scaling.
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Default.Score("abandon").Compound, Is.EqualTo(Expected(-1.9)).Within(Tolerance));
            Assert.That(Default.Score("good").Compound, Is.EqualTo(Expected(1.9)).Within(Tolerance));
            Assert.That(Default.Score(":)").Compound, Is.EqualTo(Expected(2.0)).Within(Tolerance));
        }
    }

    [Test]
    public void Vader_DismayedFacesAreNegative()
    {
        // vader_lexicon.txt rates "d:" twice (-2.9 as an emoticon, +1.2 among the words); the emoticon rating is kept.
        Assert.That(Default.Score("worst finale ever D: D:").Compound, Is.LessThan(-0.5));
    }

    [Test]
    public void Default_LoadsAllEmbeddedLists()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Default, Is.SameAs(LexiconSentimentScorer.Default));
            Assert.That(Default.LexiconCount, Is.GreaterThan(7491), "VADER's 7,491 tokens plus idioms, slang and emoji");
        }
    }

    [Test]
    public void Default_IsSafeToInitialiseAndUseFromManyThreads()
    {
        var expected = Default.Score("ETH is mooning 🚀").Compound;
        var results = new double[64];
        Parallel.For(0, results.Length, i => results[i] = LexiconSentimentScorer.Default.Score("ETH is mooning 🚀").Compound);
        Assert.That(results, Has.All.EqualTo(expected));
    }

    [Test]
    public void Proportions_SumToOneWhenTokensExist()
    {
        var score = Default.Score("Great team but the token keeps dumping, terrible!!");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(score.Positive + score.Negative + score.Neutral, Is.EqualTo(1.0).Within(1e-9));
            Assert.That(score.Positive, Is.InRange(0.0, 1.0));
            Assert.That(score.Negative, Is.InRange(0.0, 1.0));
            Assert.That(score.Neutral, Is.InRange(0.0, 1.0));
        }
    }

    [TestCase("")]
    [TestCase("   ")]
    [TestCase("\t\r\n  ")]
    public void EmptyOrWhitespace_IsAllZeros(string text)
    {
        Assert.That(Default.Score(text), Is.EqualTo(default(SentimentScore)));
    }

    [TestCase("\0")]
    [TestCase("\0\0 \0")]
    [TestCase("!!!???...")]
    [TestCase("-- // ** ,,, ;;")]
    [TestCase("\uD83D")]
    [TestCase("\uDE80 \uD83D")]
    [TestCase("\uFE0F\u200D")]
    public void Garbage_GivesAValidZeroScore(string text)
    {
        var score = Default.Score(text);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(score.Compound, Is.Zero);
            Assert.That(score.MatchedWords, Is.Zero);
        }
    }

    [Test]
    public void VeryLongText_IsCappedAndStaysInBounds()
    {
        var builder = new StringBuilder();
        while (builder.Length < 100_000)
        {
            builder.Append("amazing great awesome 🚀 ");
        }

        var text = builder.ToString();
        var score = Default.Score(text);
        var capped = Default.Score(text.AsSpan(0, LexiconSentimentScorer.MaxScoredChars));
        using (Assert.EnterMultipleScope())
        {
            AssertValid(score);
            Assert.That(score.Compound, Is.GreaterThan(0.99));
            Assert.That(score, Is.EqualTo(capped), "only the first MaxScoredChars characters are read");
        }
    }

    [Test]
    public void Cap_DoesNotSplitASurrogatePair()
    {
        var text = new string('a', LexiconSentimentScorer.MaxScoredChars - 1) + " 🚀";
        Assert.That(() => Default.Score(text), Throws.Nothing);
    }

    [Test]
    public void ExtremeValences_KeepCompoundInBounds()
    {
        var scorer = new LexiconSentimentScorer([new("up", 100.0), new("down", -100.0)]);
        var up = scorer.Score(string.Join(' ', Enumerable.Repeat("EXTREMELY up!!!!", 200)));
        var down = scorer.Score(string.Join(' ', Enumerable.Repeat("down", 1000)));
        using (Assert.EnterMultipleScope())
        {
            AssertValid(up);
            AssertValid(down);
            Assert.That(up.Compound, Is.GreaterThan(0.99));
            Assert.That(down.Compound, Is.LessThan(-0.99));
        }
    }

    [Test]
    public void RandomInput_NeverThrowsAndStaysInBounds()
    {
        var random = new Random(12345);
        var buffer = new char[600];
        for (var round = 0; round < 300; round++)
        {
            var length = random.Next(buffer.Length);
            for (var i = 0; i < length; i++)
            {
                buffer[i] = (char)random.Next(0, 0x10000);
            }

            AssertValid(Default.Score(buffer.AsSpan(0, length)));
        }
    }

    [Test]
    public void Constructor_RejectsInvalidEntries()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => new LexiconSentimentScorer(null!), Throws.ArgumentNullException);
            Assert.That(() => new LexiconSentimentScorer([new(" ", 1.0)]), Throws.ArgumentException);
            Assert.That(() => new LexiconSentimentScorer([new("x", double.NaN)]), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => new LexiconSentimentScorer([new("x", double.PositiveInfinity)]), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => new LexiconSentimentScorer([new("x", 1e6)]), Throws.InstanceOf<ArgumentOutOfRangeException>());
        }
    }

    [Test]
    public void Constructor_LaterDuplicateWinsAndPhraseWhitespaceIsNormalised()
    {
        var scorer = new LexiconSentimentScorer([new("pump", 1.0), new("PUMP", -1.0), new("  rug \t pull ", -3.0)]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(scorer.Score("pump").Compound, Is.EqualTo(Expected(-1.0)).Within(Tolerance));
            Assert.That(scorer.Score("rug   pull").Compound, Is.EqualTo(Expected(-3.0)).Within(Tolerance));
        }
    }

    [TestCase("Bitcoin is looking VERY bullish, not worried about this dip at all!! 🚀🚀")]
    [TestCase("Got liquidated on my long, the exchange froze withdrawals and support isn't answering 📉")]
    [TestCase("Sooo happy rn :D &lt;3 lovin this rally, can’t believe it?? DON'T CARE what the bears say lol")]
    public void Score_TypicalPost_AllocatesNothing(string post)
    {
        var scorer = Default;
        scorer.Score(post); // warm-up: lazy load, JIT, static initialisers

        var before = GC.GetAllocatedBytesForCurrentThread();
        var score = scorer.Score(post);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        TestContext.Out.WriteLine($"allocated {allocated} bytes for a {post.Length}-char post (compound {score.Compound:F3})");
        Assert.That(allocated, Is.Zero);
    }

    [Test]
    public void Score_EveryLabelledPostRepeatedly_AllocatesNothing()
    {
        // The labelled posts plus the shapes with their own code paths (emoticons, entities, elongation, idioms,
        // a post past the stack buffer), each scored 200 times after a warm-up pass.
        var posts = File.ReadAllLines(Path.Combine(TestContext.CurrentContext.TestDirectory, "TestData", "sentiment_labelled_posts.tsv"), Encoding.UTF8)
            .Where(l => l.Length > 0)
            .Select(l => l[(l.IndexOf('\t', StringComparison.Ordinal) + 1)..])
            .Concat(
            [
                "YAY!!! :D :D &lt;3 lovin it, can’t believe it?? sooo good",
                "DON'T CARE DON'T CARE DON'T CARE #royalwedding",
                "this is the kiss of death for the bulls, yeah right, bad ass rally my foot =(((",
                string.Concat(Enumerable.Repeat("not sure this rally holds, kinda worried :( ", 40)),
            ])
            .ToArray();
        var scorer = Default;
        double sink = 0;
        foreach (var post in posts)
        {
            sink += scorer.Score(post).Compound;
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var round = 0; round < 200; round++)
        {
            foreach (var post in posts)
            {
                sink += scorer.Score(post).Compound;
            }
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        TestContext.Out.WriteLine($"allocated {allocated} bytes for {200 * posts.Length} scores (checksum {sink:F1})");
        Assert.That(allocated, Is.Zero);
    }

    [Test]
    public void Score_LongPost_AllocatesNothingOnceThePoolIsWarm()
    {
        var post = string.Concat(Enumerable.Repeat("The rally is strong but fees are insanely high and I'm kinda worried. ", 20));
        var scorer = Default;
        scorer.Score(post);

        var before = GC.GetAllocatedBytesForCurrentThread();
        scorer.Score(post);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        TestContext.Out.WriteLine($"allocated {allocated} bytes for a {post.Length}-char post");
        Assert.That(allocated, Is.Zero);
    }

    [Test]
    public void LabelledCorpus_AccuracyIsAboveFloor()
    {
        // The corpus was written and committed before the scorer existed. With AFINN-165: 0.933 (84/90) on the first
        // run, 0.956 (86/90) after two general changes (emoji not negated, crypto technical terms neutral). With the
        // VADER lexicon and rules: 0.967 (87/90). The floor sits below all of them so ordinary lexicon edits do not
        // break the build. See docs/sentiment.md.
        const double AccuracyFloor = 0.90;
        string[] labels = ["positive", "negative", "neutral"];

        var path = Path.Combine(TestContext.CurrentContext.TestDirectory, "TestData", "sentiment_labelled_posts.tsv");
        var lines = File.ReadAllLines(path, Encoding.UTF8).Where(l => l.Length > 0).ToArray();
        var confusion = new int[3, 3];
        var correct = 0;
        foreach (var line in lines)
        {
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            var expected = Array.IndexOf(labels, line[..tab]);
            Assert.That(expected, Is.GreaterThanOrEqualTo(0), $"bad label in '{line}'");

            var score = Default.Score(line.AsSpan(tab + 1));
            var predicted = score.Compound >= 0.05 ? 0 : score.Compound <= -0.05 ? 1 : 2;
            confusion[expected, predicted]++;
            if (predicted == expected)
            {
                correct++;
            }
            else
            {
                TestContext.Out.WriteLine(string.Create(
                    CultureInfo.InvariantCulture, $"miss: {labels[expected]} -> {labels[predicted]} ({score.Compound:F3}) {line[(tab + 1)..]}"));
            }
        }

        var accuracy = (double)correct / lines.Length;
        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"accuracy {accuracy:F3} ({correct}/{lines.Length})"));
        TestContext.Out.WriteLine("actual \\ predicted | positive | negative | neutral");
        for (var row = 0; row < 3; row++)
        {
            TestContext.Out.WriteLine($"{labels[row],-18} | {confusion[row, 0],8} | {confusion[row, 1],8} | {confusion[row, 2],7}");
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(lines, Has.Length.GreaterThanOrEqualTo(80));
            Assert.That(accuracy, Is.GreaterThanOrEqualTo(AccuracyFloor));
        }
    }

    private static LexiconSentimentScorer Default => LexiconSentimentScorer.Default;

    private static void AssertValid(SentimentScore score)
    {
        Assert.That(double.IsFinite(score.Compound), Is.True);
        Assert.That(score.Compound, Is.InRange(-1.0, 1.0));
        Assert.That(score.Positive, Is.InRange(0.0, 1.0));
        Assert.That(score.Negative, Is.InRange(0.0, 1.0));
        Assert.That(score.Neutral, Is.InRange(0.0, 1.0));
        Assert.That(score.MatchedWords, Is.GreaterThanOrEqualTo(0));
    }
}
