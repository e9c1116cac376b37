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
            Assert.That(new IngestOptions { Mode = IngestOptions.LiveMode }.Validate(), Is.Empty);
        });
    }

    [TestCase("sometimes", 10, "Ingest:Mode must be one of auto, live, mock (was 'sometimes').")]
    [TestCase("auto", -1, "Ingest:FallbackAfterSeconds must be between 0 and 3600 seconds (was -1).")]
    [TestCase("auto", double.NaN, "Ingest:FallbackAfterSeconds must be between 0 and 3600 seconds (was NaN).")]
    public void EachBadValueIsReportedByItsKey(string mode, double fallbackAfterSeconds, string expected) =>
        Assert.That(new IngestOptions { Mode = mode, FallbackAfterSeconds = fallbackAfterSeconds }.Validate(), Is.EqualTo(new[] { expected }));

    [Test]
    public void ConnectionSettingsOutOfRangeAreReportedByTheirKeys()
    {
        var options = new IngestOptions
        {
            ConnectTimeoutSeconds = 0,
            ReconnectDelaySeconds = double.NaN,
            ReconnectMaxDelaySeconds = 1e9,
            CircuitBreakAfterFailures = 1,
            CircuitBreakSeconds = 0.1,
        };

        Assert.That(options.Validate(), Is.EqualTo(new[]
        {
            "Ingest:ConnectTimeoutSeconds must be greater than 0 and at most 300 seconds (was 0).",
            "Ingest:ReconnectDelaySeconds must be between 0.001 and 3600 seconds (was NaN).",
            "Ingest:ReconnectMaxDelaySeconds must be between ReconnectDelaySeconds and 3600 seconds (was 1000000000).",
            "Ingest:CircuitBreakAfterFailures must be between 2 and 1000 (was 1).",
            "Ingest:CircuitBreakSeconds must be between 0.5 and 3600 seconds (was 0.1).",
        }));
    }
}
