using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using RiskConsole.Core.Contracts;
using RiskConsole.Server.Configuration;
using RiskConsole.Server.Delivery;
using RiskConsole.Server.Observability;
using RiskConsole.Server.Security;

namespace RiskConsole.Server.Legacy;

/// <summary>
/// One accepted /ws connection, from CONNECTED to close: it joins the registry, runs the socket's send loop,
/// receives whole messages up to Server:MaxClientMessageBytes and answers each on this socket only.
/// </summary>
internal sealed partial class LegacySocketSession
{
    private readonly HttpContext _http;
    private readonly WebSocket _webSocket;
    private readonly LegacySocket _socket;
    private readonly LegacySocketRegistry _registry;
    private readonly ConsoleStatus _status;
    private readonly TestInterruptGate _gate;
    private readonly int _maxBytes;
    private readonly TimeProvider _time;
    private readonly DeliveryMetrics _metrics;
    private readonly ILogger _logger;

    // The same allowance as a hub connection's calls. Beyond it the next message is not read until a token is earned:
    // a client sending GET_STATUS as fast as it can is slowed by TCP itself and costs the server neither the answers
    // nor the CPU of reading and refusing each request (refusing them one by one starved the publish tick on 2 cores).
    private readonly TokenBucket _requests;

    public LegacySocketSession(
        HttpContext http,
        WebSocket webSocket,
        LegacySocketRegistry registry,
        ConsoleStatus status,
        TestInterruptGate gate,
        ServerOptions options,
        TimeProvider time,
        DeliveryMetrics metrics,
        ILogger logger)
    {
        _http = http;
        _webSocket = webSocket;
        _socket = registry.Open(webSocket, http.Connection.Id, http.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        _registry = registry;
        _status = status;
        _gate = gate;
        _maxBytes = options.MaxClientMessageBytes;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        _requests = new TokenBucket(options.ClientCallsPerSecond, 2 * options.ClientCallsPerSecond, time.GetTimestamp());
    }

    /// <summary>Runs until the client closes, breaks the rules of the protocol or goes away, the request is aborted, or the server stops.</summary>
    public async Task RunAsync()
    {
        // Shutdown ends the session: the send loop stops and the server sends a 1001 close at once, instead of the
        // client waiting out the host's shutdown timeout and then being reset. The receive is not cancelled (that would
        // abort the socket before the close frame could go out); the client's answer to the close ends it.
        var shutdown = _http.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        using var sendStopping = CancellationTokenSource.CreateLinkedTokenSource(_http.RequestAborted, shutdown);
        _status.LegacyConnected();

        // CONNECTED is queued before the socket joins, so it is the first frame and the latest score the second.
        _socket.Enqueue(LegacyFrameEncoder.Connected(new LegacyConnected("Connected to Risk Console", _status.GetStatistics())));
        _registry.Join(_socket, _status.LatestScore);
        var sending = _socket.RunSendLoopAsync(sendStopping.Token);
        var receiving = ReceiveLoopAsync(_http.RequestAborted);
        Task? closing = null;
        using var onShutdown = shutdown.Register(() => closing = CloseForShutdownAsync(sending, receiving));
        try
        {
            await receiving;
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            var reason = ex.GetType().Name;
            LogClientGone(_logger, reason);
            await AwaitClosingHandshakeAsync();
        }
        finally
        {
            _registry.Leave(_socket);
            _socket.Complete();
            _status.LegacyDisconnected();
            await sending;
            if (closing is not null)
            {
                await closing;
            }
        }
    }

    /// <summary>
    /// After the socket itself closed on a protocol error (invalid UTF-8: 1007), takes the client's answering close for
    /// up to a second. Ending the request with that answer unread makes the kernel reset the connection, and a reset
    /// can discard the close frame before the client has read it (seen as a rare test failure).
    /// </summary>
    private async Task AwaitClosingHandshakeAsync()
    {
        if (_webSocket.State != WebSocketState.CloseSent)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1), _time);
        var scratch = new byte[256];
        try
        {
            while (_webSocket.State == WebSocketState.CloseSent)
            {
                await _webSocket.ReceiveAsync(scratch, timeout.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The client did not answer in time, or went away: nothing more to wait for.
        }
    }

    private async Task CloseForShutdownAsync(Task sending, Task receiving)
    {
        // Bounded: a client that does not read cannot take the close, and one that does not answer it must not hold
        // up shutdown either; after a second the socket is aborted.
        var bound = TimeSpan.FromSeconds(1);
        using var timeout = new CancellationTokenSource(bound, _time);
        try
        {
            // A WebSocket takes one send at a time: the close goes out once the (cancelled) send loop has stopped.
            await sending;
            await _webSocket.CloseOutputAsync(WebSocketCloseStatus.EndpointUnavailable, "server shutting down", timeout.Token);
            await receiving.WaitAsync(bound, _time);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or TimeoutException)
        {
            var reason = ex.GetType().Name;
            LogClientGone(_logger, reason);
            _webSocket.Abort();
        }
    }

    private async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        // One byte over the limit, so a message of exactly the limit fits and a longer one is seen to be longer.
        var buffer = ArrayPool<byte>.Shared.Rent(_maxBytes + 1);
        try
        {
            while (_webSocket.State == WebSocketState.Open)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length > _maxBytes)
                    {
                        await CloseTooBigAsync(cancellationToken);
                        return;
                    }

                    result = await _webSocket.ReceiveAsync(buffer.AsMemory(length, buffer.Length - length), cancellationToken);
                    length += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    // After our own close (shutdown) the client's close only completes the handshake.
                    if (_webSocket.State == WebSocketState.CloseReceived)
                    {
                        await _webSocket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", cancellationToken);
                    }

                    return;
                }

