using RiskConsole.Core.Contracts;
using RiskConsole.Engine.Publishing;
using RiskConsole.Ingest;

namespace RiskConsole.Tests.Engine.Publishing;

public sealed class SourceSwitchAlertsTests
{
    private static readonly DateTimeOffset At = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [TestCase(SourceModes.Live, SourceModes.Mock, AlertTypes.Warning, "crypto switched to mock data: why")]
    [TestCase(SourceModes.Connecting, SourceModes.Mock, AlertTypes.Warning, "crypto switched to mock data: why")]
    [TestCase(SourceModes.Connecting, SourceModes.Down, AlertTypes.Warning, "crypto is down: why")]
    [TestCase(SourceModes.Mock, SourceModes.Live, AlertTypes.Info, "crypto is live again: why")]
    [TestCase(SourceModes.Down, SourceModes.Live, AlertTypes.Info, "crypto is live again: why")]
    public void ASwitchBetweenLiveAndMockOrDownIsOneAlert(string from, string to, string type, string message)
    {
        var alert = SourceSwitchAlerts.AlertFor(new SourceModeChange(DataSources.Crypto, from, to, "why", At));

        Assert.That(alert, Is.EqualTo(new AlertNotice(type, message, At)));
    }

    [TestCase(null, SourceModes.Mock)]
    [TestCase(null, SourceModes.Connecting)]
    [TestCase(SourceModes.Connecting, SourceModes.Live)]
    [TestCase(SourceModes.Live, SourceModes.Connecting)]
    [TestCase(SourceModes.Live, SourceModes.Stopped)]
    [TestCase(SourceModes.Mock, SourceModes.Stopped)]
    public void FirstReportsReconnectsThatStayLiveAndStoppingAreNotAlerted(string? from, string to) =>
        Assert.That(SourceSwitchAlerts.AlertFor(new SourceModeChange(DataSources.Crypto, from, to, "why", At)), Is.Null);

    [Test]
    public void TheBoardRaisesOneChangePerNewModeNotPerNewDetail()
    {
        var board = new SourceStatusBoard();
        var changes = new List<SourceModeChange>();
        board.ModeChanged += changes.Add;

        board.Report(DataSources.Reddit, SourceModes.Connecting, healthy: false, "a");
        board.Report(DataSources.Reddit, SourceModes.Connecting, healthy: false, "b");
        board.Report(DataSources.Reddit, SourceModes.Mock, healthy: true, "c");
        board.Report(DataSources.Reddit, SourceModes.Mock, healthy: true, "d");

        Assert.That(changes.Select(c => (c.From, c.To, c.Detail)), Is.EqualTo(new (string?, string, string?)[]
        {
            (null, SourceModes.Connecting, "a"),
            (SourceModes.Connecting, SourceModes.Mock, "c"),
        }));
    }
}
