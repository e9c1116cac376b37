using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using RiskConsole.Core.Contracts;

namespace RiskConsole.Ai.Roasts;

/// <summary>
/// Writes roasts without any network: a fact sentence built from the live <see cref="RoastContext"/>
/// (rounded score, riskiest symbol and price, the dominant component's own figure, a market question or a
/// post excerpt) followed by a punchline. Both are drawn from per-situation lists, never repeating the
/// previous pick of that situation, so consecutive roasts rarely match. Thread-safe: the interrupt
/// workflow and forced interrupts may call it at the same time.
/// </summary>
public sealed class OfflineRoastWriter : IRoastWriter
{
    /// <summary>Roasts are read aloud and shown in a toast, so they stay short.</summary>
    public const int MaxLength = 220;

    private readonly Random _random;
    private readonly Lock _gate = new();

    // Last fact and punchline index per situation, so the next pick of the same situation differs.
    private readonly int[] _lastFact = Enumerable.Repeat(-1, SituationCount).ToArray();
    private readonly int[] _lastPunchline = Enumerable.Repeat(-1, SituationCount).ToArray();

    public OfflineRoastWriter()
        : this(new Random())
    {
    }

    /// <param name="random">Source of template choice; pass a seeded one for a reproducible sequence.</param>
    public OfflineRoastWriter(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        _random = random;
    }

    public string Name => "offline";

