using RiskConsole.Core.Signals;
using RiskConsole.Ingest.Mock;

namespace RiskConsole.Tests.Ingest.Mock;

public sealed class MockMarketGeneratorTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public void SameSeedGivesIdenticalUpdatesAndADifferentSeedDoesNot()
    {
        var first = Generate(seed: 42, TimeSpan.FromMinutes(5));
        Assert.Multiple(() =>
        {
            Assert.That(first, Is.Not.Empty);
            Assert.That(Generate(seed: 42, TimeSpan.FromMinutes(5)), Is.EqualTo(first));
            Assert.That(Generate(seed: 43, TimeSpan.FromMinutes(5)), Is.Not.EqualTo(first));
        });
    }

    [Test]
    public void UpdatesDoNotDependOnHowOftenTheGeneratorIsAsked()
    {
        var options = new MockFeedOptions();
        var stepped = new MockMarketGenerator(options, new MockMarketMood(options, 8, Start));
        var fine = new List<MarketProbability>();
        for (var t = Start; t <= Start.AddMinutes(5); t = t.AddMilliseconds(250))
        {
            fine.AddRange(stepped.Advance(t));
        }

        var once = new MockMarketGenerator(options, new MockMarketMood(options, 8, Start)).Advance(Start.AddMinutes(5));

        Assert.That(once, Is.EqualTo(fine));
    }

    [Test]
    public void ProbabilitiesStayInsideZeroAndOneForEveryMarketAtAboutOneUpdateASecond()
    {
        var span = TimeSpan.FromHours(2);
        var updates = Generate(seed: 1, span);

        Assert.Multiple(() =>
        {
            Assert.That(updates.Select(u => u.Probability), Is.All.GreaterThan(0).And.All.LessThan(1));
            Assert.That(updates.Select(u => u.IsMock), Is.All.True);
            Assert.That(updates.Select(u => u.Timestamp), Is.Ordered);
            Assert.That(updates.Count / span.TotalSeconds, Is.InRange(0.9, 1.1));
            Assert.That(updates.Select(u => u.MarketId).Distinct(), Is.EquivalentTo(MockMarketGenerator.DefaultMarkets.Select(m => m.MarketId)));
            Assert.That(updates.All(u => u.MarketId.StartsWith("mock-", StringComparison.Ordinal) && u.Question.EndsWith('?')), Is.True);
        });
    }

    [Test]
    public void MarketsDriftGentlyAndSometimesJumpOnNews()
    {
        var updates = Generate(seed: 4, TimeSpan.FromMinutes(30));
        var moves = updates.GroupBy(u => u.MarketId)
            .SelectMany(g => g.Zip(g.Skip(1), (a, b) => Math.Abs(b.Probability - a.Probability)))
            .ToList();
        var jumps = moves.Count(m => m >= 0.05);
        TestContext.Out.WriteLine($"{moves.Count} consecutive moves, median {moves.Order().ElementAt(moves.Count / 2):F3}, {jumps} of 5 points or more");

        Assert.Multiple(() =>
        {
            Assert.That(moves.Order().ElementAt(moves.Count / 2), Is.LessThan(0.02), "typical move is small drift");
            Assert.That(jumps, Is.GreaterThan(0), "news jumps happen");
        });
    }

    private static List<MarketProbability> Generate(int seed, TimeSpan span)
    {
        var options = new MockFeedOptions();
        return [.. new MockMarketGenerator(options, new MockMarketMood(options, seed, Start)).Advance(Start + span)];
    }
}
