using System.Globalization;
using RiskConsole.Core;

namespace RiskConsole.Ingest.Polymarket;

/// <summary>
/// The Polymarket listener: which markets it follows (the most active ones Gamma lists, optionally only those whose
/// question contains <see cref="Keyword"/>) and how it talks to the CLOB market channel. Section "Ingest:Polymarket";
/// the connect timeout and the reconnect policy are shared by all sources (<see cref="IngestOptions"/>).
/// </summary>
public sealed class PolymarketOptions : IValidatableOptions
{
    public const string SectionName = "Ingest:Polymarket";

    /// <summary>The CLOB market channel (public, no key).</summary>
    public string ClobWebSocketUrl { get; set; } = "wss://ws-subscriptions-clob.polymarket.com/ws/market";

    /// <summary>The Gamma REST API that lists markets; the listener asks <c>{GammaUrl}/markets</c>.</summary>
    public string GammaUrl { get; set; } = "https://gamma-api.polymarket.com";

    /// <summary>How many markets are followed: the most active (24 h volume) open binary Yes/No markets.</summary>
    public int MaxMarkets { get; set; } = 10;

    /// <summary>
    /// When set, only markets whose question contains this text (case-insensitive), e.g. "bitcoin". Gamma has no
    /// search on the question, so the filter runs on the <see cref="GammaPageSize"/> most active markets it lists.
    /// </summary>
    public string? Keyword { get; set; }

    /// <summary>
    /// How many of the most active markets one Gamma request asks for (its <c>limit</c>). More than
    /// <see cref="MaxMarkets"/>, because some listed markets are not binary Yes/No and a keyword drops others.
    /// </summary>
    public int GammaPageSize { get; set; } = 100;

    /// <summary>How often the market list is asked for again while connected; new markets are subscribed and dropped ones unsubscribed on the open socket.</summary>
    public double MarketRefreshSeconds { get; set; } = 300;

    /// <summary>How often the text <c>PING</c> is sent; the market channel expects one every 10 seconds and answers <c>PONG</c>.</summary>
    public double PingIntervalSeconds { get; set; } = 10;

    /// <summary>A connection that receives nothing (not even a PONG) for this long is treated as dead and replaced.</summary>
    public double SilenceTimeoutSeconds { get; set; } = 30;

    /// <summary>The largest WebSocket message read; a larger one is dropped as a rejected frame and the connection goes on.</summary>
    public int MaxFrameBytes { get; set; } = 1024 * 1024;

    /// <summary>The largest Gamma answer read (after decompression); a larger one fails that request.</summary>
    public int GammaMaxResponseBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>
    /// The widest bid/ask spread whose midpoint is taken as the probability; beyond it the last trade price is used
    /// when there is one. 0.10 is the rule polymarket.com itself displays prices by: a wide spread on a thin book
    /// says little about what the crowd believes.
    /// </summary>
    public double MaxSpreadForMidpoint { get; set; } = 0.10;

    public TimeSpan MarketRefreshInterval => TimeSpan.FromSeconds(MarketRefreshSeconds);

    public TimeSpan PingInterval => TimeSpan.FromSeconds(PingIntervalSeconds);

    public TimeSpan SilenceTimeout => TimeSpan.FromSeconds(SilenceTimeoutSeconds);

    /// <summary><see cref="Keyword"/> trimmed, or null when it is absent or blank.</summary>
    public string? KeywordFilter => string.IsNullOrWhiteSpace(Keyword) ? null : Keyword.Trim();

    public IEnumerable<string> Validate()
    {
        if (!IsUrl(ClobWebSocketUrl, "ws", "wss"))
        {
            yield return $"{SectionName}:{nameof(ClobWebSocketUrl)} must be an absolute ws:// or wss:// URL (was '{ClobWebSocketUrl}').";
        }

        if (!IsUrl(GammaUrl, "http", "https"))
        {
            yield return $"{SectionName}:{nameof(GammaUrl)} must be an absolute http(s) URL (was '{GammaUrl}').";
        }
        else if (!string.IsNullOrEmpty(new Uri(GammaUrl).Query))
        {
            yield return $"{SectionName}:{nameof(GammaUrl)} must not carry a query; the listener adds /markets?... itself (was '{GammaUrl}').";
        }

        // The market channel takes up to 500 assets per connection, and each market is two (its Yes and No tokens).
        if (MaxMarkets is < 1 or > 250)
        {
            yield return $"{SectionName}:{nameof(MaxMarkets)} must be between 1 and 250 (was {MaxMarkets}).";
        }

        if (GammaPageSize < MaxMarkets || GammaPageSize > 500)
        {
            yield return $"{SectionName}:{nameof(GammaPageSize)} must be between {nameof(MaxMarkets)} ({MaxMarkets}) and 500 (was {GammaPageSize}).";
        }

        if (Keyword is { Length: > 100 })
        {
            yield return $"{SectionName}:{nameof(Keyword)} must be at most 100 characters (was {Keyword.Length}).";
        }

        if (!(MarketRefreshSeconds is >= 1 and <= 86_400))
        {
            yield return $"{SectionName}:{nameof(MarketRefreshSeconds)} must be between 1 and 86400 seconds (was {Format(MarketRefreshSeconds)}).";
        }

        if (!(PingIntervalSeconds is >= 0.01 and <= 60))
        {
            yield return $"{SectionName}:{nameof(PingIntervalSeconds)} must be between 0.01 and 60 seconds (was {Format(PingIntervalSeconds)}).";
        }

        // The PONG to each PING is what keeps a quiet connection from looking dead, so the silence allowed must cover
        // at least two pings.
        if (!(SilenceTimeoutSeconds is > 0 and <= 3600) || SilenceTimeoutSeconds < 2 * PingIntervalSeconds)
        {
            yield return $"{SectionName}:{nameof(SilenceTimeoutSeconds)} must be at least twice {nameof(PingIntervalSeconds)} ({Format(2 * PingIntervalSeconds)} s) and at most 3600 seconds (was {Format(SilenceTimeoutSeconds)}).";
        }

        if (MaxFrameBytes is < 4096 or > 64 * 1024 * 1024)
        {
            yield return $"{SectionName}:{nameof(MaxFrameBytes)} must be between 4096 and 67108864 bytes (was {MaxFrameBytes}).";
        }

        if (GammaMaxResponseBytes is < 64 * 1024 or > 256 * 1024 * 1024)
        {
            yield return $"{SectionName}:{nameof(GammaMaxResponseBytes)} must be between 65536 and 268435456 bytes (was {GammaMaxResponseBytes}).";
        }

        if (!(MaxSpreadForMidpoint is > 0 and <= 1))
        {
            yield return $"{SectionName}:{nameof(MaxSpreadForMidpoint)} must be greater than 0 and at most 1 (was {Format(MaxSpreadForMidpoint)}).";
        }
    }

    private static bool IsUrl(string? value, string scheme, string secureScheme) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == scheme || uri.Scheme == secureScheme) && !string.IsNullOrEmpty(uri.Host);

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}
