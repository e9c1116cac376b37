using System.Net.WebSockets;
using Microsoft.Extensions.Options;
using RiskConsole.Core.Contracts;
using RiskConsole.Server.Configuration;
using RiskConsole.Server.Observability;

namespace RiskConsole.Server.Legacy;

/// <summary>
/// Who is connected to /ws, and the broadcasts to them. A broadcast is encoded once and queued to every socket;
/// each socket has its own bounded queue and send loop, so a slow or dead client loses its own oldest frames and
/// slows no one else.
/// </summary>
public sealed class LegacySocketRegistry
{
    private readonly ILogger<LegacySocketRegistry> _logger;
    private readonly DeliveryMetrics _metrics;
    private readonly LegacySocketLimits _limits;

    /// <summary>Joins, leaves and score broadcasts; see <see cref="Join"/>.</summary>
    private readonly Lock _gate = new();

    /// <summary>
    /// Broadcasts come several times a second, joins and leaves rarely, so the members are an array never changed,
    /// only replaced (under <see cref="_gate"/>) by a join or a leave. A broadcast reads the current array once and
    /// walks it without a lock, a copy or an allocation, where ConcurrentDictionary.Keys would take every bucket
    /// lock and copy the keys into a new list on every frame. A socket that joins or leaves during a data, alert or
    /// interrupt broadcast may or may not get that frame; only scores need the join to be atomic.
    /// </summary>
    private volatile LegacySocket[] _sockets = [];

    private byte[]? _lastScoreFrame;
    private long _droppedFrames;
    private long _slowDisconnects;

    public LegacySocketRegistry(IOptions<ServerOptions> options, TimeProvider time, DeliveryMetrics metrics, ILogger<LegacySocketRegistry> logger)
    {
        _logger = logger;
        _metrics = metrics;
        _limits = new LegacySocketLimits(
            options.Value.LegacySocketBufferFrames,
            TimeSpan.FromSeconds(options.Value.SlowClientTimeoutSeconds),
            time,
            () =>
            {
                Interlocked.Increment(ref _droppedFrames);
                metrics.MessageDropped("legacy-frame");
            });
    }

    public int Count => _sockets.Length;

    /// <summary>Frames dropped, over all sockets since start, because a client did not keep up (shown by /stats).</summary>
    public long DroppedFrames => Interlocked.Read(ref _droppedFrames);

    /// <summary>/ws clients cut off because they stayed behind.</summary>
    public long SlowDisconnects => Interlocked.Read(ref _slowDisconnects);

    /// <summary>The outbound side of a newly accepted socket; it gets broadcasts only once it <see cref="Join"/>s.</summary>
    public LegacySocket Open(WebSocket socket, string connectionId, string clientAddress) =>
        new(socket, connectionId, clientAddress, _limits, OnCutOff, _logger);

    private void OnCutOff(LegacySocket socket, string reason)
    {
        Interlocked.Increment(ref _slowDisconnects);
        _metrics.ClientDisconnected("slow");
    }

    /// <summary>
    /// Adds a socket and queues it the last broadcast score first (or <paramref name="initial"/> before any),
    /// under the same lock as score broadcasts: the socket's scores then continue with no gap in Seq and no repeat.
    /// </summary>
    public void Join(LegacySocket socket, RiskScoreUpdate initial)
    {
        lock (_gate)
        {
            socket.Enqueue(_lastScoreFrame ?? LegacyFrameEncoder.RiskScore(initial));
            _sockets = [.. _sockets, socket];
        }
    }

    /// <summary>Stops broadcasts to the socket; what is already in its queue is still sent.</summary>
    public void Leave(LegacySocket socket)
    {
        lock (_gate)
        {
            _sockets = Array.FindAll(_sockets, member => member != socket);
        }
    }

    public void BroadcastScore(RiskScoreUpdate update)
    {
        var frame = LegacyFrameEncoder.RiskScore(update);
        lock (_gate)
        {
            _lastScoreFrame = frame;
            EnqueueToAll(_sockets, frame);
        }
    }

    public void BroadcastData(DataUpdate update) => Broadcast(update, LegacyFrameEncoder.DataUpdate);

    public void BroadcastAlert(AlertNotice alert) => Broadcast(alert, LegacyFrameEncoder.Alert);

    public void BroadcastInterrupt(InterruptNotice notice) => Broadcast(notice, LegacyFrameEncoder.Interrupt);

    private void Broadcast<T>(T message, Func<T, byte[]> encode)
    {
        // Checked before encoding, so nothing is serialized (nor data reshaped) when no /ws client is connected.
        var sockets = _sockets;
        if (sockets.Length > 0)
        {
            EnqueueToAll(sockets, encode(message));
        }
    }

    private static void EnqueueToAll(LegacySocket[] sockets, byte[] frame)
    {
        foreach (var socket in sockets)
        {
            socket.Enqueue(frame);
        }
    }
}
