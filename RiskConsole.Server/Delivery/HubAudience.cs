using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Http.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using RiskConsole.Core.Contracts;
using RiskConsole.Server.Configuration;
using RiskConsole.Server.Observability;

namespace RiskConsole.Server.Delivery;

/// <summary>
/// Every open hub connection and its <see cref="HubConnectionOutbox"/>. The engine's broadcasts reach the connections
/// through here, never through SignalR's group sends: a group send completes only when its slowest member has taken
/// the message, so one client that stops reading (or never acknowledges under stateful reconnect) would hold every
/// other client's updates. Here a broadcast is serialized once and queued to each member's own bounded outbox.
/// A connection is registered when SignalR opens it and joins the broadcast audience when the engine's sender runs
/// its join (in order with the broadcasts, so its scores continue without a gap or repeat).
/// </summary>
public sealed partial class HubAudience
{
    private readonly ConcurrentDictionary<string, HubConnectionOutbox> _open = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly OutboxLimits _limits;
    private readonly TimeProvider _time;
    private readonly DeliveryMetrics _metrics;
    private readonly ILogger<HubAudience> _logger;

    /// <summary>One delegate for every outbox (a method group would make one per connection).</summary>
    private readonly Action<HubConnectionOutbox, string> _disconnectSlow;

    /// <summary>Replaced, never changed, on a join or leave, so a broadcast walks it without a lock or a copy (see LegacySocketRegistry).</summary>
    private volatile HubConnectionOutbox[] _members = [];

    private readonly IHostApplicationLifetime _lifetime;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _slowDisconnects;
    private long _droppedByClosed;
    private int _shutdownHooked;

    public HubAudience(IOptions<ServerOptions> options, TimeProvider time, DeliveryMetrics metrics, IHostApplicationLifetime lifetime, ILogger<HubAudience> logger)
    {
        _limits = new OutboxLimits(options.Value.HubClientBufferMessages, TimeSpan.FromSeconds(options.Value.SlowClientTimeoutSeconds));
        _time = time;
        _metrics = metrics;
        _logger = logger;
        _lifetime = lifetime;
        _disconnectSlow = DisconnectSlow;
    }

    /// <summary>Open hub connections.</summary>
    public int Count => _open.Count;

    /// <summary>Connections in the audience that take their data as one DataBatch per tick.</summary>
    public int DataBatchConnections => _members.Count(member => member.UsesDataBatches);

    /// <summary>Connections cut off because they stayed behind.</summary>
    public long SlowDisconnects => Interlocked.Read(ref _slowDisconnects);

    /// <summary>Messages superseded in the outboxes of connections that did not keep up, over all connections since start.</summary>
    public long DroppedMessages => Interlocked.Read(ref _droppedByClosed) + _members.Sum(member => member.Dropped);

    /// <summary>Completes once a connection has been registered or removed: lets a caller await <see cref="Count"/> instead of polling it.</summary>
    public Task NextChange => Volatile.Read(ref _changed).Task;

    public HubConnectionOutbox? Find(string connectionId) => _open.GetValueOrDefault(connectionId);

    internal void Opened(HubConnectionContext connection)
    {
        var http = connection.Features.Get<IHttpContextFeature>()?.HttpContext;
        var address = http?.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var transportType = connection.Features.Get<IHttpTransportFeature>()?.TransportType;
        var transport = transportType?.ToString().ToLowerInvariant() ?? "unknown";
        var webSocketRequest = transportType == HttpTransportType.WebSockets ? http : null;
        var outbox = new HubConnectionOutbox(connection, webSocketRequest, address, transport, _limits, _time, _metrics, _disconnectSlow);
        _open[connection.ConnectionId] = outbox;
        _metrics.ConnectionOpened(transport, outbox.Protocol);
        Changed();

        // Hooked at the first connection, when SignalR's connection manager (which closes every transport when the
        // host stops) has surely hooked its own: stopping callbacks run last-registered first, so the clients are told
        // before their transports are gone.
        if (Interlocked.Exchange(ref _shutdownHooked, 1) == 0)
        {
            _lifetime.ApplicationStopping.Register(CloseAllForShutdown);
        }
    }

    internal void Closed(HubConnectionContext connection)
    {
        if (!_open.TryRemove(connection.ConnectionId, out var outbox))
        {
            return;
        }

        outbox.Close();
        lock (_gate)
        {
            _members = Array.FindAll(_members, member => member != outbox);
        }

        Interlocked.Add(ref _droppedByClosed, outbox.Dropped);
        _metrics.ConnectionClosed(outbox.Transport, outbox.Protocol);
        Changed();
    }

