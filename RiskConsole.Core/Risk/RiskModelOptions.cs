namespace RiskConsole.Core.Risk;

/// <summary>
/// Every tunable of the risk model, bound from the configuration section "Risk". Defaults and the
/// reasons for them are in docs/risk-model.md; <see cref="Validate"/> names the key of any bad value.
/// </summary>
public sealed class RiskModelOptions
{
    public const string SectionName = "Risk";

    /// <summary>Bar length in seconds: prices are sampled into bars, scores are evaluated once per bar.</summary>
    public double BarSeconds { get; set; } = 1;

    /// <summary>Bars of log returns in the crypto volatility window (seed: CRYPTO_MA_WINDOW).</summary>
    public int CryptoWindow { get; set; } = 20;

    /// <summary>Updates per market in the Polymarket window (seed: POLYMARKET_MA_WINDOW).</summary>
    public int PolymarketWindow { get; set; } = 10;

    /// <summary>Posts in the Reddit sentiment window (seed: REDDIT_MA_WINDOW).</summary>
    public int RedditWindow { get; set; } = 15;

    /// <summary>Returns a symbol needs before its volatility counts.</summary>
    public int MinimumReturns { get; set; } = 5;

    /// <summary>Annualized volatility at which the crypto component reaches 1 − 1/e ≈ 0.63.</summary>
    public double ReferenceVolatility { get; set; } = 2.0;

    /// <summary>Net probability move within a market's window that counts as a full shock.</summary>
    public double ShockReference { get; set; } = 0.2;

    /// <summary>How much of a full shock adds to the Polymarket component.</summary>
    public double ShockWeight { get; set; } = 0.5;

    public double CryptoWeight { get; set; } = 0.4;

    public double PolymarketWeight { get; set; } = 0.3;

    public double RedditWeight { get; set; } = 0.3;

    /// <summary>A component at or above this level is "elevated" for cross-correlation amplification.</summary>
    public double ElevatedLevel { get; set; } = 0.6;

    /// <summary>Raw risk is multiplied by 1 + this × (elevated components − 1) when two or more are elevated.</summary>
    public double AmplificationPerElevated { get; set; } = 0.25;

    /// <summary>Raw values the normalizer remembers (one per bar).</summary>
    public int NormalizerWindow { get; set; } = 100;

    /// <summary>Smallest raw range the normalizer maps onto 0–100, so calm-market noise stays low.</summary>
    public double MinimumSpan { get; set; } = 0.5;

    /// <summary>Raw values before the adaptive range is used; until then the score is raw × 100 and no interrupt fires.</summary>
    public int WarmupValues { get; set; } = 10;

    /// <summary>A signal more than this far ahead of the engine clock is rejected, so one bad timestamp cannot freeze the clock.</summary>
    public double MaxClockJumpSeconds { get; set; } = 3600;

    /// <summary>Distinct symbols / markets / feeds tracked at most, so garbage keys cannot grow memory without bound.</summary>
    public int MaxKeysPerSource { get; set; } = 256;

    public IEnumerable<string> Validate()
    {
        string Key(string name) => $"{SectionName}:{name}";

        if (!(BarSeconds is >= 0.001 and <= 86400))
        {
            yield return $"{Key(nameof(BarSeconds))} must be between 0.001 and 86400 seconds (was {BarSeconds}).";
        }

        foreach (var (name, value, min) in new[]
                 {
                     (nameof(CryptoWindow), CryptoWindow, 2), (nameof(PolymarketWindow), PolymarketWindow, 2),
                     (nameof(RedditWindow), RedditWindow, 1), (nameof(NormalizerWindow), NormalizerWindow, 2),
                     (nameof(MinimumReturns), MinimumReturns, 2), (nameof(WarmupValues), WarmupValues, 1),
                     (nameof(MaxKeysPerSource), MaxKeysPerSource, 1),
                 })
        {
            if (value < min || value > 100_000)
            {
                yield return $"{Key(name)} must be between {min} and 100000 (was {value}).";
            }
        }

        // Relations between two keys are checked only when both are valid on their own, so one bad value gives one message.
        if (CryptoWindow >= 2 && MinimumReturns >= 2 && MinimumReturns > CryptoWindow)
        {
            yield return $"{Key(nameof(MinimumReturns))} must not exceed {Key(nameof(CryptoWindow))} (was {MinimumReturns} > {CryptoWindow}).";
        }

        if (NormalizerWindow >= 2 && WarmupValues >= 1 && WarmupValues > NormalizerWindow)
        {
            yield return $"{Key(nameof(WarmupValues))} must not exceed {Key(nameof(NormalizerWindow))} (was {WarmupValues} > {NormalizerWindow}).";
        }

        foreach (var (name, value) in new[]
                 {
                     (nameof(ReferenceVolatility), ReferenceVolatility), (nameof(ShockReference), ShockReference),
                     (nameof(MaxClockJumpSeconds), MaxClockJumpSeconds),
                 })
        {
            if (!(double.IsFinite(value) && value > 0))
            {
                yield return $"{Key(name)} must be a positive number (was {value}).";
            }
        }

        foreach (var (name, value) in new[]
                 {
                     (nameof(ShockWeight), ShockWeight), (nameof(CryptoWeight), CryptoWeight),
                     (nameof(PolymarketWeight), PolymarketWeight), (nameof(RedditWeight), RedditWeight),
                     (nameof(ElevatedLevel), ElevatedLevel), (nameof(AmplificationPerElevated), AmplificationPerElevated),
                 })
        {
            if (!(value is >= 0 and <= 1))
            {
                yield return $"{Key(name)} must be between 0 and 1 (was {value}).";
            }
        }

        if (!(MinimumSpan is > 0 and <= 1))
        {
            yield return $"{Key(nameof(MinimumSpan))} must be greater than 0 and at most 1 (was {MinimumSpan}).";
        }

        if (CryptoWeight + PolymarketWeight + RedditWeight <= 0)
        {
            yield return $"{Key(nameof(CryptoWeight))}, {Key(nameof(PolymarketWeight))} and {Key(nameof(RedditWeight))} must not all be 0.";
        }
    }
}
