using System.Diagnostics.Metrics;

namespace RiskConsole.Server.Observability;

/// <summary>
/// The delivery side's instruments (meter <see cref="MeterName"/>): who is connected, who was refused or cut off,
/// how long a fan-out takes and how deep each connection's outbound queue runs. Created from the host's
/// <see cref="IMeterFactory"/>, so tests and exporters see the same meter without any static state.
/// </summary>
public sealed class DeliveryMetrics
{
    public const string MeterName = "RiskConsole.Delivery";

    private readonly UpDownCounter<long> _connections;
    private readonly Counter<long> _rejectedConnections;
    private readonly Histogram<double> _fanOutDuration;
    private readonly Histogram<int> _queueDepth;
    private readonly Counter<long> _droppedMessages;
    private readonly Counter<long> _disconnectedClients;
    private readonly Counter<long> _rejectedInvocations;

    public DeliveryMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _connections = meter.CreateUpDownCounter<long>("riskconsole.connections.active", "{connection}", "Open client connections by transport and protocol.");
        _rejectedConnections = meter.CreateCounter<long>("riskconsole.connections.rejected", "{connection}", "Connections refused before they opened, by reason.");
        _fanOutDuration = meter.CreateHistogram<double>("riskconsole.fanout.duration", "ms", "Time to hand one message to every connection's queue.");
        _queueDepth = meter.CreateHistogram<int>("riskconsole.connection.queue_depth", "{message}", "Messages waiting in a connection's outbound queue, sampled when a message is queued behind others (a client that keeps up records nothing).");
        _droppedMessages = meter.CreateCounter<long>("riskconsole.clients.dropped_messages", "{message}", "Messages a slow connection lost (superseded data or scores), by kind.");
        _disconnectedClients = meter.CreateCounter<long>("riskconsole.clients.disconnected", "{connection}", "Connections the server closed, by reason (slow, idle, shutdown).");
        _rejectedInvocations = meter.CreateCounter<long>("riskconsole.hub.invocations_rejected", "{invocation}", "Client calls refused or held back, by reason: rate (hub call over the limit), refused (HubException), throttled (a /ws read held for the allowance).");
    }

    /// <param name="transport">websockets, serversentevents, longpolling or legacy-ws.</param>
    /// <param name="protocol">json, messagepack, or legacy for /ws.</param>
    public void ConnectionOpened(string transport, string protocol) =>
        _connections.Add(1, new KeyValuePair<string, object?>("transport", transport), new KeyValuePair<string, object?>("protocol", protocol));

    public void ConnectionClosed(string transport, string protocol) =>
        _connections.Add(-1, new KeyValuePair<string, object?>("transport", transport), new KeyValuePair<string, object?>("protocol", protocol));

    public void ConnectionRejected(string reason) => _rejectedConnections.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void FanOutCompleted(TimeSpan elapsed) => _fanOutDuration.Record(elapsed.TotalMilliseconds);

    public void QueueDepth(int depth) => _queueDepth.Record(depth);

    public void MessageDropped(string kind) => _droppedMessages.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void ClientDisconnected(string reason) => _disconnectedClients.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void InvocationRejected(string reason) => _rejectedInvocations.Add(1, new KeyValuePair<string, object?>("reason", reason));
}
