using System.Net.WebSockets;
using System.Text.Json;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.Options;
using RiskConsole.Core.Contracts;
using RiskConsole.Server.Configuration;
using RiskConsole.Server.Legacy;
using RiskConsole.Server.Observability;

namespace RiskConsole.Tests.Server.Legacy;

public sealed class LegacySocketRegistryTests
{
    private static readonly TimeSpan _timeout = TimeSpan.FromSeconds(10);

    [Test]
    public void AClientThatDoesNotKeepUpLosesItsOwnOldestFramesAndTheLossIsCounted()
    {
        var registry = Registry(bufferFrames: 3);
        using var stalled = ServerSocket(new MemoryStream());
        using var other = ServerSocket(new MemoryStream());
        var latest = Score(seq: 0);

        // No send loop runs for either socket: nothing drains their queues (capacity 3).
        var stalledSocket = registry.Open(stalled, "stalled", "127.0.0.1");
        registry.Join(stalledSocket, latest);
        Assert.That(registry.DroppedFrames, Is.Zero);
        for (var i = 0; i < 10; i++)
        {
            registry.BroadcastAlert(Alert($"alert {i}"));
        }

        Assert.That(registry.DroppedFrames, Is.EqualTo(11 - 3), "the initial score and ten alerts into a queue of three");

        var otherSocket = registry.Open(other, "other", "127.0.0.1");
        registry.Join(otherSocket, latest);
        registry.BroadcastAlert(Alert("one more"));
        Assert.Multiple(() =>
        {
            Assert.That(registry.DroppedFrames, Is.EqualTo(8 + 1), "only the stalled socket drops; the new one has room");
            Assert.That(stalledSocket.DroppedFrames, Is.EqualTo(9));
            Assert.That(otherSocket.DroppedFrames, Is.Zero);
        });
    }

    [Test]
    public async Task AJoiningSocketStartsAtTheLatestScoreAndALeavingOneGetsNoMoreBroadcasts()
    {
        const string End = "end";
        var registry = Registry(bufferFrames: 16);
        var output = new MemoryStream();
        using var webSocket = ServerSocket(output);

        // Before anyone joins a score is only remembered; the joining socket starts at it, not at the initial one.
        registry.BroadcastScore(Score(seq: 1));
        var socket = registry.Open(webSocket, "joining", "127.0.0.1");
        registry.Join(socket, Score(seq: 0));
        registry.BroadcastScore(Score(seq: 2));
        registry.BroadcastAlert(Alert("while joined"));
        var countWhileJoined = registry.Count;

        registry.Leave(socket);
        registry.BroadcastScore(Score(seq: 3));
        registry.BroadcastAlert(Alert("after leaving"));
        socket.Enqueue(LegacyFrameEncoder.Alert(Alert(End)));
        socket.Complete();
        await socket.RunSendLoopAsync(CancellationToken.None).WaitAsync(_timeout);

        var frames = await ReadFramesAsync(output.ToArray(), End);
        Assert.Multiple(() =>
        {
            Assert.That(countWhileJoined, Is.EqualTo(1));
            Assert.That(registry.Count, Is.Zero);
            Assert.That(frames, Is.EqualTo(new[] { "RISK_SCORE 1", "RISK_SCORE 2", "ALERT while joined", "ALERT end" }), "what the socket sent, in order");
        });
    }

    [Test]
    public async Task AClientThatTakesNoFrameForTheSlowClientTimeoutIsCutOffAndCounted()
    {
        var time = new FakeTimeProvider();
        var registry = Registry(bufferFrames: 16, time);
        using var webSocket = ServerSocket(new StallingStream());
        var socket = registry.Open(webSocket, "stalled", "203.0.113.9");
        registry.Join(socket, Score(seq: 0));
        var sending = socket.RunSendLoopAsync(CancellationToken.None);

        registry.BroadcastAlert(Alert("queued behind the stalled write"));
        time.Advance(TimeSpan.FromSeconds(9.9));
        registry.BroadcastAlert(Alert("still within the timeout"));
        var beforeTimeout = registry.SlowDisconnects;
        time.Advance(TimeSpan.FromSeconds(0.1));
        registry.BroadcastAlert(Alert("after the timeout"));

        await sending.WaitAsync(_timeout);
        Assert.Multiple(() =>
        {
            Assert.That(beforeTimeout, Is.Zero, "not cut off before Server:SlowClientTimeoutSeconds");
            Assert.That(registry.SlowDisconnects, Is.EqualTo(1));
            Assert.That(webSocket.State, Is.EqualTo(WebSocketState.Aborted), "aborted: a close handshake would wait on the client that does not read");
        });
    }

    private static LegacySocketRegistry Registry(int bufferFrames, TimeProvider? time = null) =>
        new(
            Options.Create(new ServerOptions { LegacySocketBufferFrames = bufferFrames, SlowClientTimeoutSeconds = 10 }),
            time ?? TimeProvider.System,
            new DeliveryMetrics(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>()),
            NullLogger<LegacySocketRegistry>.Instance);

    private static WebSocket ServerSocket(Stream stream) =>
        WebSocket.CreateFromStream(stream, isServer: true, subProtocol: null, keepAliveInterval: TimeSpan.Zero);

    private static RiskScoreUpdate Score(long seq) =>
        new(10, new RiskComponents(null, null, null, 0, 1, 0, null, null, null, null, null, true, false, false, false), seq, DateTimeOffset.UnixEpoch);

    private static AlertNotice Alert(string message) => new(AlertTypes.Info, message, DateTimeOffset.UnixEpoch);

    /// <summary>The frames a server socket wrote, as "TYPE seq" or "TYPE message", up to the alert <paramref name="last"/>.</summary>
    private static async Task<List<string>> ReadFramesAsync(byte[] written, string last)
    {
        using var client = WebSocket.CreateFromStream(new MemoryStream(written), isServer: false, subProtocol: null, keepAliveInterval: TimeSpan.Zero);
        using var timeout = new CancellationTokenSource(_timeout);
        var buffer = new byte[64 * 1024];
        var frames = new List<string>();
        while (frames.Count == 0 || frames[^1] != "ALERT " + last)
        {
            var length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                result = await client.ReceiveAsync(buffer.AsMemory(length), timeout.Token);
                length += result.Count;
            }
            while (!result.EndOfMessage);

            using var frame = JsonDocument.Parse(buffer.AsMemory(0, length));
            var type = frame.RootElement.GetProperty("type").GetString();
            var payload = frame.RootElement.GetProperty("payload");
            frames.Add(type == "RISK_SCORE" ? $"{type} {payload.GetProperty("seq").GetInt64()}" : $"{type} {payload.GetProperty("message").GetString()}");
        }

        return frames;
    }

    /// <summary>A peer that never takes a byte: every write waits until the stream is disposed (the socket aborted), then fails as a dead connection does.</summary>
    private sealed class StallingStream : MemoryStream
    {
        private readonly TaskCompletionSource _disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Stalled(cancellationToken);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => new(Stalled(cancellationToken));

        protected override void Dispose(bool disposing)
        {
            _disposed.TrySetException(new IOException("The connection was aborted."));
            base.Dispose(disposing);
        }

        private Task Stalled(CancellationToken cancellationToken) => _disposed.Task.WaitAsync(cancellationToken);
    }
}
