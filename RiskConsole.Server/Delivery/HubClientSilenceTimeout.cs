using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Connections.Features;
using Microsoft.Extensions.Options;
using RiskConsole.Server.Configuration;
using RiskConsole.Server.Logging;
using RiskConsole.Server.Observability;

namespace RiskConsole.Server.Delivery;

/// <summary>
/// Closes a hub connection whose client has sent nothing for Server:ClientTimeoutSeconds, counting from the moment the
/// connection opened. SignalR's own <c>ClientTimeoutInterval</c> starts counting only at the client's first keep-alive
/// ping (it cannot assume an old client pings at all), so a client that completes the handshake and then never sends
/// a SignalR message — a raw WebSocket client that answers the transport's pings and nothing else — was kept open for
/// as long as it liked. This sits in the hub's connection pipeline, in front of SignalR, and watches the bytes the
/// client sends: any read that brings data restarts its clock. Closes are counted (clients.disconnected{reason=idle})
/// and logged within the client's log budget.
/// </summary>
public sealed partial class HubClientSilenceTimeout(
    IOptions<ServerOptions> options,
    TimeProvider time,
    DeliveryMetrics metrics,
    ClientLogBudget logBudget,
    ILogger<HubClientSilenceTimeout> logger)
{
    private readonly TimeSpan _timeout = TimeSpan.FromSeconds(options.Value.ClientTimeoutSeconds);

    public Task InvokeAsync(ConnectionContext connection, Func<Task> next)
    {
        // The heartbeat is SignalR's once-a-second tick for each connection (it drives the keep-alive pings too).
        // Long polling keeps itself alive: its clients send no pings (each poll is the sign of life) and SignalR closes
        // a connection whose poll does not come back within its disconnect timeout, so it is left to that.
        var heartbeat = connection.Features.Get<IConnectionHeartbeatFeature>();
        if (heartbeat is null || connection.Features.Get<IConnectionInherentKeepAliveFeature>()?.HasInherentKeepAlive == true)
        {
            return next();
        }

        var watched = new StampingReader(connection.Transport.Input, time);
        connection.Transport = new WatchedTransport(watched, connection.Transport.Output);
        heartbeat.OnHeartbeat(static state => ((Watch)state).Check(), new Watch(this, connection, watched));
        return next();
    }

    private void CloseSilent(ConnectionContext connection, TimeSpan silentFor)
    {
        metrics.ClientDisconnected("idle");
        var address = connection.Features.Get<IHttpContextFeature>()?.HttpContext?.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (logBudget.TryLog(address))
        {
            LogSilentClient(connection.ConnectionId, address, silentFor.TotalSeconds);
        }

        connection.Abort(new ConnectionAbortedException($"The client sent nothing for {silentFor.TotalSeconds:0.#} s (Server:ClientTimeoutSeconds)."));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Closed hub connection {ConnectionId} from {ClientAddress}: it sent nothing, not even a keep-alive, for {SilentSeconds:0.#} s")]
    private partial void LogSilentClient(string connectionId, string clientAddress, double silentSeconds);

    private sealed class Watch(HubClientSilenceTimeout owner, ConnectionContext connection, StampingReader reader)
    {
        private int _closed;

        public void Check()
        {
            // A stateful reconnect may hand the connection a new transport: from then on this clock sees nothing of the
            // client, so it stops rather than close a client that is talking on the new one.
            if (Volatile.Read(ref _closed) != 0 || connection.Transport.Input != reader || connection.ConnectionClosed.IsCancellationRequested)
            {
                return;
            }

            var silentFor = reader.SinceLastData;
            if (silentFor >= owner._timeout && Interlocked.Exchange(ref _closed, 1) == 0)
            {
                owner.CloseSilent(connection, silentFor);
            }
        }
    }

    private sealed class WatchedTransport(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }

    /// <summary>
    /// The client's side of the transport, unchanged except that every read is timed when SignalR advances past it.
    /// SignalR advances after each completed read, and a read completes only with new bytes, or when the connection is
    /// being cancelled or closed (when the clock no longer matters). Timed there rather than around ReadAsync, so the
    /// read of an idle connection, which is pending all the time, costs no state machine of ours.
    /// </summary>
    private sealed class StampingReader(PipeReader inner, TimeProvider time) : PipeReader
    {
        private long _lastData = time.GetTimestamp();

        public TimeSpan SinceLastData => time.GetElapsedTime(Volatile.Read(ref _lastData));

        public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default) => inner.ReadAsync(cancellationToken);

        public override bool TryRead(out ReadResult result) => inner.TryRead(out result);

        public override void AdvanceTo(SequencePosition consumed)
        {
            Stamp();
            inner.AdvanceTo(consumed);
        }

        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
        {
            Stamp();
            inner.AdvanceTo(consumed, examined);
        }

        public override void CancelPendingRead() => inner.CancelPendingRead();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);

        public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

        private void Stamp() => Volatile.Write(ref _lastData, time.GetTimestamp());
    }
}
