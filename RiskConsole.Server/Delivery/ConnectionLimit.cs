using Microsoft.Extensions.Options;
using RiskConsole.Core.Contracts;
using RiskConsole.Server.Configuration;
using RiskConsole.Server.Legacy;
using RiskConsole.Server.Observability;

namespace RiskConsole.Server.Delivery;

/// <summary>
/// Server:MaxConnections: a request that would open a client connection (a hub negotiate, or a WebSocket upgrade on
/// the hub or /ws) gets 503 with Retry-After once that many are open, so a connection storm costs a refusal, not the
/// memory of every other client (an idle open connection holds about 47 KB, a busy one its buffers on top). Counted by reason.
/// </summary>
public sealed class ConnectionLimit(RequestDelegate next, IOptions<ServerOptions> options, HubAudience hub, LegacySocketRegistry legacy, DeliveryMetrics metrics)
{
    /// <summary>Not async on the way through, so an admitted connection holds no state machine of this middleware (see CrossOriginGuard).</summary>
    public Task InvokeAsync(HttpContext http)
    {
        if (OpensConnection(http) && hub.Count + legacy.Count >= options.Value.MaxConnections)
        {
            metrics.ConnectionRejected("limit");
            http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            http.Response.Headers.RetryAfter = "5";
            return http.Response.WriteAsync($"Too many connections (Server:MaxConnections = {options.Value.MaxConnections}); retry later.");
        }

        return next(http);
    }

    private static bool OpensConnection(HttpContext http) =>
        http.WebSockets.IsWebSocketRequest
        || (HttpMethods.IsPost(http.Request.Method) && http.Request.Path.StartsWithSegments(IRiskHub.Path + "/negotiate", StringComparison.OrdinalIgnoreCase));
}
