using System.Collections.Immutable;
using RiskConsole.Core.Contracts;

namespace RiskConsole.Ai.Roasts;

/// <summary>
/// Writes roasts without any network: a fact sentence built from the live <see cref="RoastContext"/>
/// (rounded score, riskiest symbol and price, the dominant component's own figure, a market question or a
/// post excerpt) followed by a punchline. Both are drawn from per-situation lists, never repeating the
/// previous pick of that situation, so consecutive roasts rarely match. Thread-safe: the interrupt
/// workflow and forced interrupts may call it at the same time.
/// </summary>
public sealed class OfflineRoastWriter : IRoastWriter
{
    /// <summary>Roasts are read aloud and shown in a toast, so they stay short.</summary>
    public const int MaxLength = 220;

    private readonly Random _random;
    private readonly Lock _gate = new();

    // Last fact and punchline index per situation, so the next pick of the same situation differs.
    private readonly int[] _lastFact = Enumerable.Repeat(-1, SituationCount).ToArray();
    private readonly int[] _lastPunchline = Enumerable.Repeat(-1, SituationCount).ToArray();

    public OfflineRoastWriter()
        : this(new Random())
    {
    }

    /// <param name="random">Source of template choice; pass a seeded one for a reproducible sequence.</param>
    public OfflineRoastWriter(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        _random = random;
    }

    public string Name => "offline";

    public Task<string> WriteAsync(RoastContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Write(context));
    }

    /// <summary>The synchronous core of <see cref="WriteAsync"/>: no I/O, so nothing to await.</summary>
    public string Write(RoastContext context)
    {
        ArgumentNullException.ThrowIfNull(context);

        var situation = RoastSituationClassifier.Classify(context);
        var templates = RoastTemplates.For(situation);
        int factIndex;
        int punchlineIndex;
        lock (_gate)
        {
            factIndex = PickAvoiding(templates.Facts.Length, _lastFact[(int)situation]);
            punchlineIndex = PickAvoiding(templates.Punchlines.Length, _lastPunchline[(int)situation]);
            _lastFact[(int)situation] = factIndex;
            _lastPunchline[(int)situation] = punchlineIndex;
        }

        return Compose(context, templates.Facts[factIndex], templates.Punchlines[punchlineIndex]);
    }

    private int PickAvoiding(int count, int previous)
    {
        if (count <= 1 || previous < 0)
        {
            return _random.Next(count);
        }

        // Draw from the other count − 1 slots and skip over the previous one: uniform and never a repeat.
        var pick = _random.Next(count - 1);
        return pick >= previous ? pick + 1 : pick;
    }

    private static string Compose(RoastContext context, string fact, string punchline)
    {
        // Long market questions and posts are what push a roast past the limit, so shrink them first,
        // then drop the punchline, and only cut the text as a last resort.
        foreach (var excerptLength in ExcerptLengths)
        {
            var slots = RoastSlots.From(context, excerptLength);
            var text = slots.Fill(fact) + " " + punchline;
            if (text.Length <= MaxLength)
            {
                return text;
            }
        }

        var factOnly = RoastSlots.From(context, ExcerptLengths[^1]).Fill(fact);
        return factOnly.Length <= MaxLength ? factOnly : RoastText.Truncate(factOnly, MaxLength);
    }

    private static readonly ImmutableArray<int> ExcerptLengths = [64, 40, 24, 12];

    private static readonly int SituationCount = Enum.GetValues<RoastSituation>().Length;
}
