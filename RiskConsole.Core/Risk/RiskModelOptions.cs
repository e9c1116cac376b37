namespace RiskConsole.Core.Risk;

/// <summary>
/// Every tunable of the risk model, bound from the configuration section "Risk". Defaults and the
/// reasons for them are in docs/risk-model.md; <see cref="Validate"/> names the key of any bad value.
/// </summary>
public sealed class RiskModelOptions : IValidatableOptions
{
    public const string SectionName = "Risk";

    /// <summary>Bar length in seconds: the score is evaluated once per bar, from the signals stamped inside it and before.</summary>
    public double BarSeconds { get; set; } = 1;

    /// <summary>
    /// Allowance for signals that arrive late: a bar closes only once the engine clock has passed its end by this
    /// much (the watermark); a signal stamped inside a closed bar is rejected as late.
    /// </summary>
    public double LatenessSeconds { get; set; } = 2;

    /// <summary>
    /// How far a signal may be stamped ahead of the time the engine was advanced to (<see cref="RiskEngine.AdvanceTo"/>),
    /// so one upstream clock that runs ahead costs its own signals, never the score.
    /// </summary>
    public double FutureToleranceSeconds { get; set; } = 5;

    /// <summary>Length of one crypto return: volatility is measured on returns over this interval, whatever the bar length.</summary>
    public double CryptoReturnSeconds { get; set; } = 60;

    /// <summary>Return intervals in the crypto volatility window (seed: CRYPTO_MA_WINDOW); the horizon is this × CryptoReturnSeconds.</summary>
    public int CryptoWindow { get; set; } = 20;

    /// <summary>Updates per market in the Polymarket window (seed: POLYMARKET_MA_WINDOW).</summary>
    public int PolymarketWindow { get; set; } = 10;

    /// <summary>Posts in the Reddit sentiment window (seed: REDDIT_MA_WINDOW).</summary>
    public int RedditWindow { get; set; } = 15;

    /// <summary>Return intervals of history a symbol needs before its volatility counts.</summary>
    public int MinimumReturns { get; set; } = 5;

    /// <summary>Annualized volatility at which the crypto component reaches 1 − 1/e ≈ 0.63.</summary>
    public double ReferenceVolatility { get; set; } = 2.0;

    /// <summary>
    /// How far back a symbol's high reaches for its drawdown (the fall term): a day, the onset of a fall being a close
    /// 5 % below the prior 24 hours' high. 0 turns the fall term off (the model before it existed).
    /// </summary>
    public double DrawdownLookbackSeconds { get; set; } = 86400;

    /// <summary>Drawdown below the lookback's high (a fraction) up to which the fall term is 0: an ordinary day's dip.</summary>
    public double DrawdownStart { get; set; } = 0.01;

    /// <summary>Drawdown (a fraction) from which the fall term is 1; it rises linearly from <see cref="DrawdownStart"/>.</summary>
    public double DrawdownFull { get; set; } = 0.06;

    /// <summary>Net probability move within a market's window that counts as a full shock.</summary>
    public double ShockReference { get; set; } = 0.2;

    /// <summary>How much of a full shock adds to the Polymarket component.</summary>
    public double ShockWeight { get; set; } = 0.5;

    /// <summary>Time constant of each market's own baseline level; extremity counts only beyond that baseline.</summary>
    public double PolymarketBaselineSeconds { get; set; } = 3600;

    public double CryptoWeight { get; set; } = 0.4;

    public double PolymarketWeight { get; set; } = 0.3;

    public double RedditWeight { get; set; } = 0.3;

    /// <summary>Midpoint of the elevation ramp: a component at this level counts as half elevated.</summary>
    public double ElevatedLevel { get; set; } = 0.6;

    /// <summary>Half-width of the elevation ramp: elevation rises linearly from ElevatedLevel − this to ElevatedLevel + this.</summary>
    public double ElevationWidth { get; set; } = 0.2;

    /// <summary>Raw risk is multiplied by 1 + this × (sum of elevations − the largest), so one component alone never amplifies.</summary>
    public double AmplificationPerElevated { get; set; } = 0.25;

