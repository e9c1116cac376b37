using RiskConsole.Core.Signals;
using RiskConsole.Engine.Publishing;

namespace RiskConsole.Tests.Engine.Publishing;

/// <summary>
/// A score leaves when its bar closes, not at the next publish tick: on fake time with 1 s bars (no lateness) and a
/// 300 ms publish interval, ticks fall at 0.3, 0.6, 0.9 and 1.2 s, and the bar that ends at 1.0 s must be sent with
/// the clock standing at 1.0 s.
/// </summary>
public sealed class ScoreTimingTests
{
    private static readonly DateTimeOffset Start = RouterHarness.Start;

    [Test]
    public async Task AScoreIsSentWhenItsBarClosesNotAtTheNextTick()
    {
        await using var router = new RouterHarness(new RiskPublishOptions { PublishIntervalMs = 300, StallAfterSeconds = 10 });
        await router.StartAsync();
        await router.WriteAndWaitAsync(new SentimentSample("r/x", -0.8, Start.AddMilliseconds(10), "awful"));

        // The tick that comes just before the bar closes sends the datum, and no score for the open bar.
        router.Clock.Advance(TimeSpan.FromMilliseconds(999));
        await router.Hub.Data(update => update.Sentiment?.Text == "awful");

        router.Clock.Advance(TimeSpan.FromMilliseconds(1));
        var score = await router.Hub.Score(update => update.At == Start.AddSeconds(1));

        Assert.Multiple(() =>
        {
            Assert.That(router.Clock.GetUtcNow(), Is.EqualTo(Start.AddSeconds(1)), "sent with the clock at the bar's close, 200 ms before the next tick");
            Assert.That(score.Components.Reddit, Is.Not.Null, "the closed bar's evaluation");
        });
    }
}
