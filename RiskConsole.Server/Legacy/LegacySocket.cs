using System.Net.WebSockets;
using System.Threading.Channels;

namespace RiskConsole.Server.Legacy;

/// <summary>
/// The outbound side of one /ws client: a bounded queue of encoded frames and the loop that sends them. When the
/// client does not keep up the queue drops its oldest frame, so the client loses its own frames (a gap in
/// RISK_SCORE seq) and neither the broadcaster nor any other client waits for it.
/// </summary>
public sealed partial class LegacySocket
{
    private readonly WebSocket _socket;
    private readonly Channel<byte[]> _outbound;
    private readonly int _capacity;
    private readonly Action _frameDropped;
    private readonly ILogger _logger;
    private long _droppedFrames;

    /// <param name="frameDropped">Called on every dropped frame, so the registry can count drops over all sockets, past this one's life.</param>
    internal LegacySocket(WebSocket socket, int capacity, Action frameDropped, ILogger logger)
    {
        _socket = socket;
        _capacity = capacity;
        _frameDropped = frameDropped;
        _logger = logger;
        _outbound = Channel.CreateBounded<byte[]>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => OnFrameDropped());
    }

    /// <summary>Frames this socket has lost because its client did not keep up.</summary>
    public long DroppedFrames => Interlocked.Read(ref _droppedFrames);

    /// <summary>Queues a frame for this socket only (answers to GET_STATUS and friends, or a broadcast).</summary>
    public void Enqueue(byte[] frame) => _outbound.Writer.TryWrite(frame);

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

                await _socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The client went away mid-send; the receive loop sees the same and closes the socket.
            var reason = ex.GetType().Name;
            LogSendEnded(_logger, reason);
        }
    }

    /// <summary>The first drop is logged so a slow client is visible, not silent; later ones only count.</summary>
    private void OnFrameDropped()
    {
        if (Interlocked.Increment(ref _droppedFrames) == 1)
        {
            LogSlowClient(_logger, _capacity);
        }

        _frameDropped();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Legacy socket send loop ended: {Reason}")]
    private static partial void LogSendEnded(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A /ws client is not keeping up: its queue of {Frames} frames is full and its oldest frames are being dropped (it sees gaps in RISK_SCORE seq)")]
    private static partial void LogSlowClient(ILogger logger, int frames);
}
