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

    private static string[] Words(string text)
    {
        var tokens = new SentimentToken[text.Length];
        var count = SentimentTokenizer.Tokenize(text, tokens, out _);
        return [.. tokens.Take(count).Select(t => text.Substring(t.Start, t.Length))];
    }
}
