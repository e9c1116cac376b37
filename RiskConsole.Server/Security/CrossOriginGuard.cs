using Microsoft.Net.Http.Headers;
using RiskConsole.Server.Observability;

namespace RiskConsole.Server.Security;

/// <summary>
/// Refuses cross-origin browser requests that change state (any method but GET, HEAD and OPTIONS, which includes the
/// SignalR negotiate and long-polling POSTs and POST /test-interrupt) and every WebSocket upgrade, with 403 and one
/// line naming the setting to change. CORS alone does not do this: a "simple" text/plain POST reaches the endpoint
/// before the browser looks at any CORS header, and browsers apply no CORS to WebSocket upgrades at all. A request
/// with an Origin needs a trusted one (see <see cref="TrustedOrigins"/>); without an Origin, a browser's
/// Sec-Fetch-Site: cross-site is refused too. Requests with neither (curl, .NET clients) are not from a browser and
/// pass: they carry no ambient credentials a page could borrow.
/// </summary>
public sealed partial class CrossOriginGuard(RequestDelegate next, TrustedOrigins trustedOrigins, DeliveryMetrics metrics, ILogger<CrossOriginGuard> logger)
{
    private const string FetchSiteHeader = "Sec-Fetch-Site";

    /// <summary>
    /// Not async on the way through: a WebSocket request stays in the middleware chain for the connection's whole life,
    /// and an awaiting middleware keeps a state machine per connection for as long (docs/performance.md).
    /// </summary>
    public Task InvokeAsync(HttpContext http)
    {
        var upgrade = http.WebSockets.IsWebSocketRequest;
        if (!upgrade && (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || HttpMethods.IsOptions(http.Request.Method)))
        {
            return next(http);
        }

        var origin = http.Request.Headers[HeaderNames.Origin].ToString();
        var fetchSite = http.Request.Headers[FetchSiteHeader].ToString();
        var refusal = Refusal(origin, fetchSite);
        if (refusal is null)
        {
            return next(http);
        }

        if (upgrade)
        {
            metrics.ConnectionRejected("origin");
        }

        LogRefused(logger, upgrade ? "WebSocket upgrade" : http.Request.Method, http.Request.Path, origin, fetchSite);
        http.Response.StatusCode = StatusCodes.Status403Forbidden;
        http.Response.ContentType = "text/plain; charset=utf-8";
        return http.Response.WriteAsync(refusal);
    }

    private string? Refusal(string origin, string fetchSite)
    {
        if (origin.Length > 0)
        {
            return trustedOrigins.IsTrusted(origin)
                ? null
                : trustedOrigins.HostsConfigured
                    ? $"Cross-origin request refused: origin '{origin}' is not trusted; add it to Server:AllowedOrigins, or its host to AllowedHosts."
                    : $"Cross-origin request refused: origin '{origin}' is not trusted; add it to Server:AllowedOrigins, or list this server's host names in AllowedHosts (now \"*\", which trusts no name).";
        }

        return string.Equals(fetchSite, "cross-site", StringComparison.OrdinalIgnoreCase)
            ? "Cross-site request refused: the browser sent Sec-Fetch-Site: cross-site without a trusted Origin; add the calling site to Server:AllowedOrigins."
            : null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused cross-origin {Request} to {Path} from origin '{Origin}' (Sec-Fetch-Site '{FetchSite}'); trusted origins come from Server:AllowedOrigins and AllowedHosts")]
    private static partial void LogRefused(ILogger logger, string request, string path, string origin, string fetchSite);
}

public static class CrossOriginGuardRegistration
{
    public static IServiceCollection AddCrossOriginGuard(this IServiceCollection services) => services.AddSingleton<TrustedOrigins>();

    /// <summary>After UseWebSockets (which marks upgrade requests) and before every endpoint.</summary>
    public static WebApplication UseCrossOriginGuard(this WebApplication app)
    {
        app.UseMiddleware<CrossOriginGuard>();
        return app;
    }
}
