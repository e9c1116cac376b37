using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using RiskConsole.Server.Observability;

namespace RiskConsole.Server.Delivery;

/// <summary>
/// The outbound side of one hub connection: a small bounded queue of broadcasts (each serialized once for everyone)
/// and a drain that writes them to this connection only. The engine's sender only queues here, so a connection
/// that does not read costs its own queue and nobody's latency. When the connection falls behind, what can be
/// superseded is: a waiting score is replaced by the newer one, a waiting datum by the newer datum of the same key,
/// and the oldest datum gives way when the queue is full. Alerts and interrupts are never dropped; a connection
/// that stays behind (no message taken for <see cref="OutboxLimits.SlowClientTimeout"/> while some wait) or cannot take another alert is
/// disconnected with a logged, counted reason.
/// </summary>
public sealed class HubConnectionOutbox
{
    private readonly HubConnectionContext _connection;

    // The request a WebSockets connection lives in (null for other transports, whose requests come and go).
    private readonly HttpContext? _webSocketRequest;
    private readonly OutboxLimits _limits;
    private readonly TimeProvider _time;
    private readonly DeliveryMetrics _metrics;
    private readonly Action<HubConnectionOutbox, string> _disconnectSlow;
    private readonly Lock _gate = new();
    private readonly LinkedList<OutboxEntry> _queue = new();
    private readonly Dictionary<(string Source, string Key), LinkedListNode<OutboxEntry>> _waitingData = [];
    private LinkedListNode<OutboxEntry>? _waitingScore;
    private bool _draining;
    // When this connection last made progress: its drain started, or a write to it completed.
    private long _lastProgress;
    private bool _closed;
    private int _topics;
    private long _dropped;

    internal HubConnectionOutbox(
        HubConnectionContext connection,
        HttpContext? webSocketRequest,
        string clientAddress,
        string transport,
        OutboxLimits limits,
        TimeProvider time,
        DeliveryMetrics metrics,
        Action<HubConnectionOutbox, string> disconnectSlow)
    {
        _connection = connection;
        _webSocketRequest = webSocketRequest;
        ClientAddress = clientAddress;
        Transport = transport;
        _limits = limits;
        _time = time;
        _metrics = metrics;
        _disconnectSlow = disconnectSlow;
        _topics = HubTopicMask.All;
    }

    public string ConnectionId => _connection.ConnectionId;

    public string ClientAddress { get; }

    public string Transport { get; }

    public string Protocol => _connection.Protocol.Name;

    /// <summary>The topics this connection is in (<see cref="HubTopicMask"/> bits); a new connection is in all of them.</summary>
    public int Topics => Volatile.Read(ref _topics);

    /// <summary>Messages this connection lost to newer ones because it did not keep up.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public int Waiting
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    public int ChangeTopics(int topics, bool add)
    {
        int current, changed;
        do
        {
            current = Volatile.Read(ref _topics);
            changed = add ? current | topics : current & ~topics;
        }
        while (Interlocked.CompareExchange(ref _topics, changed, current) != current);
        return changed;
    }

    /// <summary>Queues a broadcast for this connection; never waits. See the class remarks for what gives way when it is behind.</summary>
    public void Enqueue(OutboxEntry entry)
    {
        string? slowReason = null;
        var startDrain = false;
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            if (_draining && _time.GetElapsedTime(Volatile.Read(ref _lastProgress)) is var stalled && stalled >= _limits.SlowClientTimeout)
            {
                slowReason = $"it has not taken a message for {stalled.TotalSeconds:F1} s ({_queue.Count} waiting, {Dropped} dropped so far)";
            }
            else if (!TryAdd(entry))
            {
                slowReason = $"its queue is full ({_queue.Count} messages) with nothing left that a newer message replaces";
            }
            else
            {
                if (_draining)
                {
                    // Only behind others: a client that keeps up drains between ticks and costs the histogram nothing,
                    // which at thousands of connections is most of the fan-out's calls.
                    _metrics.QueueDepth(_queue.Count);
                }
                else
                {
                    _draining = true;
                    Volatile.Write(ref _lastProgress, _time.GetTimestamp());
                    startDrain = true;
                }
            }
        }

