using System.Text.RegularExpressions;
using RiskConsole.Core;

namespace RiskConsole.Ingest.Binance;

/// <summary>
/// Settings of the Binance listener, bound from "Ingest:Binance" and validated at start. The connection-wide settings
/// every listener shares (connect timeout, reconnect backoff) are in <see cref="IngestOptions"/>.
/// docs/drafts/ingest-binance.md says why each default is what it is.
/// </summary>
public sealed partial class BinanceOptions : IValidatableOptions
{
    public const string SectionName = "Ingest:Binance";

    /// <summary>Symbols used when "Ingest:Binance:Symbols" is not configured.</summary>
    public static IReadOnlyList<string> DefaultSymbols { get; } = ["BTCUSDT", "ETHUSDT", "SOLUSDT"];

    /// <summary>Streams of each symbol used when "Ingest:Binance:Streams" is not configured.</summary>
    public static IReadOnlyList<string> DefaultStreams { get; } = ["trade"];

    /// <summary>
    /// Binance allows at most 1024 streams on one connection; beyond that the handshake is refused.
    /// </summary>
    public const int MaxStreamsPerConnection = 1024;

    /// <summary>The market-data WebSocket base; the listener connects to <c>{StreamUrl}/stream?streams=...</c>.</summary>
    public string StreamUrl { get; set; } = "wss://stream.binance.com:9443";

    /// <summary>
    /// The REST base used when the stream is refused (HTTP 451 or 403): <c>{RestUrl}/api/v3/ticker/price</c>.
    /// data-api.binance.vision serves public market data only, which is all this needs.
    /// </summary>
    public string RestUrl { get; set; } = "https://data-api.binance.vision";

    /// <summary>
    /// Symbols to follow, as Binance spells them (case does not matter); the signals carry them as written here.
    /// Empty means <see cref="DefaultSymbols"/> (an empty default, because the configuration binder appends to an
    /// array that already has items instead of replacing them).
    /// </summary>
    public string[] Symbols { get; set; } = [];

    /// <summary>
    /// Which stream of each symbol to follow: <c>trade</c> (every trade), <c>ticker</c> (the rolling 24 h ticker, once a
    /// second) or <c>kline_&lt;interval&gt;</c> such as <c>kline_1m</c> (the open candle, every 1–2 s).
    /// Empty means <see cref="DefaultStreams"/>.
    /// </summary>
    public string[] Streams { get; set; } = [];

    /// <summary>
    /// How long the connection may go without a message before it is treated as dead and replaced. Binance pings every
    /// 20 s, but pings do not reach the listener, so this must exceed the longest quiet spell of the configured streams.
    /// </summary>
    public double SilenceTimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// How long one stream connection is used before it is replaced by a new one (opened first, so no data is missed).
    /// Binance cuts every connection at 24 h; a little under that keeps the cut planned.
    /// </summary>
    public double MaxConnectionAgeMinutes { get; set; } = 23.5 * 60;

    /// <summary>
    /// Largest WebSocket message or REST answer accepted, in bytes. Binance's market events are a few hundred bytes;
    /// anything larger is dropped as a rejected frame (and the rest of it skipped) instead of being buffered.
    /// </summary>
    public int MaxMessageBytes { get; set; } = 64 * 1024;

    /// <summary>While the stream is refused, how often the REST price of every symbol is fetched.</summary>
    public double RestPollIntervalSeconds { get; set; } = 2;

    /// <summary>While polling REST, how long before the stream is tried again (the polling connection then ends normally).</summary>
    public double StreamRetryAfterSeconds { get; set; } = 300;

    /// <summary>How long to wait after an HTTP 429 that carries no Retry-After header.</summary>
    public double RateLimitedWaitSeconds { get; set; } = 30;

    /// <summary>
    /// How long to stay away after an HTTP 418 (Binance's IP ban for ignoring 429s) that carries no Retry-After header.
    /// Binance bans for 2 minutes up to 3 days, longer for repeat offenders, so this errs long.
    /// </summary>
    public double IpBanWaitSeconds { get; set; } = 900;

    public IReadOnlyList<string> EffectiveSymbols => Symbols.Length > 0 ? Symbols : DefaultSymbols;

    public IReadOnlyList<string> EffectiveStreams => Streams.Length > 0 ? Streams : DefaultStreams;

    public TimeSpan SilenceTimeout => TimeSpan.FromSeconds(SilenceTimeoutSeconds);

    public TimeSpan MaxConnectionAge => TimeSpan.FromMinutes(MaxConnectionAgeMinutes);

    public TimeSpan RestPollInterval => TimeSpan.FromSeconds(RestPollIntervalSeconds);

    public TimeSpan StreamRetryAfter => TimeSpan.FromSeconds(StreamRetryAfterSeconds);

    public TimeSpan RateLimitedWait => TimeSpan.FromSeconds(RateLimitedWaitSeconds);

    public TimeSpan IpBanWait => TimeSpan.FromSeconds(IpBanWaitSeconds);

