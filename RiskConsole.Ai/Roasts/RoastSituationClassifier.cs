using RiskConsole.Core.Contracts;

namespace RiskConsole.Ai.Roasts;

/// <summary>Picks the <see cref="RoastSituation"/> of a <see cref="RoastContext"/>: calm, on fire, or the component behind the score.</summary>
internal static class RoastSituationClassifier
{
    private const double CalmBelow = 50;

    private const double OnFireFrom = 90;

    public static RoastSituation Classify(RoastContext context)
    {
        var components = context.Components;
        var calm = context.Forced ? RoastSituation.CalmForced : RoastSituation.Calm;
        if (!double.IsFinite(context.Score) || context.Score < CalmBelow)
        {
            return calm;
        }

        if (context.Score >= OnFireFrom || components?.ElevatedCount >= 2)
        {
            return RoastSituation.OnFire;
        }

        // A middling score with no component behind it only happens before any source reported.
        return Dominant(components) ?? calm;
    }

    /// <summary>The component with the highest risk; ties go crypto, then Polymarket, then Reddit.</summary>
    private static RoastSituation? Dominant(RiskComponents? components)
    {
        if (components is null)
        {
            return null;
        }

        RoastSituation? best = null;
        var bestValue = double.NegativeInfinity;
        foreach (var (situation, value) in new[]
                 {
                     (RoastSituation.Crypto, components.Crypto),
                     (RoastSituation.Polymarket, components.Polymarket),
                     (RoastSituation.Reddit, components.Reddit),
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
}