        if (slowReason is not null)
        {
            _disconnectSlow(this, slowReason);
        }
        else if (startDrain)
        {
            // On the thread pool, so the broadcaster only ever queues: a write that completes at once still costs
            // the broadcaster nothing per connection beyond the enqueue.
            ThreadPool.UnsafeQueueUserWorkItem(static outbox => _ = outbox.DrainAsync(), this, preferLocal: false);
        }
    }

    /// <summary>Stops queuing and forgets what waits (the connection is gone or being cut off).</summary>
    public void Close()
    {
        lock (_gate)
        {
            _closed = true;
            _queue.Clear();
            _waitingData.Clear();
            _waitingScore = null;
        }
    }

    /// <summary>Cuts the connection off now; its disconnect handler cleans up.</summary>
    public void Abort()
    {
        Close();
        CutOff();
    }

    /// <summary>
    /// Aborts the hub connection and, for WebSockets, the request under it, so the socket of a client that is cut off
    /// for not reading is closed now rather than when its transport gives up on the close handshake.
    /// </summary>
    private void CutOff()
    {
        _connection.Abort();
        _webSocketRequest?.Abort();
    }

    /// <summary>
    /// Tells the client the server is going away and may be reconnected to (so an automatic-reconnect client retries
    /// instead of treating it as a deliberate close), then aborts. Bounded: a client that does not read holds the
    /// connection's write lock, and shutdown must not wait for it.
    /// </summary>
    public async Task CloseForShutdownAsync(TimeSpan bound)
    {
        Close();
        using var timeout = new CancellationTokenSource(bound, _time);
        try
        {
            await _connection.WriteAsync(new CloseMessage("Server is shutting down.", allowReconnect: true), timeout.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or InvalidOperationException or IOException)
        {
            // The client was not reading (or acknowledging), or is already gone: cut off, it gets no message.
            CutOff();
            return;
        }

        // The close message is in the connection's pipe, not yet necessarily on the socket: aborting now could cut the
        // transport before it is sent, and the client would see a dropped connection instead of the notice. A client
        // that got it closes its side, so wait for that (bounded by the same timeout), then abort whatever is left.
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, _time, _connection.ConnectionAborted).WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Either the client closed (what we waited for) or the bound passed: abort in both cases.
        }

        _connection.Abort();
    }

    private bool TryAdd(OutboxEntry entry)
    {
        switch (entry.Kind)
        {
            case OutboxEntryKind.Score:
                if (_waitingScore is not null)
                {
                    // Moved to the end rather than replaced in place: an alert queued after the older score still
                    // reaches the client before the newer score, as it would have without the drop.
                    _queue.Remove(_waitingScore);
                    CountDrop(OutboxEntryKind.Score);
                }
                else if (_queue.Count >= _limits.Capacity && !DropOldestData())
                {
                    return false;
                }

                _waitingScore = _queue.AddLast(entry);
                return true;
            case OutboxEntryKind.Data:
                var key = (entry.Source!, entry.Key!);
                if (_waitingData.TryGetValue(key, out var waiting))
                {
                    // Moved to the end like a score, so what a slow client gets is still in broadcast order.
                    _queue.Remove(waiting);
                    CountDrop(OutboxEntryKind.Data);
                }
                else if (_queue.Count >= _limits.Capacity && !DropOldestData())
                {
                    return false;
                }

                _waitingData[key] = _queue.AddLast(entry);
                return true;
            default:
                if (_queue.Count >= _limits.Capacity && !DropOldestData())
                {
                    return false;
                }

                _queue.AddLast(entry);
                return true;
        }
    }

    private bool DropOldestData()
    {
        for (var node = _queue.First; node is not null; node = node.Next)
        {
            if (node.Value.Kind == OutboxEntryKind.Data)
            {
                _waitingData.Remove((node.Value.Source!, node.Value.Key!));
                _queue.Remove(node);
                CountDrop(OutboxEntryKind.Data);
                return true;
            }
        }

        return false;
    }

    private void CountDrop(OutboxEntryKind kind)
    {
        Interlocked.Increment(ref _dropped);
        _metrics.MessageDropped(kind == OutboxEntryKind.Score ? "score" : "data");
    }

    private async Task DrainAsync()
    {
        while (true)
        {
            SerializedHubMessage message;
            lock (_gate)
            {
                var first = _queue.First;
                if (_closed || first is null)
                {
                    _draining = false;
                    return;
                }

                _queue.RemoveFirst();
                if (first == _waitingScore)
                {
                    _waitingScore = null;
                }
                else if (first.Value.Kind == OutboxEntryKind.Data)
                {
                    _waitingData.Remove((first.Value.Source!, first.Value.Key!));
                }

                message = first.Value.Message;
            }

            try
            {
                await _connection.WriteAsync(message, _connection.ConnectionAborted);
                Volatile.Write(ref _lastProgress, _time.GetTimestamp());
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or InvalidOperationException or IOException)
            {
                // The connection is closing (aborted, or its transport gone); its disconnect handler cleans up.
                Close();
                lock (_gate)
                {
                    _draining = false;
                }

                return;
            }
        }
    }
}
