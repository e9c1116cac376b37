using RiskConsole.Ingest;

namespace RiskConsole.Tests.Ingest;

public sealed class IngestOptionsTests
{
    [Test]
    public void DefaultsAreValid()
    {
        var options = new IngestOptions();

        Assert.Multiple(() =>
        {
            Assert.That(options.Mode, Is.EqualTo(IngestOptions.AutoMode));
            Assert.That(options.FallbackAfterSeconds, Is.EqualTo(10));
            Assert.That(options.Validate(), Is.Empty);
            Assert.That(new IngestOptions { Mode = IngestOptions.MockMode }.Validate(), Is.Empty);
        });
    }

    [TestCase("sometimes", 10, "Ingest:Mode must be one of auto, live, mock (was 'sometimes').")]
    [TestCase("live", 10, "Ingest:Mode=live is not available in this build: the live listeners are not built yet; use auto or mock.")]
    [TestCase("auto", -1, "Ingest:FallbackAfterSeconds must be between 0 and 3600 seconds (was -1).")]
    [TestCase("auto", double.NaN, "Ingest:FallbackAfterSeconds must be between 0 and 3600 seconds (was NaN).")]
    public void EachBadValueIsReportedByItsKey(string mode, double fallbackAfterSeconds, string expected) =>
        Assert.That(new IngestOptions { Mode = mode, FallbackAfterSeconds = fallbackAfterSeconds }.Validate(), Is.EqualTo(new[] { expected }));
}