                if (length > _maxBytes)
                {
                    await CloseTooBigAsync(cancellationToken);
                    return;
                }

                if (result.MessageType != WebSocketMessageType.Text)
                {
                    ReplyError("Binary frames are not supported; send JSON text like {\"type\": \"GET_STATUS\", \"payload\": {}}.");
                    continue;
                }

                Dispatch(buffer.AsMemory(0, length));
                await WaitForAllowanceAsync(cancellationToken);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Holds the next read until the connection's allowance yields a token; counted when it has to wait.</summary>
    private async Task WaitForAllowanceAsync(CancellationToken cancellationToken)
    {
        var counted = false;
        while (!_requests.TryTake(_time.GetTimestamp(), _time))
        {
            if (!counted)
            {
                _metrics.InvocationRejected("throttled");
                counted = true;
            }

            // At least a millisecond: a timer may fire a hair before the token is whole, and the loop must not spin.
            var wait = _requests.UntilNextToken(_time.GetTimestamp(), _time);
            await Task.Delay(wait < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : wait, _time, cancellationToken);
        }
    }

    private Task CloseTooBigAsync(CancellationToken cancellationToken) =>
        _webSocket.CloseAsync(WebSocketCloseStatus.MessageTooBig, $"Messages are limited to {_maxBytes} bytes.", cancellationToken);

    private void Dispatch(ReadOnlyMemory<byte> message)
    {
        string? type;
        try
        {
            // Parse (not ParseValue) so that anything after the one JSON value is malformed, as it was for the seed.
            using var document = JsonDocument.Parse(message);
            type = document.RootElement.ValueKind == JsonValueKind.Object
                   && document.RootElement.TryGetProperty("type", out var typeElement)
                   && typeElement.ValueKind == JsonValueKind.String
                ? typeElement.GetString()
                : null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // GetString throws InvalidOperationException for text that is not UTF-8 or holds a lone surrogate
            // escape ("\ud800"); that is bad input like any other, not a reason to drop the socket.
            ReplyError($"Malformed JSON: {ex.Message}");
            return;
        }

        switch (type)
        {
            case LegacyFrameTypes.GetStatus:
                _socket.Enqueue(LegacyFrameEncoder.Status(_status.GetStatus()));
                break;
            case LegacyFrameTypes.GetStatistics:
                _socket.Enqueue(LegacyFrameEncoder.Statistics(_status.GetStatistics()));
                break;
            case LegacyFrameTypes.ForceInterrupt:
                ForceInterrupt();
                break;
            case null:
                ReplyError("Expected an object with a string \"type\", like {\"type\": \"GET_STATUS\", \"payload\": {}}.");
                break;
            default:
                var shown = type.Length > 40 ? type[..40] + "…" : type;
                ReplyError($"Unknown message type '{shown}'. Accepted: GET_STATUS, GET_STATISTICS, FORCE_INTERRUPT.");
                break;
        }
    }

    /// <summary>Through the same gate as the hub; a started interrupt reaches this socket as a broadcast, a refusal as an error to it alone.</summary>
    private void ForceInterrupt()
    {
        var result = _gate.TryForce(TestInterruptGate.PresentedKey(_http), TestInterruptGate.ClientAddress(_http));
        if (result.Outcome != TestInterruptOutcome.Started)
        {
            ReplyError(result.Message);
        }
    }

    private void ReplyError(string message) =>
        _socket.Enqueue(LegacyFrameEncoder.Alert(new AlertNotice(AlertTypes.Error, message, _time.GetUtcNow())));

    [LoggerMessage(Level = LogLevel.Debug, Message = "Legacy client left: {Reason}")]
    private static partial void LogClientGone(ILogger logger, string reason);
}
