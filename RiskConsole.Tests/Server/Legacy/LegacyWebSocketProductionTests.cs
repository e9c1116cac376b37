using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using RiskConsole.Engine.Scoring;

namespace RiskConsole.Tests.Server.Legacy;

/// <summary>/ws on a Production server without an admin key: FORCE_INTERRUPT is refused, on that socket only.</summary>
[Category(TestCategories.EndToEnd)]
public sealed class LegacyWebSocketProductionTests : LegacySocketFixture
{
    protected override string Environment => "Production";

    [TestCase(null)]
    [TestCase("guess")]
    public async Task ForceInterruptIsRefusedWithAnErrorAlertAndNothingIsBroadcast(string? presentedKey)
    {
        var asker = await ConnectAsync(presentedKey);
        var other = await ConnectAsync();
        await asker.SendTypeAsync("FORCE_INTERRUPT");
        var refusal = await asker.NextAsync("ALERT");
        var seen = await ReadBystanderPastAsync(asker, other);
        Assert.Multiple(() =>
        {
            AssertMatchesFixture("ALERT_error", refusal);
            Assert.That(AlertType(refusal), Is.EqualTo("error"));
            Assert.That(refusal.Payload.GetProperty("message").GetString(), Does.Contain("admin key").And.Contain("disabled").And.Contain("?adminKey="), "a /ws client is told the way it can present the key");
            Assert.That(seen.Where(f => f.Type == "INTERRUPT" && f.Payload.GetProperty("forced").GetBoolean()), Is.Empty, "no forced INTERRUPT reaches the other socket");
            Assert.That(seen.Where(f => f.Type == "ALERT" && AlertType(f) == "error"), Is.Empty, "the refusal is not broadcast");
            Assert.That(Server.Services.GetRequiredService<RiskMonitor>().ForcedInterruptCount, Is.Zero, "no forced interrupt was started");
            Assert.That(asker.State, Is.EqualTo(WebSocketState.Open));
        });
    }
}
