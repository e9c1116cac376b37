using RiskConsole.Core.Contracts;
using RiskConsole.Core.Interrupts;
using RiskConsole.Core.Signals;

namespace RiskConsole.Tests.Engine.Publishing;

/// <summary>
/// Events reach the clients in the order they happened: a threshold alert after the score it describes, a new
/// connection's first score exactly where it joined the broadcasts (no Seq repeat or gap).
/// </summary>
public sealed class OutboundOrderTests
{
    private static readonly DateTimeOffset Start = RouterHarness.Start;

    [Test]
    public async Task AThresholdAlertIsSentAfterTheScoreItDescribes()
    {
        await using var router = new RouterHarness(policy: new InterruptPolicyOptions { Threshold = 50, HysteresisPoints = 5 });
        await router.StartAsync();
        for (var second = 0; second < 14; second++)
        {
            await router.WriteAndWaitAsync(new SentimentSample("r/x", -1, Start.AddSeconds(second).AddMilliseconds(10), $"awful {second}"));
            router.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        await router.Hub.NextAlert(a => a.AlertType == AlertTypes.Warning);
        var sent = router.Hub.Sent.ToList();
        var alertAt = sent.FindIndex(item => item is AlertNotice { AlertType: AlertTypes.Warning });
        var lastScoreBefore = sent.Take(alertAt).OfType<RiskScoreUpdate>().LastOrDefault();
        var alert = (AlertNotice)sent[alertAt];
        Assert.Multiple(() =>
        {
            Assert.That(lastScoreBefore, Is.Not.Null, "the score went out before the alert");
            Assert.That(lastScoreBefore!.Score, Is.GreaterThanOrEqualTo(50));
            Assert.That(alert.Message, Does.Contain($"{lastScoreBefore.Score:F1}/100"), "the alert names the score the clients already have");
        });
    }

    [Test]
    public async Task AJoinGetsTheLastScoreSentAndEveryLaterOneWithoutARepeatOrAGap()
    {
        await using var router = new RouterHarness();
        await router.StartAsync();
        var joins = new List<(long Seq, int SentBefore)>();
        for (var second = 0; second < 8; second++)
        {
            await router.WriteAndWaitAsync(new SentimentSample("r/x", second % 2 == 0 ? 0.5 : -0.5, Start.AddSeconds(second).AddMilliseconds(10), $"post {second}"));
            var join = router.Outbound.JoinAsync(latest =>
            {
                joins.Add((latest.Seq, router.Hub.Sent.Count));
                return Task.CompletedTask;
            });
            router.Clock.Advance(TimeSpan.FromSeconds(1));
            await join.WaitAsync(RouterHarness.Timeout);
        }

        var sent = router.Hub.Sent;
        Assert.That(joins, Has.Count.EqualTo(8));
        foreach (var (seq, before) in joins)
        {
            var lastBefore = sent.Take(before).OfType<RiskScoreUpdate>().LastOrDefault()?.Seq ?? 0;
            var firstAfter = sent.Skip(before).OfType<RiskScoreUpdate>().FirstOrDefault()?.Seq;
            Assert.Multiple(() =>
            {
                Assert.That(seq, Is.EqualTo(lastBefore), "the joiner starts at the last score everyone got");
                Assert.That(firstAfter, Is.Null.Or.EqualTo(seq + 1), "and its next score is the next one, not a repeat");
            });
        }

        Assert.That(joins.Select(j => j.Seq).Max(), Is.GreaterThan(0), "scores were flowing while clients joined");
    }
}