    /// <summary>Raw values the normalizer remembers (one per evaluated bar).</summary>
    public int NormalizerWindow { get; set; } = 100;

    /// <summary>Smallest raw range the normalizer maps onto 0–100, so calm-market noise stays low.</summary>
    public double MinimumSpan { get; set; } = 0.5;

    /// <summary>Evaluated bars before the adaptive range is used; until then the score is raw × 100 and no interrupt fires.</summary>
    public int WarmupValues { get; set; } = 10;

    /// <summary>A symbol with no accepted tick for longer than this drops out of the crypto component.</summary>
    public double CryptoMaxAgeSeconds { get; set; } = 60;

    /// <summary>A market with no accepted update for longer than this drops out of the Polymarket component.</summary>
    public double PolymarketMaxAgeSeconds { get; set; } = 900;

    /// <summary>A post older than this (by its timestamp) drops out of the Reddit component.</summary>
    public double RedditMaxAgeSeconds { get; set; } = 1800;

    /// <summary>Lowest price accepted; below it a price is implausible (and its logarithm loses precision).</summary>
    public double MinimumPrice { get; set; } = 1e-9;

    /// <summary>Highest price accepted.</summary>
    public double MaximumPrice { get; set; } = 1e9;

    /// <summary>
    /// Largest |ln(price / last accepted price)| of one symbol accepted within <see cref="PriceRebaseSeconds"/> of that
    /// last price (0.2 ≈ +22 % / −18 %); a larger jump is rejected as implausible.
    /// </summary>
    public double MaxPriceJump { get; set; } = 0.2;

    /// <summary>
    /// A jump larger than <see cref="MaxPriceJump"/> is accepted once the symbol's last accepted price is at least this old;
    /// the symbol's history then restarts, so a real repricing costs at most this long, never the symbol for good.
    /// </summary>
    public double PriceRebaseSeconds { get; set; } = 60;

    /// <summary>Distinct symbols / markets / feeds tracked at most, so garbage keys cannot grow memory without bound.</summary>
    public int MaxKeysPerSource { get; set; } = 256;

    /// <summary>Longest symbol, market id or feed id accepted.</summary>
    public int MaxKeyLength { get; set; } = 200;

    /// <summary>Longest market question or post excerpt accepted (listeners trim to an excerpt before this).</summary>
    public int MaxTextLength { get; set; } = 2000;

    /// <summary>Bars in one crypto return (CryptoReturnSeconds / BarSeconds, a whole number once validated).</summary>
    public int CryptoReturnBars => (int)Math.Round(CryptoReturnSeconds / BarSeconds);

