using RiskConsole.Core.Contracts;
using RiskConsole.Engine.Publishing;

namespace RiskConsole.Tests.Engine.Publishing;

/// <summary>A sender far behind costs scores (counted), never alerts or interrupts.</summary>
public sealed class OutboundMailboxTests
{
    [Test]
    public void BeyondTheLimitScoresAreDroppedAndCountedButAlertsAreKept()
    {
        var mailbox = new OutboundMailbox();
        for (var i = 0; i < OutboundMailbox.MaxWaitingScores + 5; i++)
        {
            mailbox.Publish(null);
        }

        mailbox.Alert(new AlertNotice(AlertTypes.Warning, "kept", DateTimeOffset.UnixEpoch));
        var alerts = 0;
        while (mailbox.Reader.TryRead(out var message))
        {
            alerts += message is OutboundMessage.Alert ? 1 : 0;
        }

        Assert.Multiple(() =>
        {
            Assert.That(mailbox.DroppedScores, Is.EqualTo(5));
            Assert.That(alerts, Is.EqualTo(1), "an alert is never dropped");
        });
    }
}
