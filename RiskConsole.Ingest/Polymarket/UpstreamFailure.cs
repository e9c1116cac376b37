using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Authentication;

namespace RiskConsole.Ingest.Polymarket;

/// <summary>
/// Turns what .NET throws for a failed connection into the plain words a user sees as the source's last error and in
/// <c>probe polymarket</c>: "DNS: no such host gamma-api.polymarket.com", "connection refused by 127.0.0.1:9",
/// "TLS handshake with host failed", "the server dropped the connection without a close frame".
/// </summary>
internal static class UpstreamFailure
{
    /// <summary>When a throttling answer names no wait (or an unreadable one), this long.</summary>
    public static readonly TimeSpan DefaultThrottleWait = TimeSpan.FromSeconds(30);

    /// <summary>A Retry-After beyond this is taken as this: a broken header must not park the source for days.</summary>
    public static readonly TimeSpan MaxThrottleWait = TimeSpan.FromHours(1);

    public static string Describe(Exception exception, Uri endpoint)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(endpoint);
        var host = endpoint.Host;
        var hostAndPort = endpoint.IsDefaultPort ? host : $"{host}:{endpoint.Port.ToString(CultureInfo.InvariantCulture)}";
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData }:
                    return $"DNS: no such host {host}";
                case SocketException { SocketErrorCode: SocketError.TryAgain }:
                    return $"DNS: the lookup of {host} failed (try again later)";
                case SocketException { SocketErrorCode: SocketError.ConnectionRefused }:
                    return $"connection refused by {hostAndPort}";
                case SocketException { SocketErrorCode: SocketError.ConnectionReset }:
                    return $"connection reset by {hostAndPort}";
                case SocketException { SocketErrorCode: SocketError.NetworkUnreachable or SocketError.HostUnreachable }:
                    return $"no route to {hostAndPort} (network unreachable)";
                case SocketException socket:
                    return $"network error reaching {hostAndPort}: {socket.SocketErrorCode}";
                case AuthenticationException authentication:
                    return $"TLS handshake with {host} failed: {authentication.Message}";
                case HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError }:
                    return $"DNS: no such host {host}";
                case HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } secure when secure.InnerException is not AuthenticationException:
                    return $"TLS handshake with {host} failed";
                case WebSocketException { WebSocketErrorCode: WebSocketError.ConnectionClosedPrematurely }:
                    return "the server dropped the connection without a close frame";
            }
        }

        return exception.Message;
    }

    /// <summary>How long a throttling answer asks us to wait: its Retry-After (seconds or a date), else <see cref="DefaultThrottleWait"/>, at most <see cref="MaxThrottleWait"/>.</summary>
    public static TimeSpan RetryAfter(RetryConditionHeaderValue? header, DateTimeOffset now)
    {
        var wait = header?.Delta ?? (header?.Date is { } date ? date - now : DefaultThrottleWait);
        return Clamp(wait);
    }

    /// <summary>The same from a raw header value (the WebSocket handshake gives headers as text).</summary>
    public static TimeSpan RetryAfter(string? header, DateTimeOffset now) =>
        RetryConditionHeaderValue.TryParse(header, out var parsed) ? RetryAfter(parsed, now) : DefaultThrottleWait;

    public static string Seconds(TimeSpan wait) => Math.Ceiling(wait.TotalSeconds).ToString(CultureInfo.InvariantCulture);

    /// <summary>Whether an HTTP answer is a throttle: 429 always, 503 when it says when to come back.</summary>
    public static bool IsThrottle(HttpStatusCode status, bool hasRetryAfter) =>
        status == HttpStatusCode.TooManyRequests || (status == HttpStatusCode.ServiceUnavailable && hasRetryAfter);

    /// <summary>"429 rate limited" / "503 unavailable": the start of a throttle message.</summary>
    public static string ThrottleWords(HttpStatusCode status) =>
        status == HttpStatusCode.TooManyRequests ? "429 rate limited" : $"{(int)status} unavailable";

    private static TimeSpan Clamp(TimeSpan wait) =>
        wait < TimeSpan.Zero ? TimeSpan.Zero : wait > MaxThrottleWait ? MaxThrottleWait : wait;
}
