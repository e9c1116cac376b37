using System.Collections.Immutable;

namespace RiskConsole.Ai.Roasts;

/// <summary>
/// The fact sentences and punchlines for one <see cref="RoastSituation"/>, and the lists of every situation.
/// A fact is a template whose slots <see cref="RoastSlots"/> fills; a punchline is used as written.
/// </summary>
internal sealed record RoastTemplates(ImmutableArray<string> Facts, ImmutableArray<string> Punchlines)
{
    public static RoastTemplates For(RoastSituation situation) => situation switch
    {
        RoastSituation.Calm => CalmTemplates,
        RoastSituation.CalmForced => CalmForcedTemplates,
        RoastSituation.Crypto => CryptoTemplates,
        RoastSituation.Polymarket => PolymarketTemplates,
        RoastSituation.Reddit => RedditTemplates,
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

    private static readonly RoastTemplates CalmTemplates = new(
        [
            "Risk is a calm {score}/100 and {asset} is minding its own business.",
            "Only {score}/100 on the risk meter; {asset} is practically meditating.",
            "Risk {score}/100 with {asset}: suspiciously quiet.",
            "The risk meter reads {score}/100 and {asset} is asleep at the wheel.",
        ],
        CalmPunchlines);

    private static readonly RoastTemplates CalmForcedTemplates = new(
        [
            "You forced an interrupt at a sleepy {score}/100 while {asset} naps.",
            "Risk is only {score}/100 and {asset} is bored, but sure, press the big red button.",
            "A forced alarm at {score}/100? {asset} is barely awake.",
            "Manual panic at {score}/100, with {asset} doing absolutely nothing.",
            "You summoned the siren at {score}/100, and {asset} did not even flinch.",
        ],
        CalmPunchlines);

    private static readonly RoastTemplates CryptoTemplates = new(
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

    private static readonly RoastTemplates PolymarketTemplates = new(
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

    private static readonly RoastTemplates RedditTemplates = new(
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

    private static readonly RoastTemplates OnFireTemplates = new(
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
}