    /// <summary>One message per bad value, each naming its configuration key; empty when all is well.</summary>
    public IEnumerable<string> Validate()
    {
        static string Key(string name) => $"{SectionName}:{name}";

        if (!IsAbsolute(StreamUrl, "ws", "wss"))
        {
            yield return $"{Key(nameof(StreamUrl))} must be an absolute ws:// or wss:// URL without a query (was '{StreamUrl}').";
        }

        if (!IsAbsolute(RestUrl, "http", "https"))
        {
            yield return $"{Key(nameof(RestUrl))} must be an absolute http:// or https:// URL without a query (was '{RestUrl}').";
        }

        foreach (var (name, value, min, max) in new[]
                 {
                     (nameof(SilenceTimeoutSeconds), SilenceTimeoutSeconds, 1.0, 3600.0),
                     (nameof(MaxConnectionAgeMinutes), MaxConnectionAgeMinutes, 1.0, 24.0 * 60),
                     (nameof(RestPollIntervalSeconds), RestPollIntervalSeconds, 0.1, 3600.0),
                     (nameof(StreamRetryAfterSeconds), StreamRetryAfterSeconds, 1.0, 86_400.0),
                     (nameof(RateLimitedWaitSeconds), RateLimitedWaitSeconds, 0.1, 86_400.0),
                     (nameof(IpBanWaitSeconds), IpBanWaitSeconds, 1.0, 3 * 86_400.0),
                 })
        {
            // A negated range, so NaN fails too.
            if (!(value >= min && value <= max))
            {
                yield return $"{Key(name)} must be between {min} and {max} (was {value}).";
            }
        }

        // A poll answer is the polling connection's only sign of life: two polls must fit in the silence timeout, or a
        // healthy polling connection would be taken for a dead one.
        if (RestPollIntervalSeconds * 2 > SilenceTimeoutSeconds)
        {
            yield return $"{Key(nameof(RestPollIntervalSeconds))} must be at most half of {Key(nameof(SilenceTimeoutSeconds))} (was {RestPollIntervalSeconds} s with a silence timeout of {SilenceTimeoutSeconds} s).";
        }

        if (MaxMessageBytes is < 1024 or > 16 * 1024 * 1024)
        {
            yield return $"{Key(nameof(MaxMessageBytes))} must be between 1024 and 16777216 bytes (was {MaxMessageBytes}).";
        }

        for (var i = 0; i < Symbols.Length; i++)
        {
            if (Symbols[i] is null || !SymbolPattern().IsMatch(Symbols[i]))
            {
                yield return $"{Key(nameof(Symbols))}:{i} must be a Binance symbol of 2 to 30 letters and digits, such as BTCUSDT (was '{Symbols[i]}').";
            }
        }

        foreach (var duplicate in Symbols.Where(s => s is not null).GroupBy(s => s, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            yield return $"{Key(nameof(Symbols))} lists \"{duplicate.Key}\" more than once.";
        }

        for (var i = 0; i < Streams.Length; i++)
        {
            if (Streams[i] is null || !StreamPattern().IsMatch(Streams[i]))
            {
                yield return $"{Key(nameof(Streams))}:{i} must be trade, ticker or kline_<interval> with an interval of 1s, 1m, 3m, 5m, 15m, 30m, 1h, 2h, 4h, 6h, 8h, 12h, 1d, 3d, 1w or 1M (was '{Streams[i]}').";
            }
        }

        foreach (var duplicate in Streams.Where(s => s is not null).GroupBy(s => s, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            yield return $"{Key(nameof(Streams))} lists \"{duplicate.Key}\" more than once.";
        }

        // One symbol's ticker and klines are all price updates of one symbol; two kline intervals would only repeat it.
        if (Streams.Count(s => s is not null && s.StartsWith("kline_", StringComparison.Ordinal)) > 1)
        {
            yield return $"{Key(nameof(Streams))} may list at most one kline interval (was {string.Join(", ", Streams.Where(s => s is not null && s.StartsWith("kline_", StringComparison.Ordinal)))}).";
        }

        if (EffectiveSymbols.Count * EffectiveStreams.Count > MaxStreamsPerConnection)
        {
            yield return $"{Key(nameof(Symbols))} × {Key(nameof(Streams))} must make at most {MaxStreamsPerConnection} streams, Binance's limit per connection (was {EffectiveSymbols.Count} × {EffectiveStreams.Count}).";
        }
    }

    private static bool IsAbsolute(string? url, string scheme, string secureScheme) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.Scheme == scheme || uri.Scheme == secureScheme)
        && string.IsNullOrEmpty(uri.Query)
        && string.IsNullOrEmpty(uri.Fragment);

    [GeneratedRegex("^[A-Za-z0-9]{2,30}$")]
    private static partial Regex SymbolPattern();

    [GeneratedRegex("^(trade|ticker|kline_(1s|1m|3m|5m|15m|30m|1h|2h|4h|6h|8h|12h|1d|3d|1w|1M))$")]
    private static partial Regex StreamPattern();
}
