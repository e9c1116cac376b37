using System.Net.WebSockets;
using System.Threading.Channels;

namespace RiskConsole.Server.Legacy;

/// <summary>
/// The outbound side of one /ws client: a bounded queue of encoded frames and the loop that sends them. When the
/// client does not keep up the queue drops its oldest frame, so the client loses its own frames (a gap in
/// RISK_SCORE seq) and neither the broadcaster nor any other client waits for it; a client that takes no frame for
/// the slow-client timeout while frames wait is cut off (the socket is aborted) with a logged, counted reason.
/// </summary>
public sealed partial class LegacySocket
{
    private readonly WebSocket _socket;
    private readonly Channel<byte[]> _outbound;
    private readonly LegacySocketLimits _limits;
    private readonly Action<LegacySocket, string> _cutOff;
    private readonly ILogger _logger;
    private long _droppedFrames;
    private long _sendStartedAt;
    private int _cutOffOnce;

    /// <param name="cutOff">Called once when the socket is cut off for not keeping up, so the registry can count it.</param>
    internal LegacySocket(WebSocket socket, string connectionId, string clientAddress, LegacySocketLimits limits, Action<LegacySocket, string> cutOff, ILogger logger)
    {
        _socket = socket;
        ConnectionId = connectionId;
        ClientAddress = clientAddress;
        _limits = limits;
        _cutOff = cutOff;
        _logger = logger;
        _outbound = Channel.CreateBounded<byte[]>(
            new BoundedChannelOptions(limits.Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => OnFrameDropped());
    }

    public string ConnectionId { get; }

    public string ClientAddress { get; }

    /// <summary>Frames this socket has lost because its client did not keep up.</summary>
    public long DroppedFrames => Interlocked.Read(ref _droppedFrames);

    /// <summary>Queues a frame for this socket only (answers to GET_STATUS and friends, or a broadcast); never waits.</summary>
    public void Enqueue(byte[] frame)
    {
        var sendStartedAt = Interlocked.Read(ref _sendStartedAt);
        if (sendStartedAt != 0 && _limits.Time.GetElapsedTime(sendStartedAt) is var stalled && stalled >= _limits.SlowClientTimeout)
        {
            CutOff($"it has not taken a frame for {stalled.TotalSeconds:F1} s ({_outbound.Reader.Count} waiting, {DroppedFrames} dropped so far)");
            return;
        }

        _outbound.Writer.TryWrite(frame);
    }

    /// <summary>Ends the queue: the send loop sends what is already queued and returns.</summary>
    public void Complete() => _outbound.Writer.TryComplete();

    public async Task RunSendLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var frame in _outbound.Reader.ReadAllAsync(cancellationToken))
            {
                if (_socket.State != WebSocketState.Open)
                {
                    break;
                }

                Interlocked.Exchange(ref _sendStartedAt, _limits.Time.GetTimestamp());
                await _socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
                Interlocked.Exchange(ref _sendStartedAt, 0);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            // The client went away (or was cut off) mid-send; the receive loop sees the same and closes the socket.
            var reason = ex.GetType().Name;
            LogSendEnded(_logger, reason);
        }
    }

    /// <summary>The first drop is logged so a slow client is visible, not silent; later ones only count.</summary>
    private void OnFrameDropped()
    {
        if (Interlocked.Increment(ref _droppedFrames) == 1)
        {
            LogSlowClient(_logger, ConnectionId, ClientAddress, _limits.Capacity);
        }

        _limits.FrameDropped();
    }

    /// <summary>Aborts the socket (a close handshake would wait on the very client that is not reading); the session's loops then end.</summary>
    private void CutOff(string reason)
    {
        if (Interlocked.Exchange(ref _cutOffOnce, 1) == 1)
        {
            return;
        }

        LogCutOff(_logger, ConnectionId, ClientAddress, reason);
        _cutOff(this, reason);
        _outbound.Writer.TryComplete();
        _socket.Abort();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Legacy socket send loop ended: {Reason}")]
    private static partial void LogSendEnded(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "/ws client {ConnectionId} from {ClientAddress} is not keeping up: its queue of {Frames} frames is full and its oldest frames are being dropped (it sees gaps in RISK_SCORE seq)")]
    private static partial void LogSlowClient(ILogger logger, string connectionId, string clientAddress, int frames);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Disconnected /ws client {ConnectionId} from {ClientAddress}: not keeping up, {Reason}")]
    private static partial void LogCutOff(ILogger logger, string connectionId, string clientAddress, string reason);
}
