namespace RiskConsole.Ingest.Polymarket;

/// <summary>
/// One market the listener follows on the open connection, with what it knows of its "Yes" token: best bid, best ask,
/// last trade, and the probability it last published. Only the connection's receive loop touches that state; a market
/// list refresh reuses the object for a market it keeps, so a refresh loses nothing.
/// </summary>
internal sealed class FollowedMarket(GammaMarket market)
{
    private long _lastEventMs = long.MinValue;
    private double _published = double.NaN;

    public string ConditionId { get; } = market.ConditionId;

    public string Question { get; } = market.Question;

    public string YesTokenId { get; } = market.YesTokenId;

    public string NoTokenId { get; } = market.NoTokenId;

    /// <summary>Best bid of the Yes token; NaN when the bid side is empty or unknown.</summary>
    public double BestBid { get; private set; } = double.NaN;

    /// <summary>Best ask of the Yes token; NaN when the ask side is empty or unknown.</summary>
    public double BestAsk { get; private set; } = double.NaN;

    /// <summary>Last trade price of the Yes token; NaN until one is seen.</summary>
    public double LastTrade { get; private set; } = double.NaN;

    /// <summary>
    /// Takes one update of the Yes token and returns the probability to publish, or NaN when there is none or it has
    /// not changed since the last one published. An update stamped earlier than one already applied is stale (the
    /// channel does not promise order across event types) and changes nothing.
    /// </summary>
    public double Apply(in ClobUpdate update, double maxSpreadForMidpoint)
    {
        if (update.TimestampMs < _lastEventMs)
        {
            return double.NaN;
        }

        _lastEventMs = update.TimestampMs;
        if (update.HasQuote)
        {
            BestBid = update.BestBid;
            BestAsk = update.BestAsk;
        }

        if (double.IsFinite(update.TradePrice))
        {
            LastTrade = update.TradePrice;
        }

        var probability = Probability(BestBid, BestAsk, LastTrade, maxSpreadForMidpoint);
        if (double.IsNaN(probability) || probability == _published)
        {
            return double.NaN;
        }

        _published = probability;
        return probability;
    }

    /// <summary>
    /// The market's probability of "Yes": the midpoint of best bid and best ask while the spread is at most
    /// <paramref name="maxSpreadForMidpoint"/>; else the last trade; else the midpoint of a wide spread (better than
    /// nothing until a trade prints); NaN while a side is missing and nothing has traded.
    /// </summary>
    public static double Probability(double bestBid, double bestAsk, double lastTrade, double maxSpreadForMidpoint)
    {
        var twoSided = double.IsFinite(bestBid) && double.IsFinite(bestAsk);
        // The small allowance keeps 0.55 − 0.45 (0.10000000000000003 in binary) inside a 0.10 limit.
        if (twoSided && bestAsk - bestBid <= maxSpreadForMidpoint + 1e-9)
        {
            return Midpoint(bestBid, bestAsk);
        }

        if (double.IsFinite(lastTrade))
        {
            return lastTrade;
        }

        return twoSided ? Midpoint(bestBid, bestAsk) : double.NaN;
    }

    // Rounded to a millionth: prices are in ticks of at least 0.001, so this only removes binary noise
    // (0.6 + 0.61 is 1.2099999999999999) that would otherwise publish "changes" that are not.
    private static double Midpoint(double bid, double ask) => Math.Round((bid + ask) / 2, 6);
}
