using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using RiskConsole.Core.Contracts;
using RiskConsole.Core.Signals;
using RiskConsole.Server.Configuration;

namespace RiskConsole.Server.Legacy;

/// <summary>
/// The open /ws sockets. A broadcast is serialized once and queued to every socket; each socket has its own
/// bounded queue and send loop, so a slow or dead client loses its own oldest frames and slows no one else.
/// </summary>
public sealed partial class LegacySocketRegistry(IOptions<ServerOptions> options, ILogger<LegacySocketRegistry> logger)
{
    private readonly ConcurrentDictionary<LegacySocket, byte> _sockets = new();
    private readonly Lock _scoreGate = new();
    private byte[]? _lastScoreFrame;
    private long _droppedFrames;

    public int Count => _sockets.Count;

    /// <summary>Frames dropped, over all sockets since start, because a client did not keep up (shown by /stats).</summary>
    public long DroppedFrames => Interlocked.Read(ref _droppedFrames);

    public LegacySocket Open(WebSocket socket) =>
        new(socket, options.Value.LegacySocketBufferFrames, this);

    /// <summary>
    /// Adds a socket and queues it the last broadcast score first (or <paramref name="initial"/> before any),
    /// under the same lock as score broadcasts: the socket's scores then continue with no gap in Seq and no repeat.
    /// </summary>
    internal void Add(LegacySocket socket, RiskScoreUpdate initial)
    {
        lock (_scoreGate)
        {
            socket.Enqueue(_lastScoreFrame ?? Frame(LegacyFrameTypes.RiskScore, initial, LegacyJsonContext.Default.RiskScoreUpdate));
            _sockets.TryAdd(socket, 0);
        }
    }

    internal void Remove(LegacySocket socket) => _sockets.TryRemove(socket, out _);

    public void BroadcastScore(RiskScoreUpdate update)
    {
        var frame = Frame(LegacyFrameTypes.RiskScore, update, LegacyJsonContext.Default.RiskScoreUpdate);
        lock (_scoreGate)
        {
            _lastScoreFrame = frame;
            foreach (var socket in _sockets.Keys)
            {
                socket.Enqueue(frame);
            }
        }
    }

    public void BroadcastData(DataUpdate update)
    {
        // Checked here too, so the legacy shape is not even built when no /ws client is connected.
        if (!_sockets.IsEmpty)
        {
            Broadcast(LegacyFrameTypes.DataUpdate, ToLegacy(update), LegacyJsonContext.Default.LegacyDataUpdate);
        }
    }

    public void BroadcastAlert(AlertNotice alert) => Broadcast(LegacyFrameTypes.Alert, alert, LegacyJsonContext.Default.AlertNotice);

    public void BroadcastInterrupt(InterruptNotice notice) => Broadcast(LegacyFrameTypes.Interrupt, notice, LegacyJsonContext.Default.InterruptNotice);

    public static LegacyDataUpdate ToLegacy(DataUpdate update) => new(
        update.Source,
        update.Data switch
        {
            PriceTick p => new LegacyCryptoData(p.Symbol, p.Price, p.Timestamp),
            MarketProbability m => new LegacyMarketData(m.MarketId, m.Question, m.Probability, m.Timestamp),
            SentimentSample s => new LegacyRedditData(s.SourceId, s.Compound, s.Text, s.Timestamp),
            _ => throw new ArgumentException($"No legacy shape for {update.Data.GetType().Name}.", nameof(update)),
        },
        update.Mock,
        update.At);

    /// <summary>{"type": ..., "payload": ...} as UTF-8 bytes.</summary>
    public static byte[] Frame<T>(string type, T payload, JsonTypeInfo<T> typeInfo)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", type);
            writer.WritePropertyName("payload");
            JsonSerializer.Serialize(writer, payload, typeInfo);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private void Broadcast<T>(string type, T payload, JsonTypeInfo<T> typeInfo)
    {
        if (_sockets.IsEmpty)
        {
            return;
        }

        var frame = Frame(type, payload, typeInfo);
        foreach (var socket in _sockets.Keys)
        {
            socket.Enqueue(frame);
        }
    }

    /// <summary>Counts a dropped frame; the first drop of a socket is logged so a slow client is visible, not silent.</summary>
    internal void FrameDropped(bool firstForSocket)
    {
        Interlocked.Increment(ref _droppedFrames);
        if (firstForSocket)
        {
            LogSlowClient(options.Value.LegacySocketBufferFrames);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Legacy socket send loop ended: {Reason}")]
    internal partial void LogSendEnded(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A /ws client is not keeping up: its queue of {Frames} frames is full and its oldest frames are being dropped (it sees gaps in RISK_SCORE seq)")]
    private partial void LogSlowClient(int frames);
}

/// <summary>One /ws client: its socket, its bounded outbound queue (oldest dropped when full) and its send loop.</summary>
public sealed class LegacySocket
{
    private readonly WebSocket _socket;
    private readonly Channel<byte[]> _outbound;
    private readonly LegacySocketRegistry _registry;
    private long _dropped;

    internal LegacySocket(WebSocket socket, int bufferFrames, LegacySocketRegistry registry)
    {
        _socket = socket;
        _registry = registry;
        _outbound = Channel.CreateBounded<byte[]>(
            new BoundedChannelOptions(bufferFrames) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => registry.FrameDropped(Interlocked.Increment(ref _dropped) == 1));
    }

    public WebSocket Socket => _socket;

    /// <summary>Queues a frame for this socket only (answers to GET_STATUS and friends, or a broadcast).</summary>
    public void Enqueue(byte[] frame) => _outbound.Writer.TryWrite(frame);

    /// <summary>Starts receiving broadcasts, after the frames already queued (CONNECTED) and the latest score.</summary>
    public void Join(RiskScoreUpdate latest) => _registry.Add(this, latest);

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
            _registry.LogSendEnded(ex.GetType().Name);
        }
    }

    /// <summary>Stops broadcasts to this socket and lets the send loop finish what is queued.</summary>
    public void Leave()
    {
        _registry.Remove(this);
        _outbound.Writer.TryComplete();
    }
}
