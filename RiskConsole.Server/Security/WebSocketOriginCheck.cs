using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using RiskConsole.Server.Configuration;

namespace RiskConsole.Server.Security;

/// <summary>
/// Browsers do not apply CORS to WebSocket upgrades, so the server must: an upgrade that carries an Origin
/// header is accepted only from the same host or a configured Server:AllowedOrigins entry. Clients without
/// an Origin (.NET apps, curl) are not browsers and pass.
/// </summary>
public sealed class WebSocketOriginCheck(RequestDelegate next, IOptions<ServerOptions> options)
{
    public async Task InvokeAsync(HttpContext http)
    {
        if (http.WebSockets.IsWebSocketRequest && http.Request.Headers.TryGetValue(HeaderNames.Origin, out var origin) && !IsAllowed(origin.ToString(), http.Request.Host))
        {
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            await http.Response.WriteAsync("WebSocket origin not allowed; add it to Server:AllowedOrigins.");
            return;
        }

        await next(http);
    }

    private bool IsAllowed(string origin, HostString host)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri))
        {
            return false;
        }

        // Same origin compares host and port only: behind a TLS-terminating proxy the scheme differs.
        if (string.Equals(uri.Authority, host.Value, StringComparison.OrdinalIgnoreCase)
            || (string.Equals(uri.Host, host.Host, StringComparison.OrdinalIgnoreCase) && uri.IsDefaultPort && host.Port is null))
        {
            return true;
        }

        return options.Value.AllowedOrigins.Any(allowed => string.Equals(allowed.TrimEnd('/'), origin.TrimEnd('/'), StringComparison.OrdinalIgnoreCase));
    }
}
