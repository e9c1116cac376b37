using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Authentication;

namespace RiskConsole.Ingest.Live;

/// <summary>
/// The plain words a user sees as a source's last error and the probe prints. A listener's own message is kept (it
/// knows the protocol and names the host, the status and the setting to check); when the root cause is a socket or
/// TLS failure its message does not already name, that cause is added in brackets. Only a WebSocketException's
/// generic "Unable to connect to the remote server" is replaced by what lies under it.
/// </summary>
public static class UpstreamFailure
{
    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is WebSocketException { InnerException: { } under })
        {
            return Describe(under);
        }

        var own = exception.Message;
        if (Cause(RootCause(exception)) is not var (keyword, text))
        {
            return own;
        }

        return own.Contains(keyword, StringComparison.OrdinalIgnoreCase) ? own : $"{own} ({text})";
    }

    /// <summary>A word that shows a message already says it, and the words to add when it does not.</summary>
    private static (string Keyword, string Text)? Cause(Exception root) => root switch
    {
        SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain } =>
            ("DNS", "DNS: the host name could not be resolved"),
        SocketException { SocketErrorCode: SocketError.ConnectionRefused } => ("refused", "connection refused: nothing listens there"),
        SocketException { SocketErrorCode: SocketError.ConnectionReset } => ("reset", "connection reset by the peer"),
        SocketException { SocketErrorCode: SocketError.TimedOut } => ("timed out", "TCP connect timed out"),
        SocketException { SocketErrorCode: SocketError.NetworkUnreachable or SocketError.HostUnreachable } => ("unreachable", "network unreachable"),
        SocketException socket => (socket.SocketErrorCode.ToString(), $"socket error {socket.SocketErrorCode}"),
        AuthenticationException tls => ("TLS", $"TLS handshake failed: {tls.Message}"),
        _ => null,
    };

    private static Exception RootCause(Exception exception)
    {
        var current = exception;
        while (current.InnerException is { } inner && current is not AuthenticationException)
        {
            current = inner;
        }

        return current;
    }
}
