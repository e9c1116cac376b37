using RiskConsole.Ai.Roasts;
using RiskConsole.Core.Contracts;

namespace RiskConsole.Tests.Ai.Roasts;

/// <summary>Which situation a roast is about: calm below 50, on fire from 90 or with two elevated components, else the top component.</summary>
public sealed class RoastSituationClassifierTests
{
    [TestCase(10, false, ExpectedResult = "Calm")]
    [TestCase(10, true, ExpectedResult = "CalmForced")]
    [TestCase(double.NaN, false, ExpectedResult = "Calm")]
    [TestCase(95, false, ExpectedResult = "OnFire")]
    public string ScoreAloneDecidesAtTheEnds(double score, bool forced) =>
        RoastSituationClassifier.Classify(Context(score, forced, Components(0.2, 0.9, 0.1, elevated: 1))).ToString();

    [Test]
    public void AMiddlingScoreIsAboutTheStrongestComponentAndStaleOnesDoNotCount()
    {
        Assert.Multiple(() =>
        {
            Assert.That(RoastSituationClassifier.Classify(Context(70, false, Components(0.2, 0.9, 0.1, elevated: 1))), Is.EqualTo(RoastSituation.Polymarket));
            Assert.That(RoastSituationClassifier.Classify(Context(70, false, Components(null, null, 0.7, elevated: 1))), Is.EqualTo(RoastSituation.Reddit));
            Assert.That(RoastSituationClassifier.Classify(Context(70, false, Components(0.7, 0.7, 0.1, elevated: 2))), Is.EqualTo(RoastSituation.OnFire));
        });
    }

    private static RiskComponents Components(double? crypto, double? polymarket, double? reddit, int elevated) =>
        new(crypto, polymarket, reddit, 0.5, 1, elevated, null, null, null, null, null, false, false, false, false);

    private static RoastContext Context(double score, bool forced, RiskComponents components) =>
        new(score, components, new Dictionary<string, double>(), new Dictionary<string, double>(), [], forced);
}
