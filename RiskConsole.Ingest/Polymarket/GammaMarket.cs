namespace RiskConsole.Ingest.Polymarket;

/// <summary>
/// One open binary Yes/No market as Gamma lists it: the ids the listener needs to follow it on the CLOB market channel.
/// <see cref="ConditionId"/> is the market's id in every signal: it is what the channel's own events carry in their
/// <c>market</c> field and what the CLOB and on-chain APIs take, whereas Gamma's numeric <see cref="GammaId"/> is Gamma's
/// database key only.
/// </summary>
/// <param name="GammaId">Gamma's id ("684512").</param>
/// <param name="ConditionId">The CTF condition id ("0x924e…"): the market id in signals.</param>
/// <param name="Question">The market's question, shown with its probability.</param>
/// <param name="YesTokenId">The CLOB token of the outcome "Yes" (taken by index from <c>outcomes</c>, not by position).</param>
/// <param name="NoTokenId">The CLOB token of the outcome "No".</param>
/// <param name="YesPrice">Gamma's last price of "Yes" (<c>outcomePrices</c>), NaN when absent; not published, because it has no event time.</param>
/// <param name="Volume24h">Gamma's <c>volume24hr</c>, 0 when absent: how the list is ordered.</param>
public sealed record GammaMarket(
    string GammaId,
    string ConditionId,
    string Question,
    string YesTokenId,
    string NoTokenId,
    double YesPrice,
    double Volume24h);

/// <summary>What one Gamma answer yielded: the markets to follow (most active first) and how many listed ones did not qualify.</summary>
/// <param name="Markets">Open binary Yes/No markets with token ids, after the keyword filter, at most MaxMarkets.</param>
/// <param name="Listed">How many markets the answer held.</param>
/// <param name="Unusable">How many of them were not open binary Yes/No markets with token ids, or were malformed.</param>
/// <param name="FirstUnusableReason">Why the first unusable one was skipped, for the log; null when none was.</param>
public sealed record GammaMarketList(IReadOnlyList<GammaMarket> Markets, int Listed, int Unusable, string? FirstUnusableReason);
