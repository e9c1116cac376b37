using RiskConsole.Core;

namespace RiskConsole.Ingest.Mock;

/// <summary>
/// Settings of the mock feeds, bound from "Ingest:Mock". Every default is chosen so that a demo shows both a
/// calm and a stormy market within a few minutes; docs/mock-feeds.md gives the reasons for each value.
/// </summary>
public sealed class MockFeedOptions : IValidatableOptions
{
    public const string SectionName = "Ingest:Mock";

    /// <summary>Symbols used when "Ingest:Mock:Symbols" is not configured (the Binance listener's defaults).</summary>
    public static IReadOnlyList<string> DefaultSymbols { get; } = ["BTCUSDT", "ETHUSDT", "SOLUSDT"];

    /// <summary>Subreddits used when "Ingest:Mock:Subreddits" is not configured (the Reddit listener's defaults).</summary>
    public static IReadOnlyList<string> DefaultSubreddits { get; } = ["CryptoCurrency", "Bitcoin", "wallstreetbets"];

    /// <summary>
    /// What the status board says while these feeds run; AddMockFeeds derives it from <see cref="IngestOptions.Mode"/>
    /// so the reason for mock data is visible (chosen by the operator, or no live listener available).
    /// </summary>
    public string StatusDetail { get; set; } = "mock data (Ingest:Mode=mock)";

    /// <summary>
    /// Seed of every random choice. The same seed and start time replay the same demo exactly;
    /// null draws one at start (it is logged, so a memorable run can be replayed).
    /// </summary>
    public int? Seed { get; set; }

    /// <summary>
    /// Symbols to simulate; empty means <see cref="DefaultSymbols"/>. (An empty default rather than a filled one,
    /// because the configuration binder appends to an array that already has items instead of replacing them.)
    /// </summary>
    public string[] Symbols { get; set; } = [];

    /// <summary>Subreddits posts are attributed to; empty means <see cref="DefaultSubreddits"/>.</summary>
    public string[] Subreddits { get; set; } = [];

    /// <summary>
    /// Start price per symbol (case-insensitive). A symbol missing here starts at <see cref="FallbackStartPrice"/>.
    /// Configured entries are merged over these defaults.
    /// </summary>
    public Dictionary<string, double> StartPrices { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["BTCUSDT"] = 90_000,
        ["ETHUSDT"] = 3_000,
        ["SOLUSDT"] = 140,
    };

    /// <summary>Start price of a symbol that has no entry in <see cref="StartPrices"/>.</summary>
    public double FallbackStartPrice { get; set; } = 100;

    /// <summary>Mean trades per second per symbol (arrivals are random, so gaps vary).</summary>
    public double PriceTicksPerSecond { get; set; } = 5;

    /// <summary>Mean prediction-market updates per second across all markets.</summary>
    public double MarketUpdatesPerSecond { get; set; } = 1;

    /// <summary>Mean Reddit posts per second across all subreddits (0.4 = one every 2.5 s).</summary>
    public double RedditPostsPerSecond { get; set; } = 0.4;

    /// <summary>Annualized volatility of a calm market (0.4 = 40 %/yr, a quiet day for bitcoin).</summary>
    public double CalmVolatility { get; set; } = 0.4;

    /// <summary>Lowest annualized volatility of a storm; each storm draws its own level up to <see cref="StormVolatilityMax"/>.</summary>
    public double StormVolatilityMin { get; set; } = 3.0;

    /// <summary>Highest annualized volatility of a storm.</summary>
    public double StormVolatilityMax { get; set; } = 4.0;

    /// <summary>Mean length of a calm spell in seconds.</summary>
    public double MeanCalmSeconds { get; set; } = 600;

    /// <summary>Mean length of a storm in seconds.</summary>
    public double MeanStormSeconds { get; set; } = 180;

    public IReadOnlyList<string> EffectiveSymbols => Symbols.Length > 0 ? Symbols : DefaultSymbols;

    public IReadOnlyList<string> EffectiveSubreddits => Subreddits.Length > 0 ? Subreddits : DefaultSubreddits;

    /// <summary>The start price of <paramref name="symbol"/>: its configured entry, else the fallback.</summary>
    public double StartPriceOf(string symbol) =>
        StartPrices.TryGetValue(symbol, out var price) ? price : FallbackStartPrice;

    /// <summary>One message per bad value, each naming its configuration key; empty when all is well.</summary>
    public IEnumerable<string> Validate()
    {
        static string Key(string name) => $"{SectionName}:{name}";

        foreach (var (name, value, min, max) in new[]
                 {
                     (nameof(PriceTicksPerSecond), PriceTicksPerSecond, 0.1, 1000.0),
                     (nameof(MarketUpdatesPerSecond), MarketUpdatesPerSecond, 0.01, 1000.0),
                     (nameof(RedditPostsPerSecond), RedditPostsPerSecond, 0.01, 100.0),
                     (nameof(CalmVolatility), CalmVolatility, 0.01, 20.0),
                     (nameof(StormVolatilityMin), StormVolatilityMin, 0.01, 20.0),
                     (nameof(StormVolatilityMax), StormVolatilityMax, 0.01, 20.0),
                     (nameof(MeanCalmSeconds), MeanCalmSeconds, 1.0, 86_400.0),
                     (nameof(MeanStormSeconds), MeanStormSeconds, 1.0, 86_400.0),
                     (nameof(FallbackStartPrice), FallbackStartPrice, 1e-6, 1e9),
                 })
        {
            // Written as a negated range so NaN fails too.
            if (!(value >= min && value <= max))
            {
                yield return $"{Key(name)} must be between {min} and {max} (was {value}).";
            }
        }

        if (StormVolatilityMin > StormVolatilityMax)
        {
            yield return $"{Key(nameof(StormVolatilityMin))} must not exceed {Key(nameof(StormVolatilityMax))} (was {StormVolatilityMin} > {StormVolatilityMax}).";
        }

        foreach (var message in ValidateNames(nameof(Symbols), Symbols, 256))
        {
            yield return message;
        }

        foreach (var message in ValidateNames(nameof(Subreddits), Subreddits, 100))
        {
            yield return message;
        }

        foreach (var (symbol, price) in StartPrices)
        {
            if (!(price >= 1e-6 && price <= 1e9))
            {
                yield return $"{Key(nameof(StartPrices))}:{symbol} must be between 1E-06 and 1000000000 (was {price}).";
            }
        }

        static IEnumerable<string> ValidateNames(string name, string[] names, int maxCount)
        {
            if (names.Length > maxCount)
            {
                yield return $"{Key(name)} must list at most {maxCount} entries (was {names.Length}).";
            }

            for (var i = 0; i < names.Length; i++)
            {
                if (string.IsNullOrWhiteSpace(names[i]))
                {
                    yield return $"{Key(name)}:{i} must not be empty.";
                }
            }

            foreach (var duplicate in names.Where(n => !string.IsNullOrWhiteSpace(n))
                         .GroupBy(n => n, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            {
                yield return $"{Key(name)} lists \"{duplicate.Key}\" more than once.";
            }
        }
    }
}