    private void Changed() =>
        Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>
    /// Adds the connection to the broadcast audience and queues it <paramref name="latest"/> (the last score everyone
    /// got) when it is in the risk topic. Runs on the engine's sender, in order with the broadcasts.
    /// </summary>
    public void Join(string connectionId, OutboxEntry latest)
    {
        if (!_open.TryGetValue(connectionId, out var outbox))
        {
            return;
        }

        lock (_gate)
        {
            _members = [.. _members, outbox];
        }

        if ((outbox.Topics & HubTopicMask.Risk) != 0)
        {
            outbox.Enqueue(latest);
        }
    }

    /// <summary>Queues <paramref name="entry"/> to every member in <paramref name="topic"/> (a <see cref="HubTopicMask"/> bit). Never waits for a client.</summary>
    public void Broadcast(int topic, OutboxEntry entry)
    {
        var started = Stopwatch.GetTimestamp();
        foreach (var member in _members)
        {
            if ((member.Topics & topic) != 0)
            {
                member.Enqueue(entry);
            }
        }

        _metrics.FanOutCompleted(Stopwatch.GetElapsedTime(started));
    }

    /// <summary>
    /// Queues a tick's data: to a member that uses data batches one <see cref="DataBatch"/> with the data of its topics
    /// (built and serialized once per distinct combination of data topics, not per member), to the others a
    /// <see cref="DataUpdate"/> per datum of their topics (each serialized once). Never waits for a client.
    /// </summary>
    public void BroadcastData(IReadOnlyList<DataUpdate> updates, DateTimeOffset at)
    {
        if (updates.Count == 0)
        {
            return;
        }

        var started = Stopwatch.GetTimestamp();
        var sourceTopics = new int[updates.Count];
        var single = new OutboxEntry[updates.Count];
        var allTopics = 0;
        for (var i = 0; i < updates.Count; i++)
        {
            sourceTopics[i] = HubTopicMask.OfSource(updates[i].Source);
            allTopics |= sourceTopics[i];
            single[i] = OutboxEntry.For(nameof(IRiskClient.DataUpdate), [updates[i]]);
        }

        // Indexed by a member's data topics: at most 2^sources batches, each built when a member first needs it.
        var batches = new OutboxEntry?[HubTopicMask.Data + 1];
        var built = new bool[batches.Length];
        foreach (var member in _members)
        {
            var topics = member.Topics;
            if (!member.UsesDataBatches)
            {
                for (var i = 0; i < single.Length; i++)
                {
                    if ((topics & sourceTopics[i]) != 0)
                    {
                        member.Enqueue(single[i]);
                    }
                }

                continue;
            }

            var wanted = topics & allTopics;
            if (wanted == 0)
            {
                continue;
            }

            if (!built[wanted])
            {
                built[wanted] = true;
                batches[wanted] = BatchOf(updates, sourceTopics, wanted, allTopics, at);
            }

            member.Enqueue(batches[wanted]!.Value);
        }

        _metrics.FanOutCompleted(Stopwatch.GetElapsedTime(started));
    }

    private static OutboxEntry BatchOf(IReadOnlyList<DataUpdate> updates, int[] sourceTopics, int wanted, int allTopics, DateTimeOffset at)
    {
        IReadOnlyList<DataUpdate> chosen = wanted == allTopics
            ? updates
            : [.. updates.Where((_, i) => (sourceTopics[i] & wanted) != 0)];
        return OutboxEntry.For(nameof(IRiskClient.DataBatch), [new DataBatch(chosen, at)]);
    }

    private void DisconnectSlow(HubConnectionOutbox outbox, string reason)
    {
        Interlocked.Increment(ref _slowDisconnects);
        _metrics.ClientDisconnected("slow");
        LogSlowClient(outbox.ConnectionId, outbox.ClientAddress, outbox.Transport, reason);
        outbox.Abort();
    }

    /// <summary>
    /// Runs when the host starts stopping, before SignalR tears the transports down: each connection is told (so an
    /// automatic-reconnect client retries) and aborted. Waits a bounded half second for the close messages to be
    /// written, as SignalR's own shutdown waits for its connections; a client that does not read is only aborted.
    /// </summary>
    private void CloseAllForShutdown()
    {
        var closing = _open.Values.Select(outbox =>
        {
            _metrics.ClientDisconnected("shutdown");
            return outbox.CloseForShutdownAsync(TimeSpan.FromMilliseconds(400));
        }).ToArray();
        if (closing.Length == 0)
        {
            return;
        }

        try
        {
            Task.WhenAll(closing).Wait(TimeSpan.FromMilliseconds(500));
        }
        catch (AggregateException ex)
        {
            LogShutdownCloseFailed(ex.InnerException ?? ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telling hub clients about the shutdown failed; they are aborted instead")]
    private partial void LogShutdownCloseFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Disconnected hub client {ConnectionId} from {ClientAddress} ({Transport}): not keeping up, {Reason}")]
    private partial void LogSlowClient(string connectionId, string clientAddress, string transport, string reason);
}