    public IEnumerable<string> Validate()
    {
        string Key(string name) => $"{SectionName}:{name}";

        var barValid = BarSeconds is >= 0.001 and <= 86400;
        if (!barValid)
        {
            yield return $"{Key(nameof(BarSeconds))} must be between 0.001 and 86400 seconds (was {BarSeconds}).";
        }

        foreach (var (name, value, min) in new[]
                 {
                     (nameof(CryptoWindow), CryptoWindow, 2), (nameof(PolymarketWindow), PolymarketWindow, 2),
                     (nameof(RedditWindow), RedditWindow, 1), (nameof(NormalizerWindow), NormalizerWindow, 2),
                     (nameof(MinimumReturns), MinimumReturns, 2), (nameof(WarmupValues), WarmupValues, 1),
                     (nameof(MaxKeysPerSource), MaxKeysPerSource, 1), (nameof(MaxKeyLength), MaxKeyLength, 1),
                     (nameof(MaxTextLength), MaxTextLength, 1),
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
                     (nameof(PolymarketBaselineSeconds), PolymarketBaselineSeconds), (nameof(MaxPriceJump), MaxPriceJump),
                     (nameof(CryptoReturnSeconds), CryptoReturnSeconds),
                 })
        {
            if (!(double.IsFinite(value) && value > 0))
            {
                yield return $"{Key(name)} must be a positive number (was {value}).";
            }
        }

        foreach (var (name, value) in new[]
                 {
                     (nameof(LatenessSeconds), LatenessSeconds), (nameof(FutureToleranceSeconds), FutureToleranceSeconds),
                     (nameof(PriceRebaseSeconds), PriceRebaseSeconds),
                 })
        {
            if (!(value is >= 0 and <= 86400))
            {
                yield return $"{Key(name)} must be between 0 and 86400 seconds (was {value}).";
            }
        }

        foreach (var (name, value) in new[]
                 {
                     (nameof(CryptoMaxAgeSeconds), CryptoMaxAgeSeconds), (nameof(PolymarketMaxAgeSeconds), PolymarketMaxAgeSeconds),
                     (nameof(RedditMaxAgeSeconds), RedditMaxAgeSeconds),
                 })
        {
            if (!(value is > 0 and <= 7 * 86400))
            {
                yield return $"{Key(name)} must be greater than 0 and at most 604800 seconds (was {value}).";
            }
            else if (barValid && value < BarSeconds)
            {
                // Younger than one bar would make every component stale at every bar end.
                yield return $"{Key(name)} must be at least {Key(nameof(BarSeconds))} (was {value} < {BarSeconds}).";
            }
        }

        if (barValid && double.IsFinite(CryptoReturnSeconds) && CryptoReturnSeconds > 0)
        {
            var bars = CryptoReturnSeconds / BarSeconds;
            if (bars < 1 - 1e-9 || Math.Abs(bars - Math.Round(bars)) > 1e-6 * bars)
            {
                yield return $"{Key(nameof(CryptoReturnSeconds))} must be a whole multiple of {Key(nameof(BarSeconds))} (was {CryptoReturnSeconds} / {BarSeconds}).";
            }
            else if (CryptoWindow is >= 2 and <= 100_000 && Math.Round(bars) * CryptoWindow > 1_000_000)
            {
                // One overlapping return is kept per bar: bound the memory per symbol.
                yield return $"{Key(nameof(CryptoWindow))} × {Key(nameof(CryptoReturnSeconds))} / {Key(nameof(BarSeconds))} must not exceed 1000000 bars (was {Math.Round(bars) * CryptoWindow}).";
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

        if (!(ElevationWidth is > 0 and <= 0.5))
        {
            yield return $"{Key(nameof(ElevationWidth))} must be greater than 0 and at most 0.5 (was {ElevationWidth}).";
        }
        else if (ElevatedLevel is >= 0 and <= 1 && (ElevatedLevel - ElevationWidth < 0 || ElevatedLevel + ElevationWidth > 1))
        {
            yield return $"{Key(nameof(ElevatedLevel))} ± {Key(nameof(ElevationWidth))} must stay within [0, 1] (was {ElevatedLevel} ± {ElevationWidth}).";
        }

        if (!(DrawdownLookbackSeconds is >= 0 and <= 7 * 86400))
        {
            yield return $"{Key(nameof(DrawdownLookbackSeconds))} must be between 0 (off) and 604800 seconds (was {DrawdownLookbackSeconds}).";
        }

        if (!(DrawdownStart is >= 0 and < 1))
        {
            yield return $"{Key(nameof(DrawdownStart))} must be at least 0 and below 1 (was {DrawdownStart}).";
        }
        else if (!(DrawdownFull > DrawdownStart && DrawdownFull <= 1))
        {
            yield return $"{Key(nameof(DrawdownFull))} must be above {Key(nameof(DrawdownStart))} and at most 1 (was {DrawdownFull}, start {DrawdownStart}).";
        }

        if (!(MinimumSpan is > 0 and <= 1))
        {
            yield return $"{Key(nameof(MinimumSpan))} must be greater than 0 and at most 1 (was {MinimumSpan}).";
        }

        if (!(MinimumPrice is > 0 and < 1e300) || !double.IsFinite(MaximumPrice) || MaximumPrice <= MinimumPrice)
        {
            yield return $"{Key(nameof(MinimumPrice))} must be positive and below {Key(nameof(MaximumPrice))} (was {MinimumPrice} and {MaximumPrice}).";
        }

        if (CryptoWeight + PolymarketWeight + RedditWeight <= 0)
        {
            yield return $"{Key(nameof(CryptoWeight))}, {Key(nameof(PolymarketWeight))} and {Key(nameof(RedditWeight))} must not all be 0.";
        }
    }
}
