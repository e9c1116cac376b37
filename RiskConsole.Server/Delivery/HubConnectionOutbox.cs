using System.Globalization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using RiskConsole.Server.Observability;

namespace RiskConsole.Server.Delivery;

/// <summary>
/// The outbound side of one hub connection: a small bounded queue of broadcasts (each serialized once for everyone)
/// and a drain that writes them to this connection only. The engine's sender only queues here, so a connection
/// that does not read costs its own queue and nobody's latency. When the connection falls behind, what can be
/// superseded is: a waiting score is replaced by the newer one, a waiting data batch by the newer batch, a waiting
/// datum by the newer datum of the same key, and the oldest datum or batch gives way when the queue is full. Alerts
/// and interrupts are never dropped; a connection that stays behind (no message taken for
/// <see cref="OutboxLimits.SlowClientTimeout"/> while some wait) or cannot take another alert is disconnected with a
/// logged, counted reason.
/// <para>
/// Nothing here allocates per message once warm: the queue is a ring (8 slots, doubled up to
/// <see cref="OutboxLimits.Capacity"/> only while the client is behind) where a message that gives way leaves an empty
/// slot (skipped by the drain, squeezed out when the ring is full), and the drain is started as this object itself (<see cref="IThreadPoolWorkItem"/>) and resumes a waiting write
/// through one cached continuation, so a broadcast to thousands of connections costs no garbage per connection.
/// </para>
/// </summary>
public sealed class HubConnectionOutbox : IThreadPoolWorkItem
{
    // "No such entry waiting" for the sequence numbers below.
    private const long None = -1;

    private readonly HubConnectionContext _connection;

    // The request a WebSockets connection lives in (null for other transports, whose requests come and go).
    private readonly HttpContext? _webSocketRequest;
    private readonly OutboxLimits _limits;
    private readonly TimeProvider _time;
    private readonly DeliveryMetrics _metrics;
    private readonly Action<HubConnectionOutbox, string> _disconnectSlow;
    private readonly Lock _gate = new();

    /// <summary>Ring slots a new connection starts with.</summary>
    private const int InitialSlots = 8;

