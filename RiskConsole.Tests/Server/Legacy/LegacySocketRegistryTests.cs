using System.Net.WebSockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RiskConsole.Core.Contracts;
using RiskConsole.Server.Configuration;
using RiskConsole.Server.Legacy;

namespace RiskConsole.Tests.Server.Legacy;

public sealed class LegacySocketRegistryTests
{
    [Test]
    public void AClientThatDoesNotKeepUpLosesItsOwnOldestFramesAndTheLossIsCounted()
    {
        var registry = new LegacySocketRegistry(Options.Create(new ServerOptions { LegacySocketBufferFrames = 3 }), NullLogger<LegacySocketRegistry>.Instance);
        using var stalled = WebSocket.CreateFromStream(new MemoryStream(), isServer: true, subProtocol: null, keepAliveInterval: TimeSpan.Zero);
        using var other = WebSocket.CreateFromStream(new MemoryStream(), isServer: true, subProtocol: null, keepAliveInterval: TimeSpan.Zero);
        var latest = new RiskScoreUpdate(10, new RiskComponents(null, null, null, 0, 1, 0, null, null, null, null, null, true, false, false, false), 0, DateTimeOffset.UnixEpoch);

        // No send loop runs for either socket: nothing drains their queues (capacity 3).
        registry.Join(registry.Open(stalled), latest);
        Assert.That(registry.DroppedFrames, Is.Zero);
        for (var i = 0; i < 10; i++)
        {
            registry.BroadcastAlert(new AlertNotice(AlertTypes.Info, $"alert {i}", DateTimeOffset.UnixEpoch));
        }

        Assert.That(registry.DroppedFrames, Is.EqualTo(11 - 3), "the initial score and ten alerts into a queue of three");

        registry.Join(registry.Open(other), latest);
        registry.BroadcastAlert(new AlertNotice(AlertTypes.Info, "one more", DateTimeOffset.UnixEpoch));
        Assert.That(registry.DroppedFrames, Is.EqualTo(8 + 1), "only the stalled socket drops; the new one has room");
    }
}
