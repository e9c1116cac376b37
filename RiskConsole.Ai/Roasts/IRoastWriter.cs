using RiskConsole.Core.Contracts;

namespace RiskConsole.Ai.Roasts;

/// <summary>Writes the short roast read to the user on an interrupt. The OpenAI writer and the offline writer implement it.</summary>
public interface IRoastWriter
{
    /// <summary>A human-readable name for status pages ("offline", "openai:gpt-4o").</summary>
    string Name { get; }

    Task<string> WriteAsync(RoastContext context, CancellationToken cancellationToken);
}

/// <summary>What the market looks like right now, for the roast to talk about.</summary>
/// <param name="Score">The 0–100 risk score.</param>
/// <param name="Components">Why the score is what it is.</param>
/// <param name="Prices">Latest price per symbol.</param>
/// <param name="Markets">Latest probability per market question.</param>
/// <param name="RecentPosts">A few recent post excerpts with their sentiment.</param>
/// <param name="Forced">True when a user forced the interrupt rather than the threshold.</param>
public sealed record RoastContext(
    double Score,
    RiskComponents Components,
    IReadOnlyDictionary<string, double> Prices,
    IReadOnlyDictionary<string, double> Markets,
    IReadOnlyList<(string Text, double Sentiment)> RecentPosts,
    bool Forced);
