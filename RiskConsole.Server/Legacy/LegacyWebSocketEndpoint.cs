using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.Options;
using RiskConsole.Core.Contracts;
using RiskConsole.Server.Configuration;
using RiskConsole.Server.Delivery;
using RiskConsole.Server.Security;

namespace RiskConsole.Server.Legacy;

/// <summary>
/// /ws: the seed's plain WebSocket protocol, for front ends that predate SignalR. Sends CONNECTED on open and
/// then the latest RISK_SCORE,
/// pushes RISK_SCORE, DATA_UPDATE, ALERT and INTERRUPT, answers GET_STATUS and GET_STATISTICS to the asking
/// socket only, and accepts FORCE_INTERRUPT through the same gate as the hub. Bad input gets an ALERT of type
/// error on that socket; an oversized message closes it with 1009. Nothing a client sends is broadcast.
/// </summary>
public static partial class LegacyWebSocketEndpoint
{
    public const string Path = "/ws";

    public static IEndpointConventionBuilder MapLegacyWebSocket(this IEndpointRouteBuilder endpoints) =>
        endpoints.Map(Path, HandleAsync);

    private static async Task HandleAsync(
        HttpContext http,
        LegacySocketRegistry registry,
        ConsoleStatus status,
        TestInterruptGate gate,
        IOptions<ServerOptions> options,
        TimeProvider time,
        ILogger<LegacySocketRegistry> logger)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            await Results.Problem(
                title: "WebSocket upgrade required",
                detail: "/ws speaks the legacy JSON protocol over a WebSocket; connect with ws:// or wss://. SignalR clients use /hubs/risk.",
                statusCode: StatusCodes.Status400BadRequest).ExecuteAsync(http);
            return;
        }

        using var webSocket = await http.WebSockets.AcceptWebSocketAsync();
        var socket = registry.Open(webSocket);
        status.LegacyConnected();
        var stopping = http.RequestAborted;
        socket.Enqueue(LegacySocketRegistry.Frame(
            LegacyFrameTypes.Connected,
            new LegacyConnected("Connected to Risk Console", status.GetStatistics()),
            LegacyJsonContext.Default.LegacyConnected));
        socket.Join(status.LatestScore);
        var sending = socket.RunSendLoopAsync(stopping);
        try
        {
            await ReceiveLoopAsync(http, socket, status, gate, options.Value.MaxClientMessageBytes, time, stopping);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            LogClientGone(logger, ex.GetType().Name);
        }
        finally
        {
            socket.Leave();
            status.LegacyDisconnected();
            await sending;
        }
    }

    private static async Task ReceiveLoopAsync(
        HttpContext http,
        LegacySocket socket,
        ConsoleStatus status,
        TestInterruptGate gate,
        int maxBytes,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(maxBytes + 1);
        try
        {
            while (socket.Socket.State == WebSocketState.Open)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length > maxBytes)
                    {
                        await socket.Socket.CloseAsync(WebSocketCloseStatus.MessageTooBig, $"Messages are limited to {maxBytes} bytes.", cancellationToken);
                        return;
                    }

                    result = await socket.Socket.ReceiveAsync(buffer.AsMemory(length, buffer.Length - length), cancellationToken);
                    length += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await socket.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", cancellationToken);
                    return;
                }

                if (length > maxBytes)
                {
                    await socket.Socket.CloseAsync(WebSocketCloseStatus.MessageTooBig, $"Messages are limited to {maxBytes} bytes.", cancellationToken);
                    return;
                }

                if (result.MessageType != WebSocketMessageType.Text)
                {
                    Reply(socket, Error("Binary frames are not supported; send JSON text like {\"type\": \"GET_STATUS\", \"payload\": {}}.", time));
                    continue;
                }

                Handle(http, socket, buffer.AsMemory(0, length), status, gate, time);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void Handle(HttpContext http, LegacySocket socket, ReadOnlyMemory<byte> message, ConsoleStatus status, TestInterruptGate gate, TimeProvider time)
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
            Reply(socket, Error($"Malformed JSON: {ex.Message}", time));
            return;
        }

        switch (type)
        {
            case LegacyFrameTypes.GetStatus:
                socket.Enqueue(LegacySocketRegistry.Frame(LegacyFrameTypes.Status, status.GetStatus(), LegacyJsonContext.Default.RiskStatus));
                break;
            case LegacyFrameTypes.GetStatistics:
                socket.Enqueue(LegacySocketRegistry.Frame(LegacyFrameTypes.Statistics, status.GetStatistics(), LegacyJsonContext.Default.RiskStatistics));
                break;
            case LegacyFrameTypes.ForceInterrupt:
                var result = gate.TryForce(TestInterruptGate.PresentedKey(http), TestInterruptGate.ClientAddress(http));
                if (result.Outcome != TestInterruptOutcome.Started)
                {
                    Reply(socket, Error(result.Message, time));
                }

                break;
            case null:
                Reply(socket, Error("Expected an object with a string \"type\", like {\"type\": \"GET_STATUS\", \"payload\": {}}.", time));
                break;
            default:
                var shown = type.Length > 40 ? type[..40] + "…" : type;
                Reply(socket, Error($"Unknown message type '{shown}'. Accepted: GET_STATUS, GET_STATISTICS, FORCE_INTERRUPT.", time));
                break;
        }
    }

    private static AlertNotice Error(string message, TimeProvider time) => new(AlertTypes.Error, message, time.GetUtcNow());

    private static void Reply(LegacySocket socket, AlertNotice alert) =>
        socket.Enqueue(LegacySocketRegistry.Frame(LegacyFrameTypes.Alert, alert, LegacyJsonContext.Default.AlertNotice));

    [LoggerMessage(Level = LogLevel.Debug, Message = "Legacy client left: {Reason}")]
    private static partial void LogClientGone(ILogger logger, string reason);
}
