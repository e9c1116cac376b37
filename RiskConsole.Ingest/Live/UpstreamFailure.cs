using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Authentication;

namespace RiskConsole.Ingest.Live;

/// <summary>
/// Turns what a failed connection threw into the plain words a user sees as the source's last error and the probe
/// prints: "DNS: no such host", "TLS handshake failed", "HTTP 451" rather than a type name and a stack trace.
/// A listener's own message (it knows the protocol) is kept; the inner socket or TLS cause is added when it says more.
/// </summary>
public static class UpstreamFailure
{
    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var cause = RootCause(exception);
        var what = cause switch
        {
            SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain } =>
                "DNS: the host name could not be resolved",
            SocketException { SocketErrorCode: SocketError.ConnectionRefused } => "connection refused (nothing listens there)",
            SocketException { SocketErrorCode: SocketError.ConnectionReset } => "connection reset by the peer",
            SocketException { SocketErrorCode: SocketError.TimedOut } => "TCP connect timed out",
            SocketException { SocketErrorCode: SocketError.NetworkUnreachable or SocketError.HostUnreachable } => "network unreachable",
            SocketException socket => $"socket error {socket.SocketErrorCode}",
            AuthenticationException tls => $"TLS handshake failed: {tls.Message}",
            _ => null,
        };

        var own = exception switch
        {
            // These carry no protocol knowledge of their own: the cause (or the status) says it better.
            WebSocketException { InnerException: not null } or HttpRequestException { InnerException: not null, StatusCode: null } => null,
            HttpRequestException { StatusCode: { } status } => $"HTTP {(int)status} {Phrase(status)}",
            WebSocketException web => web.Message,
            TimeoutException timeout => timeout.Message,
            _ => exception.Message,
        };

        return (own, what) switch
        {
            (null, null) => cause.Message,
            (null, _) => what,
            (_, null) => own,
            _ when own.Contains(what, StringComparison.OrdinalIgnoreCase) => own,
            _ => $"{own} ({what})",
        };
    }

    private static Exception RootCause(Exception exception)
    {
        var current = exception;
        while (current.InnerException is { } inner && current is not AuthenticationException)
        {
            current = inner;
        }

        return current;
    }

    private static string Phrase(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized => "unauthorized (check the credentials)",
        HttpStatusCode.Forbidden => "forbidden",
        HttpStatusCode.TooManyRequests => "too many requests (rate limited)",
        HttpStatusCode.UnavailableForLegalReasons => "unavailable for legal reasons (the service refuses this region)",
        _ => status.ToString(),
    };
}
