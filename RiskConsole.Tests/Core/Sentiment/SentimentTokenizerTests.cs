using RiskConsole.Core.Sentiment;

namespace RiskConsole.Tests.Core.Sentiment;

/// <summary>The tokenizer's slices: words with inner apostrophes, hyphens and decimals, emoji on their own, clause starts.</summary>
public sealed class SentimentTokenizerTests
{
    [Test]
    public void WordsKeepInnerApostrophesHyphensAndDecimals()
    {
        Assert.That(Words("isn't a sell-off at 64,000.5!!"), Is.EqualTo(new[] { "isn't", "a", "sell-off", "at", "64,000.5" }));
    }

    [Test]
    public void EachEmojiIsItsOwnTokenAndExclamationsAreCounted()
    {
        const string text = "moon🚀🚀 wow!!!";
        var tokens = new SentimentToken[text.Length];
        var count = SentimentTokenizer.Tokenize(text, tokens, out var marks);
        Assert.Multiple(() =>
        {
            Assert.That(count, Is.EqualTo(4));
            Assert.That(tokens[1].Has(SentimentTokenFlags.Emoji) && tokens[2].Has(SentimentTokenFlags.Emoji), Is.True);
            Assert.That(marks.Exclamations, Is.EqualTo(3));
        });
    }

    [Test]
    public void SentencePunctuationStartsAClause()
    {
        const string text = "not bad. great";
        var tokens = new SentimentToken[text.Length];
        var count = SentimentTokenizer.Tokenize(text, tokens, out _);
        Assert.Multiple(() =>
        {
            Assert.That(count, Is.EqualTo(3));
            Assert.That(tokens[1].Has(SentimentTokenFlags.ClauseStart), Is.False);
            Assert.That(tokens[2].Has(SentimentTokenFlags.ClauseStart), Is.True);
            Assert.That(tokens[2].Has(SentimentTokenFlags.JoinedByWhitespace), Is.False, "a phrase cannot span the full stop");
        });
    }

    [Test]
    public void EmoticonChunkIsOneTokenAndItsTrailingMarksStillCount()
    {
        var table = EmoticonTable.Create(new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase) { [":)"] = 2.0, ["<3"] = 1.9 });
        const string text = "nice :)!! <333 x:)y";
        var tokens = new SentimentToken[text.Length];
        var count = SentimentTokenizer.Tokenize(text, tokens, table, out var marks);
        var slices = tokens.Take(count).Select(t => text.Substring(t.Start, t.Length)).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(slices, Is.EqualTo(new[] { "nice", ":)", "<3", "x", "y" }), "':)' inside 'x:)y' is no emoticon");
            Assert.That(tokens[1].Has(SentimentTokenFlags.Emoticon) && tokens[2].Has(SentimentTokenFlags.Emoticon), Is.True);
            Assert.That(tokens[2].Has(SentimentTokenFlags.ClauseStart), Is.True, "the '!!' after ':)' ends the clause");
            Assert.That(marks.Exclamations, Is.EqualTo(2));
        });
    }

    [Test]
    public void OneCharacterWordsAreMinorAndRepeatedLettersElongated()
    {
        const string text = "I saw a sooo good 5";
        var tokens = new SentimentToken[text.Length];
        var count = SentimentTokenizer.Tokenize(text, tokens, out _);
        Assert.Multiple(() =>
        {
            Assert.That(count, Is.EqualTo(6));
            Assert.That(Enumerable.Range(0, count).Where(i => tokens[i].Has(SentimentTokenFlags.Minor)), Is.EqualTo(new[] { 0, 2, 5 }));
            Assert.That(Enumerable.Range(0, count).Where(i => tokens[i].Has(SentimentTokenFlags.Elongated)), Is.EqualTo(new[] { 3 }));
        });
    }

    [Test]
    public void QuestionMarksAreCounted()
    {
        SentimentTokenizer.Tokenize("why?? really?", new SentimentToken[16], out var marks);
        Assert.That(marks, Is.EqualTo(new PunctuationMarks(0, 3)));
    }

    [TestCase("AT&amp;T &lt;3 &gt; &quot;x&quot; it&#39;s don’t", "AT&T <3 > \"x\" it's don't")]
    [TestCase("&amp &ampx &unknown;", "&amp &ampx &unknown;")]
    public void NormalizeDecodesTheEntitiesFeedsLeaveAndStraightensApostrophes(string text, string expected)
    {
        var buffer = new char[text.Length];
        var length = SentimentTokenizer.Normalize(text, buffer);
        Assert.That(new string(buffer, 0, length), Is.EqualTo(expected));
    }

    [TestCase("plain post, nothing to decode!", false)]
    [TestCase("Q&amp;A", true)]
    [TestCase("can’t", true)]
    public void NeedsNormalizingOnlyForEntitiesAndCurlyQuotes(string text, bool needs)
    {
        Assert.That(SentimentTokenizer.NeedsNormalizing(text), Is.EqualTo(needs));
    }

    private static string[] Words(string text)
    {
        var tokens = new SentimentToken[text.Length];
        var count = SentimentTokenizer.Tokenize(text, tokens, out _);
        return [.. tokens.Take(count).Select(t => text.Substring(t.Start, t.Length))];
    }
}
