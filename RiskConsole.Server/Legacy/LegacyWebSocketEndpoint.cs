using Microsoft.Extensions.Options;
using RiskConsole.Server.Configuration;
using RiskConsole.Server.Delivery;
using RiskConsole.Server.Observability;
using RiskConsole.Server.Security;

namespace RiskConsole.Server.Legacy;

/// <summary>
/// /ws: the seed's plain WebSocket protocol, for front ends that predate SignalR. Sends CONNECTED on open and
/// then the latest RISK_SCORE, pushes RISK_SCORE, DATA_UPDATE, ALERT and INTERRUPT, answers GET_STATUS and
/// GET_STATISTICS to the asking socket only, and accepts FORCE_INTERRUPT through the same gate as the hub. Bad
/// input gets an ALERT of type error on that socket; an oversized message closes it with 1009. Nothing a client
/// sends is broadcast. Each accepted connection is a <see cref="LegacySocketSession"/>.
/// </summary>
public static class LegacyWebSocketEndpoint
{
    public const string Path = "/ws";

    private const string Transport = "legacy-ws";
    private const string Protocol = "legacy";

    public static IEndpointConventionBuilder MapLegacyWebSocket(this IEndpointRouteBuilder endpoints) =>
        endpoints.Map(Path, HandleAsync);

    private static async Task HandleAsync(
        HttpContext http,
        LegacySocketRegistry registry,
        ConsoleStatus status,
        TestInterruptGate gate,
        IOptions<ServerOptions> options,
        TimeProvider time,
        DeliveryMetrics metrics,
        ILogger<LegacySocketRegistry> logger)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            await Results.Problem(
                title: "WebSocket upgrade required",
                detail: "/ws speaks the legacy JSON protocol over a WebSocket; connect with ws:// or wss://. SignalR clients use " + RiskConsole.Core.Contracts.IRiskHub.Path + ".",
                statusCode: StatusCodes.Status400BadRequest).ExecuteAsync(http);
            return;
        }

        using var webSocket = await http.WebSockets.AcceptWebSocketAsync();
        metrics.ConnectionOpened(Transport, Protocol);
        try
        {
            await new LegacySocketSession(http, webSocket, registry, status, gate, options.Value, time, metrics, logger).RunAsync();
        }
        finally
        {
            metrics.ConnectionClosed(Transport, Protocol);
        }
    }
}