    public Task<string> WriteAsync(RoastContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Write(context));
    }

    /// <summary>The synchronous core of <see cref="WriteAsync"/>: no I/O, so nothing to await.</summary>
    public string Write(RoastContext context)
    {
        ArgumentNullException.ThrowIfNull(context);

        var situation = Classify(context);
        var templates = TemplatesFor(situation);
        int factIndex;
        int punchlineIndex;
        lock (_gate)
        {
            factIndex = PickAvoiding(templates.Facts.Length, _lastFact[(int)situation]);
            punchlineIndex = PickAvoiding(templates.Punchlines.Length, _lastPunchline[(int)situation]);
            _lastFact[(int)situation] = factIndex;
            _lastPunchline[(int)situation] = punchlineIndex;
        }

        return Compose(context, templates.Facts[factIndex], templates.Punchlines[punchlineIndex]);
    }

    private int PickAvoiding(int count, int previous)
    {
        if (count <= 1 || previous < 0)
        {
            return _random.Next(count);
        }

        // Draw from the other count − 1 slots and skip over the previous one: uniform and never a repeat.
        var pick = _random.Next(count - 1);
        return pick >= previous ? pick + 1 : pick;
    }

    private static Situation Classify(RoastContext context)
    {
        var components = context.Components;
        var calm = context.Forced ? Situation.CalmForced : Situation.Calm;
        if (!double.IsFinite(context.Score) || context.Score < CalmBelow)
        {
            return calm;
        }

        if (context.Score >= OnFireFrom || components?.ElevatedCount >= 2)
        {
            return Situation.OnFire;
        }

        // A middling score with no component behind it only happens before any source reported.
        return Dominant(components) ?? calm;
    }

    /// <summary>The component with the highest risk; ties go crypto, then Polymarket, then Reddit.</summary>
    private static Situation? Dominant(RiskComponents? components)
    {
        if (components is null)
        {
            return null;
        }

        Situation? best = null;
        var bestValue = double.NegativeInfinity;
        foreach (var (situation, value) in new[]
                 {
                     (Situation.Crypto, components.Crypto),
                     (Situation.Polymarket, components.Polymarket),
                     (Situation.Reddit, components.Reddit),
                 })
        {
            if (value is { } v && double.IsFinite(v) && v > bestValue)
            {
                best = situation;
                bestValue = v;
            }
        }

        return best;
    }

    private static string Compose(RoastContext context, string fact, string punchline)
    {
        // Long market questions and posts are what push a roast past the limit, so shrink them first,
        // then drop the punchline, and only cut the text as a last resort.
        foreach (var excerptLength in ExcerptLengths)
        {
            var slots = Slots.From(context, excerptLength);
            var text = slots.Fill(fact) + " " + punchline;
            if (text.Length <= MaxLength)
            {
                return text;
            }
        }

        var factOnly = Slots.From(context, ExcerptLengths[^1]).Fill(fact);
        return factOnly.Length <= MaxLength ? factOnly : Truncate(factOnly, MaxLength);
    }

    private static string Truncate(string text, int maxLength)
    {
        if (text.Length <= maxLength)
        {
            return text;
        }

        var cut = text[..(maxLength - 1)];
        var lastSpace = cut.LastIndexOf(' ');
        if (lastSpace > maxLength / 2)
        {
            cut = cut[..lastSpace];
        }

        return cut.TrimEnd(' ', ',', ';', ':') + "…";
    }

    private static readonly ImmutableArray<int> ExcerptLengths = [64, 40, 24, 12];

    private const double CalmBelow = 50;

    private const double OnFireFrom = 90;

    private static readonly int SituationCount = Enum.GetValues<Situation>().Length;

    private enum Situation
    {
        Calm,
        CalmForced,
        Crypto,
        Polymarket,
        Reddit,
        OnFire,
    }

    private sealed record Templates(ImmutableArray<string> Facts, ImmutableArray<string> Punchlines);

    private static Templates TemplatesFor(Situation situation) => situation switch
    {
        Situation.Calm => CalmTemplates,
        Situation.CalmForced => CalmForcedTemplates,
        Situation.Crypto => CryptoTemplates,
        Situation.Polymarket => PolymarketTemplates,
        Situation.Reddit => RedditTemplates,
        _ => OnFireTemplates,
    };

    // Slots: {score} rounded score, {asset} riskiest symbol and price, {vol} its volatility,
    // {market} the most extreme market question and probability, {post} the gloomiest post excerpt,
    // {gloom} mean Reddit sentiment, {sources} how many components are elevated.
    private static readonly ImmutableArray<string> CalmPunchlines =
    [
        "Go touch grass while the charts are boring.",
        "Calm markets are when the bad ideas get leverage.",
        "Enjoy it; boredom is the most underpriced asset you own.",
        "Your urge to trade is the riskiest thing on this screen.",
        "Nothing is happening, which is exactly when you do something stupid.",
        "Even the volatility is on a lunch break.",
    ];

    private static readonly Templates CalmTemplates = new(
        [
            "Risk is a calm {score}/100 and {asset} is minding its own business.",
            "Only {score}/100 on the risk meter; {asset} is practically meditating.",
            "Risk {score}/100 with {asset}: suspiciously quiet.",
            "The risk meter reads {score}/100 and {asset} is asleep at the wheel.",
        ],
        CalmPunchlines);

    private static readonly Templates CalmForcedTemplates = new(
        [
            "You forced an interrupt at a sleepy {score}/100 while {asset} naps.",
            "Risk is only {score}/100 and {asset} is bored, but sure, press the big red button.",
            "A forced alarm at {score}/100? {asset} is barely awake.",
            "Manual panic at {score}/100, with {asset} doing absolutely nothing.",
            "You summoned the siren at {score}/100, and {asset} did not even flinch.",
        ],
        CalmPunchlines);

    private static readonly Templates CryptoTemplates = new(
        [
            "Risk at {score}/100 because {asset} is running {vol}.",
            "Risk {score}/100: {asset} is swinging at {vol}.",
            "Crypto just dragged risk to {score}/100 with {asset} at {vol}.",
            "{vol} on {asset} and a risk score of {score}/100.",
            "Risk hits {score}/100 and {asset} is doing {vol} worth of cardio.",
            "Crypto volatility put risk at {score}/100; {asset} is the ringleader at {vol}.",
        ],
        [
            "Your stop-losses are writing their wills.",
            "Somewhere a leverage trader just discovered gravity.",
            "Those are not candles anymore, they are warning flares.",
            "Diamond hands are starting to look like paper cuts.",
            "This is what buying the dip looks like from inside the dip.",
            "HODL now stands for Help, Oh Dear, Liquidated.",
            "Your portfolio has entered its interpretive dance phase.",
            "Even the stablecoins are checking their pulse.",
        ]);

    private static readonly Templates PolymarketTemplates = new(
        [
            "Risk {score}/100 and the prediction markets price {market}.",
            "Prediction markets have {market}, so risk sits at {score}/100.",
            "Risk at {score}/100: prediction-market bettors put {market} and they are not hedging.",
            "{market} on the prediction markets; risk {score}/100.",
            "Risk {score}/100, courtesy of prediction markets pricing {market}.",
        ],
        [
            "Strangers with crypto wallets are more sure about the future than you are about lunch.",
            "When the gamblers stop hedging, maybe you should start.",
            "The crowd has spoken, and it sounds like a fire alarm.",
            "Place your bets; the house already placed theirs.",
            "The odds are in, and they are not in your favour.",
            "Even the degenerates have picked a side.",
        ]);

    private static readonly Templates RedditTemplates = new(
        [
            "Risk at {score}/100 and Reddit is screaming {post}.",
            "Reddit sentiment is {gloom} and someone wrote {post}; risk {score}/100.",
            "Risk {score}/100: Reddit's mood sits at {gloom}, headlined by {post}.",
            "Reddit is posting {post}, so risk is {score}/100.",
            "Risk {score}/100 thanks to Reddit, where the top take is {post}.",
        ],
        [
            "Your stop-losses are writing their wills.",
            "The memes stopped being funny, which is the scary part.",
            "The rocket emojis have been replaced by skulls.",
            "Loss porn is trending; please do not contribute.",
            "Apes together weak.",
            "When the forum of infinite optimism gets gloomy, check your exits.",
        ]);

    private static readonly Templates OnFireTemplates = new(
        [
            "Risk {score}/100 with {asset}, {market} and Reddit sentiment at {gloom}.",
            "Everything is on fire at {score}/100: {asset}, and Reddit is posting {post}.",
            "Risk {score}/100: crypto, prediction markets and Reddit all agree, and {asset} leads the panic.",
            "{sources} are screaming at once and risk is {score}/100; {asset} is holding the matches.",
            "Risk {score}/100, {market}, and {asset} on top.",
        ],
        [
            "This is fine. It is not fine.",
            "Your risk manager just updated their LinkedIn to 'open to work'.",
            "Please keep hands, feet and leverage inside the vehicle.",
            "Every correlation is one, and so is your remaining brain cell.",
            "Grab the fire extinguisher, not the buy button.",
            "Congratulations, you found the bottom's basement.",
        ]);

    /// <summary>The live figures, already formatted (culture-invariant), with a fallback phrase for each missing one.</summary>
    private readonly record struct Slots(string Score, string Asset, string Volatility, string Market, string Post, string Gloom, string Sources)
    {
        public static Slots From(RoastContext context, int excerptLength)
        {
            var components = context.Components;
            return new Slots(
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
    }

    private static string FormatScore(double score) =>
        double.IsFinite(score)
            ? Math.Round(Math.Clamp(score, 0, 100), MidpointRounding.AwayFromZero).ToString("0", CultureInfo.InvariantCulture)
            : "?";

    private static string FormatAsset(string? riskiestSymbol, IReadOnlyDictionary<string, double>? prices)
    {
        var symbol = string.IsNullOrWhiteSpace(riskiestSymbol) ? null : Clean(riskiestSymbol, 20);

        // Without a riskiest symbol any priced symbol is still a real figure to poke fun at; pick one deterministically.
        if (symbol is null && prices is { Count: > 0 })
        {
            symbol = prices.Where(p => !string.IsNullOrWhiteSpace(p.Key) && IsUsablePrice(p.Value))
                .Select(p => p.Key)
                .Order(StringComparer.Ordinal)
                .FirstOrDefault();
            symbol = symbol is null ? null : Clean(symbol, 20);
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
        return $"\"{Clean(question, excerptLength)}\" at {percent}%";
    }

    private static string FormatPost(IReadOnlyList<(string Text, double Sentiment)>? posts, int excerptLength)
    {
        // The gloomiest post is the one behind a high Reddit component.
        var gloomiest = posts?
            .Where(p => !string.IsNullOrWhiteSpace(p.Text))
            .OrderBy(p => double.IsFinite(p.Sentiment) ? p.Sentiment : 0)
            .Select(p => p.Text)
            .FirstOrDefault();
        return gloomiest is null ? "the usual wall of despair" : $"\"{Clean(gloomiest, excerptLength)}\"";
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

    /// <summary>One line of plain text: whitespace collapsed, quotes made single so they cannot break the roast's own quoting.</summary>
    private static string Clean(string text, int maxLength)
    {
        var builder = new StringBuilder(Math.Min(text.Length, maxLength + 1));
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c == '"' ? '\'' : c);
        }

        return Truncate(builder.ToString(), maxLength);
    }
}