    // The queue: _used slots from _head, in order; a slot holding default (no message) is one whose entry gave way.
    // Entries are named by a sequence number (_headSeq is the one at _head), so what is waiting can be found in O(1).
    // Starts small and doubles up to the capacity only while the client is behind: a client that keeps up has one or two
    // entries waiting, and a full-size ring for each of 10,000 such connections would be 8 KB apiece for nothing.
    private OutboxEntry[] _slots;
    private readonly Dictionary<(string Source, string Key), long> _waitingData = [];
    private int _head;
    private int _used;
    private int _live;
    private long _headSeq;
    private long _waitingScore = None;
    private long _waitingBatch = None;
    private bool _draining;
    private readonly Action _resumeDrain;
    private ValueTask _pendingWrite;
    // When this connection last made progress: its drain started, or a write to it completed.
    private long _lastProgress;
    private bool _closed;
    private int _topics;
    private volatile bool _usesDataBatches;
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
        _slots = new OutboxEntry[Math.Clamp(limits.Capacity, 1, InitialSlots)];
        _resumeDrain = ResumeDrain;
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
                return _live;
            }
        }
    }

    /// <summary>Whether this connection gets its data as one DataBatch per tick (it called UseDataBatches) rather than DataUpdates.</summary>
    public bool UsesDataBatches => _usesDataBatches;

    /// <summary>Switches this connection to DataBatch for good (see IRiskHub.UseDataBatches).</summary>
    public void UseDataBatches() => _usesDataBatches = true;

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
                slowReason = string.Create(CultureInfo.InvariantCulture, $"it has not taken a message for {stalled.TotalSeconds:F1} s ({_live} waiting, {Dropped} dropped so far)");
            }
            else if (!TryAdd(entry))
            {
                slowReason = string.Create(CultureInfo.InvariantCulture, $"its queue is full ({_live} messages) with nothing left that a newer message replaces");
            }
            else
            {
                if (_draining)
                {
                    // Only behind others: a client that keeps up drains between ticks and costs the histogram nothing,
                    // which at thousands of connections is most of the fan-out's calls.
                    _metrics.QueueDepth(_live);
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
            // The outbox is its own work item: starting a drain allocates nothing.
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    /// <summary>Stops queuing and forgets what waits (the connection is gone or being cut off).</summary>
    public void Close()
    {
        lock (_gate)
        {
            _closed = true;
            Array.Clear(_slots);
            _head = 0;
            _used = 0;
            _live = 0;
            _waitingData.Clear();
            _waitingScore = None;
            _waitingBatch = None;
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

    private bool TryAdd(in OutboxEntry entry)
    {
        switch (entry.Kind)
        {
            case OutboxEntryKind.Score:
                // Moved to the end rather than replaced in place: an alert queued after the older score still
                // reaches the client before the newer score, as it would have without the drop.
                if (!Supersede(ref _waitingScore, OutboxEntryKind.Score))
                {
                    return false;
                }

                _waitingScore = Append(entry);
                return true;
            case OutboxEntryKind.Batch:
                // A batch client that is behind gets the newest tick's batch; the older one gives way (counted), like a score.
                if (!Supersede(ref _waitingBatch, OutboxEntryKind.Batch))
                {
                    return false;
                }

                _waitingBatch = Append(entry);
                return true;
            case OutboxEntryKind.Data:
                var key = (entry.Source!, entry.Key!);
                if (_waitingData.TryGetValue(key, out var waiting))
                {
                    // Moved to the end like a score, so what a slow client gets is still in broadcast order.
                    Remove(waiting);
                    CountDrop(OutboxEntryKind.Data);
                }
                else if (_live >= _limits.Capacity && !DropOldestData())
                {
                    return false;
                }

                _waitingData[key] = Append(entry);
                return true;
            default:
                if (_live >= _limits.Capacity && !DropOldestData())
                {
                    return false;
                }

                Append(entry);
                return true;
        }
    }

    /// <summary>Removes the waiting entry <paramref name="waiting"/> names, or makes room; false when nothing can give way.</summary>
    private bool Supersede(ref long waiting, OutboxEntryKind kind)
    {
        if (waiting != None)
        {
            Remove(waiting);
            waiting = None;
            CountDrop(kind);
            return true;
        }

        return _live < _limits.Capacity || DropOldestData();
    }

    private int SlotOf(long seq) => (int)((_head + (seq - _headSeq)) % _slots.Length);

    /// <summary>Adds at the end (the caller has made room for one more live entry) and returns its sequence number.</summary>
    private long Append(in OutboxEntry entry)
    {
        if (_used == _slots.Length && _live < _used)
        {
            Compact();
        }

        if (_used == _slots.Length)
        {
            Grow();
        }

        var seq = _headSeq + _used;
        _slots[(_head + _used) % _slots.Length] = entry;
        _used++;
        _live++;
        return seq;
    }

    private void Remove(long seq)
    {
        _slots[SlotOf(seq)] = default;
        _live--;
    }

    /// <summary>
    /// Doubles the ring (at most to the capacity; the caller has checked there is room for one more live entry, so a full
    /// ring without gaps is below it), keeping the order and the sequence numbers: the entries move to the start.
    /// </summary>
    private void Grow()
    {
        var grown = new OutboxEntry[Math.Min(Math.Max(1, _limits.Capacity), _slots.Length * 2)];
        for (var i = 0; i < _used; i++)
        {
            grown[i] = _slots[(_head + i) % _slots.Length];
        }

        _slots = grown;
        _head = 0;
    }

    /// <summary>Squeezes out the slots of entries that gave way, keeping the order, and renumbers what waits.</summary>
    private void Compact()
    {
        var kept = 0;
        for (var read = 0; read < _used; read++)
        {
            var slot = (_head + read) % _slots.Length;
            if (_slots[slot].Message is null)
            {
                continue;
            }

            var entry = _slots[slot];
            _slots[slot] = default;
            var seq = _headSeq + kept;
            _slots[(_head + kept) % _slots.Length] = entry;
            kept++;
            switch (entry.Kind)
            {
                case OutboxEntryKind.Score:
                    _waitingScore = seq;
                    break;
                case OutboxEntryKind.Batch:
                    _waitingBatch = seq;
                    break;
                case OutboxEntryKind.Data:
                    _waitingData[(entry.Source!, entry.Key!)] = seq;
                    break;
            }
        }

        _used = kept;
    }

    private void Forget(in OutboxEntry entry)
    {
        switch (entry.Kind)
        {
            case OutboxEntryKind.Score:
                _waitingScore = None;
                break;
            case OutboxEntryKind.Batch:
                _waitingBatch = None;
                break;
            case OutboxEntryKind.Data:
                _waitingData.Remove((entry.Source!, entry.Key!));
                break;
        }
    }

    private bool DropOldestData()
    {
        for (var i = 0; i < _used; i++)
        {
            var slot = (_head + i) % _slots.Length;
            var entry = _slots[slot];
            if (entry.Message is not null && entry.Kind is OutboxEntryKind.Data or OutboxEntryKind.Batch)
            {
                Forget(entry);
                _slots[slot] = default;
                _live--;
                CountDrop(entry.Kind);
                return true;
            }
        }

        return false;
    }

    private bool TryTake(out OutboxEntry entry)
    {
        while (_used > 0)
        {
            entry = _slots[_head];
            _slots[_head] = default;
            _head = (_head + 1) % _slots.Length;
            _headSeq++;
            _used--;
            if (entry.Message is not null)
            {
                _live--;
                Forget(entry);
                return true;
            }
        }

        entry = default;
        return false;
    }

    private void CountDrop(OutboxEntryKind kind)
    {
        Interlocked.Increment(ref _dropped);
        _metrics.MessageDropped(kind == OutboxEntryKind.Score ? "score" : "data");
    }

    void IThreadPoolWorkItem.Execute() => Drain();

    /// <summary>
    /// Writes what waits, in order, until nothing does. Not an async method: a write that completes at once (a client
    /// that keeps up) costs no state machine, and one that has to wait resumes through the one cached continuation.
    /// </summary>
    private void Drain()
    {
        while (true)
        {
            SerializedHubMessage message;
            lock (_gate)
            {
                if (_closed || !TryTake(out var entry))
                {
                    _draining = false;
                    return;
                }

                message = entry.Message;
            }

            ValueTask write;
            try
            {
                write = _connection.WriteAsync(message, _connection.ConnectionAborted);
            }
            catch (Exception ex)
            {
                StopDraining(ex);
                return;
            }

            if (!write.IsCompleted)
            {
                _pendingWrite = write;
                write.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_resumeDrain);
                return;
            }

            if (!Completed(write))
            {
                return;
            }
        }
    }

    private void ResumeDrain()
    {
        var write = _pendingWrite;
        _pendingWrite = default;
        if (Completed(write))
        {
            Drain();
        }
    }

    private bool Completed(ValueTask write)
    {
        try
        {
            write.GetAwaiter().GetResult();
        }
        catch (Exception ex)
        {
            StopDraining(ex);
            return false;
        }

        Volatile.Write(ref _lastProgress, _time.GetTimestamp());
        return true;
    }

    private void StopDraining(Exception ex)
    {
        // Expected: the connection is closing (aborted, or its transport gone) and its disconnect handler cleans up.
        // Anything else leaves the connection unable to take messages, so it is cut off rather than left to time out.
        Close();
        lock (_gate)
        {
            _draining = false;
        }

        if (ex is not (OperationCanceledException or ObjectDisposedException or InvalidOperationException or IOException))
        {
            CutOff();
        }
    }
}
