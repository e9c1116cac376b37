namespace RiskConsole.Ai.Roasts;

/// <summary>What a roast is about; each situation has its own <see cref="RoastTemplates"/>.</summary>
internal enum RoastSituation
{
    Calm,
    CalmForced,
    Crypto,
    Polymarket,
    Reddit,
    OnFire,
}
