using Microsoft.Extensions.Options;
using RiskConsole.Ai;

namespace RiskConsole.Server.Security;

/// <summary>
/// Headers that keep the dashboard to what this server serves, on every response: a Content-Security-Policy that lets
/// scripts, styles, images, fonts, connections (the hub, /config) and media come from this origin only, with no inline
/// script or style, no plugins, no &lt;base&gt;, no form posts and no framing; <c>X-Content-Type-Options: nosniff</c>; and
/// <c>Referrer-Policy: no-referrer</c>, because the page's own URL may carry <c>?adminKey=</c>. The one exception is
/// media: an absolute <c>Ai:ElevenLabs:FallbackAudioUrl</c> names audio on another origin, which is then allowed too.
/// Set before the endpoint runs, after the exception handler, whose re-executed error responses pass here again.
/// </summary>
public sealed class SecurityHeaders(RequestDelegate next, IOptions<ElevenLabsOptions> elevenLabs)
{
    public const string ContentSecurityPolicyHeader = "Content-Security-Policy";

    private readonly string _policy = ContentSecurityPolicy(elevenLabs.Value.FallbackAudioUrl);

    public Task InvokeAsync(HttpContext http)
    {
        var headers = http.Response.Headers;
        headers[ContentSecurityPolicyHeader] = _policy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        return next(http);
    }

    /// <summary>The policy: 'self' for everything the page loads (for connect-src that includes ws: and wss: to this host).</summary>
    internal static string ContentSecurityPolicy(string? fallbackAudioUrl)
    {
        var media = "'self'";
        if (Uri.TryCreate(fallbackAudioUrl, UriKind.Absolute, out var audio) && audio.Scheme is "http" or "https")
        {
            media += " " + audio.GetLeftPart(UriPartial.Authority);
        }

        return string.Join("; ",
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "media-src " + media,
            "manifest-src 'self'",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
            "object-src 'none'");
    }
}

public static class SecurityHeadersRegistration
{
    /// <summary>After UseExceptionHandler and UseStatusCodePages, before static files and endpoints.</summary>
    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        app.UseMiddleware<SecurityHeaders>();
        return app;
    }
}
