using System.Globalization;
using System.Text;
using RiskConsole.Core.Contracts;

namespace RiskConsole.Ai.Roasts;

/// <summary>The live figures, already formatted (culture-invariant), with a fallback phrase for each missing one.</summary>
internal readonly record struct RoastSlots(string Score, string Asset, string Volatility, string Market, string Post, string Gloom, string Sources)
{
    public static RoastSlots From(RoastContext context, int excerptLength)
    {
        var components = context.Components;
        return new RoastSlots(
            FormatScore(context.Score),
            FormatAsset(components?.RiskiestSymbol, context.Prices),
            FormatVolatility(components?.CryptoVolatilityAnnualized),
            FormatMarket(context.Markets, excerptLength),
            FormatPost(context.RecentPosts, excerptLength),
            FormatSentiment(components),
            FormatSources(components?.ElevatedCount ?? 0));
    }

    public string Fill(string template)
    {
        var text = new StringBuilder(template)
            .Replace("{score}", Score)
            .Replace("{asset}", Asset)
            .Replace("{vol}", Volatility)
            .Replace("{market}", Market)
            .Replace("{post}", Post)
            .Replace("{gloom}", Gloom)
            .Replace("{sources}", Sources)
            .ToString();

        // A slot may open the sentence ("{vol} on ...", "{market} on ...").
        return text.Length > 0 && char.IsLower(text[0]) ? char.ToUpperInvariant(text[0]) + text[1..] : text;
    }

    private static string FormatScore(double score) =>
        double.IsFinite(score)
            ? Math.Round(Math.Clamp(score, 0, 100), MidpointRounding.AwayFromZero).ToString("0", CultureInfo.InvariantCulture)
            : "?";

    private static string FormatAsset(string? riskiestSymbol, IReadOnlyDictionary<string, double>? prices)
    {
        var symbol = string.IsNullOrWhiteSpace(riskiestSymbol) ? null : RoastText.Clean(riskiestSymbol, 20);

        // Without a riskiest symbol any priced symbol is still a real figure to poke fun at; pick one deterministically.
        if (symbol is null && prices is { Count: > 0 })
        {
            symbol = prices.Where(p => !string.IsNullOrWhiteSpace(p.Key) && IsUsablePrice(p.Value))
                .Select(p => p.Key)
                .Order(StringComparer.Ordinal)
                .FirstOrDefault();
            symbol = symbol is null ? null : RoastText.Clean(symbol, 20);
        }

        if (symbol is null)
        {
            return "your portfolio";
        }

        var price = FindPrice(prices, riskiestSymbol ?? symbol);
        return price is { } p ? $"{symbol} at {FormatPrice(symbol, p)}" : symbol;
    }

    private static double? FindPrice(IReadOnlyDictionary<string, double>? prices, string symbol)
    {
        if (prices is null)
        {
            return null;
        }

        if (prices.TryGetValue(symbol, out var exact) && IsUsablePrice(exact))
        {
            return exact;
        }

        // Listeners and the engine may disagree on case ("btcusdt" in stream names, "BTCUSDT" in payloads).
        foreach (var (key, value) in prices)
        {
            if (string.Equals(key, symbol, StringComparison.OrdinalIgnoreCase) && IsUsablePrice(value))
            {
                return value;
            }
        }

        return null;
    }

    private static bool IsUsablePrice(double price) => double.IsFinite(price) && price > 0;

    private static string FormatPrice(string symbol, double price)
    {
        var format = price switch
        {
            >= 1000 => "#,0",
            >= 1 => "#,0.00",
            _ => "0.########",
        };
        var number = price.ToString(format, CultureInfo.InvariantCulture);
        if (number == "0")
        {
            number = price.ToString("0.###E+0", CultureInfo.InvariantCulture);
        }

        // Only dollar-quoted pairs get a dollar sign; ETHBTC at "$0.05" would be a lie.
        var upper = symbol.ToUpperInvariant();
        var dollarQuoted = upper.EndsWith("USD", StringComparison.Ordinal) || upper.EndsWith("USDT", StringComparison.Ordinal) ||
                           upper.EndsWith("USDC", StringComparison.Ordinal);
        return dollarQuoted ? "$" + number : number;
    }

    private static string FormatVolatility(double? volatility) =>
        volatility is { } v && double.IsFinite(v) && v > 0
            ? (v * 100).ToString("0", CultureInfo.InvariantCulture) + "% annualized volatility"
            : "its usual mood swings";

    private static string FormatMarket(IReadOnlyDictionary<string, double>? markets, int excerptLength)
    {
        if (markets is null || markets.Count == 0)
        {
            return "every prediction market in sight";
        }

        // The most one-sided market is the one that moves the extremity component most.
        string? question = null;
        var probability = 0.0;
        var extremity = double.NegativeInfinity;
        foreach (var (key, p) in markets.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            if (string.IsNullOrWhiteSpace(key) || !(p is >= 0 and <= 1))
            {
                continue;
            }

            var e = Math.Abs(2 * p - 1);
            if (e > extremity)
            {
                question = key;
                probability = p;
                extremity = e;
            }
        }

        if (question is null)
        {
            return "every prediction market in sight";
        }

        var percent = Math.Round(probability * 100, MidpointRounding.AwayFromZero).ToString("0", CultureInfo.InvariantCulture);
        return $"\"{RoastText.Clean(question, excerptLength)}\" at {percent}%";
    }

    private static string FormatPost(IReadOnlyList<(string Text, double Sentiment)>? posts, int excerptLength)
    {
        // The gloomiest post is the one behind a high Reddit component.
        var gloomiest = posts?
            .Where(p => !string.IsNullOrWhiteSpace(p.Text))
            .OrderBy(p => double.IsFinite(p.Sentiment) ? p.Sentiment : 0)
            .Select(p => p.Text)
            .FirstOrDefault();
        return gloomiest is null ? "the usual wall of despair" : $"\"{RoastText.Clean(gloomiest, excerptLength)}\"";
    }

    private static string FormatSentiment(RiskComponents? components)
    {
        if (components?.RedditSentiment is not { } sentiment || !double.IsFinite(sentiment))
        {
            return "unknown but grim";
        }

        return sentiment.ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture);
    }

    private static string FormatSources(int elevatedCount) => elevatedCount switch
    {
        >= 3 => "All three feeds",
        2 => "Two feeds",
        _ => "The feeds",
    };
}
