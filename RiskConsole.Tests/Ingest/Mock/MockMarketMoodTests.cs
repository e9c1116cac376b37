using RiskConsole.Ingest.Mock;

namespace RiskConsole.Tests.Ingest.Mock;

public sealed class MockMarketMoodTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public void OpensCalmAndHasStormsOfMinutesWithinAnHour()
    {
        var options = new MockFeedOptions();
        var mood = new MockMarketMood(options, seed: 11, Start);
        var spells = Spells(mood, TimeSpan.FromMinutes(60));

        var storms = spells.Where(s => s.Stormy).ToList();
        TestContext.Out.WriteLine($"{spells.Count} spells, {storms.Count} storms, storm lengths (s): " +
                                  string.Join(", ", storms.Select(s => (int)(s.End - s.Start).TotalSeconds)));
        Assert.Multiple(() =>
        {
            Assert.That(spells[0].Stormy, Is.False);
            Assert.That(storms, Is.Not.Empty);
            Assert.That(storms.Select(s => (s.End - s.Start).TotalSeconds), Is.All.InRange(60, 540), "a third to three times the 180 s mean");
            Assert.That(storms.Select(s => s.Volatility), Is.All.InRange(options.StormVolatilityMin, options.StormVolatilityMax));
            Assert.That(spells.Where(s => !s.Stormy).Select(s => s.Volatility), Is.All.EqualTo(options.CalmVolatility));
        });
    }

    [Test]
    public void IntegratedVarianceAddsUpAcrossSpellBoundaries()
    {
        var mood = new MockMarketMood(new MockFeedOptions(), seed: 3, Start);
        var end = Start.AddMinutes(20);
        var whole = mood.IntegratedVariance(Start, end);

        var pieces = 0.0;
        for (var t = Start; t < end; t = t.AddSeconds(7))
        {
            pieces += mood.IntegratedVariance(t, t.AddSeconds(7) < end ? t.AddSeconds(7) : end);
        }

        var expected = Spells(mood, TimeSpan.FromMinutes(20)).Sum(s =>
        {
            var from = s.Start > Start ? s.Start : Start;
            var to = s.End < end ? s.End : end;
            return s.Volatility * s.Volatility * (to - from).TotalDays / 365.25;
        });

        Assert.Multiple(() =>
        {
            Assert.That(pieces, Is.EqualTo(whole).Within(1e-12));
            Assert.That(whole, Is.EqualTo(expected).Within(1e-12));
            Assert.That(mood.IntegratedVariance(end, Start), Is.Zero);
        });
    }

    [Test]
    public void FearIsFullInAStormAndFadesAfterIt()
    {
        var mood = new MockMarketMood(new MockFeedOptions(), seed: 11, Start);
        var storm = Spells(mood, TimeSpan.FromMinutes(30)).First(s => s.Stormy);

        Assert.Multiple(() =>
        {
            Assert.That(mood.FearAt(Start), Is.Zero, "the calm before the first storm");
            Assert.That(mood.FearAt(storm.Start.AddSeconds(1)), Is.EqualTo(1));
            Assert.That(mood.FearAt(storm.End.AddSeconds(10)), Is.InRange(0.5, 1.0));
            Assert.That(mood.FearAt(storm.End.AddSeconds(30)), Is.LessThan(mood.FearAt(storm.End.AddSeconds(10))));
        });
    }

    [Test]
    public void SameSeedGivesTheSameScheduleWhoeverAsksFirst()
    {
        var a = new MockMarketMood(new MockFeedOptions(), seed: 5, Start);
        var b = new MockMarketMood(new MockFeedOptions(), seed: 5, Start);

        // b is asked about a late time first, as a feed running ahead of another would.
        _ = b.RegimeAt(Start.AddHours(1));

        Assert.That(Spells(b, TimeSpan.FromHours(1)), Is.EqualTo(Spells(a, TimeSpan.FromHours(1))));
    }

    internal static List<MockRegime> Spells(MockMarketMood mood, TimeSpan span)
    {
        var spells = new List<MockRegime>();
        var at = mood.Origin;
        while (at < mood.Origin + span)
        {
            var spell = mood.RegimeAt(at);
            spells.Add(spell);
            at = spell.End;
        }

        return spells;
    }
}
