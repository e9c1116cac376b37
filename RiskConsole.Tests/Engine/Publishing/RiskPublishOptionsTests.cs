using Microsoft.Extensions.Options;
using RiskConsole.Core.Risk;
using RiskConsole.Engine.Publishing;

namespace RiskConsole.Tests.Engine.Publishing;

public sealed class RiskPublishOptionsTests
{
    [Test]
    public void TheDefaultsAreValidAndHalfTheChannelIsTheBacklogLimit()
    {
        var options = new RiskPublishOptions();
        Assert.Multiple(() =>
        {
            Assert.That(options.Validate(), Is.Empty);
            Assert.That(options.StallAfterSeconds, Is.EqualTo(30));
            Assert.That(options.MaxHealthyBacklog, Is.EqualTo(5000));
            Assert.That(new StallWindowValidation(Options.Create(new RiskModelOptions())).Validate(null, options).Succeeded, Is.True);
        });
    }

    [TestCase(0.5, 100, 5000, "Risk:StallAfterSeconds must be between 1 and 3600 seconds (was 0.5).")]
    [TestCase(3601, 100, 5000, "Risk:StallAfterSeconds must be between 1 and 3600 seconds (was 3601).")]
    [TestCase(2, 1000, 5000, "Risk:StallAfterSeconds must be at least three publish intervals (3 s for Risk:PublishIntervalMs=1000; was 2).")]
    [TestCase(30, 100, 0, "Risk:MaxHealthyBacklog must be between 1 and the signal channel's capacity 10000 (was 0).")]
    [TestCase(30, 100, 10_001, "Risk:MaxHealthyBacklog must be between 1 and the signal channel's capacity 10000 (was 10001).")]
    public void BadValuesAreNamedWithTheirKey(double stallAfterSeconds, int publishIntervalMs, int maxHealthyBacklog, string expected)
    {
        var options = new RiskPublishOptions { StallAfterSeconds = stallAfterSeconds, PublishIntervalMs = publishIntervalMs, MaxHealthyBacklog = maxHealthyBacklog };
        Assert.That(options.Validate(), Is.EqualTo(new[] { expected }));
    }

    [Test]
    public void TheStallWindowMustHoldAtLeastThreeBars()
    {
        var validation = new StallWindowValidation(Options.Create(new RiskModelOptions { BarSeconds = 60 }));
        var result = validation.Validate(null, new RiskPublishOptions { StallAfterSeconds = 120 });
        Assert.Multiple(() =>
        {
            Assert.That(result.Failed, Is.True);
            Assert.That(result.FailureMessage, Is.EqualTo("Risk:StallAfterSeconds must be at least 3 bars (180 s for Risk:BarSeconds=60; was 120)."));
            Assert.That(validation.Validate(null, new RiskPublishOptions { StallAfterSeconds = 180 }).Succeeded, Is.True);
        });
    }
}
