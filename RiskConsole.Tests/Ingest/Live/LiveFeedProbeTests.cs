using RiskConsole.Core.Signals;
using RiskConsole.Ingest.Live;

namespace RiskConsole.Tests.Ingest.Live;

public sealed class LiveFeedProbeTests
{
    [Test]
    public async Task PrintsTheConnectionAndTheSignalsAndExitsZeroWhenLiveDataArrived()
    {
        var feed = new ScriptedFeed();
        using var output = new StringWriter();
        var probe = new LiveFeedProbe(feed, TimeProvider.System, output).RunAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        var connection = await feed.NextConnectionAsync();
        connection.Sink.Connected("scripted stream");
        connection.Sink.FrameRejected("not JSON");
        for (var i = 0; i < LiveFeedProbe.SignalsShown + 5; i++)
        {
            connection.Sink.MessageReceived();
            await connection.Sink.PublishAsync(new PriceTick("BTCUSDT", 100 + i, DateTimeOffset.UnixEpoch.AddSeconds(i)), CancellationToken.None);
        }

        connection.Fail(new InvalidOperationException("closed by the server: 1001 going away"));
        var exit = await probe.WaitAsync(IngestTestClock.WaitLimit);
        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.Zero);
            Assert.That(lines[0], Is.EqualTo("probing crypto at ws://scripted.invalid for 30 s ..."));
            Assert.That(lines, Does.Contain("connected: scripted stream"));
            Assert.That(lines, Does.Contain("dropped a message: not JSON"));
            Assert.That(lines.Count(l => l.StartsWith("price BTCUSDT ", StringComparison.Ordinal)), Is.EqualTo(LiveFeedProbe.SignalsShown));
            Assert.That(lines[^1], Is.EqualTo($"OK: live data from crypto: {LiveFeedProbe.SignalsShown + 5} message(s), {LiveFeedProbe.SignalsShown + 5} signal(s), 1 dropped; then: closed by the server: 1001 going away"));
        });
    }

    [Test]
    public async Task SaysWhyAndExitsOneWhenItCannotConnect()
    {
        var feed = new ScriptedFeed { Refusal = new HttpRequestException("stream refused: HTTP 451") };
        using var output = new StringWriter();

        var exit = await new LiveFeedProbe(feed, TimeProvider.System, output).RunAsync(TimeSpan.FromSeconds(30), CancellationToken.None).WaitAsync(IngestTestClock.WaitLimit);

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(1));
            Assert.That(output.ToString(), Does.EndWith($"FAILED: stream refused: HTTP 451 (0 message(s), 0 signal(s), 0 dropped){Environment.NewLine}"));
        });
    }

    [Test]
    public async Task ConnectedButSilentUntilTheDeadlineIsNoData()
    {
        var feed = new ScriptedFeed();
        using var output = new StringWriter();
        var probe = new LiveFeedProbe(feed, TimeProvider.System, output).RunAsync(TimeSpan.FromMilliseconds(300), CancellationToken.None);
        var connection = await feed.NextConnectionAsync();
        connection.Sink.Connected("scripted stream");

        var exit = await probe.WaitAsync(IngestTestClock.WaitLimit);

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(1));
            Assert.That(output.ToString(), Does.Contain("NO DATA: connected but no signal within 0.3 s"));
        });
    }
}
