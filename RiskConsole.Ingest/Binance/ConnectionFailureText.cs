using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Authentication;

namespace RiskConsole.Ingest.Binance;

/// <summary>
/// Turns what .NET throws for a failed connection into the sentence a user reads as the source's last error and in
/// the output of <c>probe binance</c>: what failed and where, in plain words ("DNS: no such host stream.binance.com"),
/// rather than "An error occurred while sending the request."
/// </summary>
internal static class ConnectionFailureText
{
    /// <summary>Why connecting to <paramref name="uri"/> failed, from the exception and its inner ones.</summary>
    public static string Describe(Exception failure, Uri uri)
    {
        ArgumentNullException.ThrowIfNull(failure);
        ArgumentNullException.ThrowIfNull(uri);
        var where = $"{uri.Host}:{uri.Port}";
        for (var e = failure; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case AuthenticationException tls:
                    return $"TLS handshake with {where} failed: {tls.Message}";
                case SocketException socket:
                    return socket.SocketErrorCode switch
                    {
                        SocketError.HostNotFound or SocketError.NoData => $"DNS: no such host {uri.Host}",
                        SocketError.TryAgain => $"DNS: could not resolve {uri.Host} (no answer from the name server)",
                        SocketError.ConnectionRefused => $"connection refused by {where} (nothing listens there)",
                        SocketError.TimedOut => $"connection to {where} timed out",
                        SocketError.NetworkUnreachable or SocketError.HostUnreachable or SocketError.NetworkDown => $"network unreachable: cannot reach {where}",
                        SocketError.ConnectionReset => $"connection reset by {where}",
                        _ => $"network error with {where}: {socket.SocketErrorCode}",
                    };
                case HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError }:
                    return $"DNS: no such host {uri.Host}";
                case HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } http when http.InnerException is null:
                    return $"TLS handshake with {where} failed: {http.Message}";
                case HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded }:
                    return $"{where} closed the connection before answering";
            }
        }

        return failure switch
        {
            WebSocketException { WebSocketErrorCode: WebSocketError.ConnectionClosedPrematurely } => $"{where} closed the connection without a WebSocket close frame",
            WebSocketException socket => $"WebSocket error with {where}: {socket.Message}",
            _ => $"connection to {where} failed: {failure.Message}",
        };
    }

    /// <summary>Why an open connection was lost: "connection lost: stream.binance.com:9443 reset it".</summary>
    public static string Lost(Exception failure, Uri uri)
    {
        ArgumentNullException.ThrowIfNull(failure);
        ArgumentNullException.ThrowIfNull(uri);
        var where = $"{uri.Host}:{uri.Port}";
        for (var e = failure; e is not null; e = e.InnerException)
        {
            if (e is SocketException { SocketErrorCode: SocketError.ConnectionReset or SocketError.ConnectionAborted })
            {
                return $"connection lost: {where} reset it";
            }
        }

        return failure is WebSocketException { WebSocketErrorCode: WebSocketError.ConnectionClosedPrematurely }
            ? $"connection lost: {where} closed it without a WebSocket close frame"
            : $"connection lost: {Describe(failure, uri)}";
    }

    /// <summary>"closed by the server: 1001 going away: restarting" from a close frame's code and reason.</summary>
    public static string ClosedByServer(WebSocketCloseStatus? status, string? description)
    {
        if (status is null)
        {
            return "closed by the server without a close code";
        }

        var code = (int)status.Value;
        var name = status.Value switch
        {
            WebSocketCloseStatus.NormalClosure => "normal closure",
            WebSocketCloseStatus.EndpointUnavailable => "going away",
            WebSocketCloseStatus.ProtocolError => "protocol error",
            WebSocketCloseStatus.InvalidMessageType => "unsupported data",
            WebSocketCloseStatus.InvalidPayloadData => "invalid payload",
            WebSocketCloseStatus.PolicyViolation => "policy violation",
            WebSocketCloseStatus.MessageTooBig => "message too big",
            WebSocketCloseStatus.InternalServerError => "server error",
            _ when code == 1012 => "service restart",
            _ when code == 1013 => "try again later",
            _ => "close code",
        };
        return string.IsNullOrWhiteSpace(description)
            ? $"closed by the server: {code} {name}"
            : $"closed by the server: {code} {name}: {description.Trim()}";
    }

    /// <summary>"HTTP 451 Unavailable For Legal Reasons" (the number alone when .NET has no name for it).</summary>
    public static string Status(int code)
    {
        var name = ((HttpStatusCode)code).ToString();
        return int.TryParse(name, out _) ? $"HTTP {code}" : $"HTTP {code} {SplitWords(name)}";
    }

    private static string SplitWords(string pascal)
    {
        var words = new System.Text.StringBuilder(pascal.Length + 8);
        for (var i = 0; i < pascal.Length; i++)
        {
            if (i > 0 && char.IsUpper(pascal[i]))
            {
                words.Append(' ');
            }

            words.Append(pascal[i]);
        }

        return words.ToString();
    }
}
