using System.Net.Http.Json;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace RiskConsole.Tests.Server.Infrastructure;

/// <summary>
/// Clients that attack the server by what they do not do: they speak just enough of the real wire protocols (a raw
/// WebSocket upgrade, the SignalR handshake and invocation frames) to be served, and then stop reading, never
/// acknowledge, or flood. Written on raw sockets because the real clients cannot be made to misbehave.
/// </summary>
public static class MisbehavingClients
{
    private const char RecordSeparator = '\u001e';

    /// <summary>
    /// A hub client (JSON over WebSockets, negotiation skipped) whose socket never reads: its tiny receive buffer
    /// fills at once and the server's writes to it stall. It sends <paramref name="invocations"/> GetStatus calls
    /// as fast as the socket takes them, so the server has large answers to write to it.
    /// </summary>
    public static async Task<Socket> NeverReadingHubFlooderAsync(Uri server, int invocations)
    {
        var socket = await UpgradeWithoutReadingAsync(server, "/hubs/risk");
        await SendFrameAsync(socket, "{\"protocol\":\"json\",\"version\":1}" + RecordSeparator);
        FloodInBackground(socket, invocations, i => $"{{\"type\":1,\"invocationId\":\"{i}\",\"target\":\"GetStatus\",\"arguments\":[]}}{RecordSeparator}");
        return socket;
    }

    private static void FloodInBackground(Socket socket, int frames, Func<int, string> frame) =>
        _ = Task.Run(async () =>
        {
            try
            {
                for (var i = 0; i < frames; i++)
                {
                    await SendFrameAsync(socket, frame(i));
                }
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                // The server cut this client off: the point of the test.
            }
        });

    /// <summary>A /ws client whose socket never reads after the upgrade.</summary>
    public static Task<Socket> NeverReadingLegacyClientAsync(Uri server) => UpgradeWithoutReadingAsync(server, "/ws");

    /// <summary>A /ws client that never reads and sends <paramref name="requests"/> GET_STATUS requests, so the server has large answers to write to it.</summary>
    public static async Task<Socket> NeverReadingLegacyFlooderAsync(Uri server, int requests)
    {
        var socket = await UpgradeWithoutReadingAsync(server, "/ws");
        FloodInBackground(socket, requests, _ => "{\"type\":\"GET_STATUS\",\"payload\":{}}");
        return socket;
    }

    /// <summary>
    /// A hub client that negotiates stateful reconnect, reads everything the server sends, and never sends an Ack:
    /// the server's replay buffer for it fills and its writes to it wait for an acknowledgement that never comes.
    /// </summary>
    public static async Task<ClientWebSocket> NoAckStatefulHubClientAsync(Uri server, CancellationToken stop)
    {
        using var http = new HttpClient { BaseAddress = server };
        using var negotiated = await http.PostAsync("/hubs/risk/negotiate?negotiateVersion=1&useStatefulReconnect=true", content: null, stop);
        negotiated.EnsureSuccessStatusCode();
        var answer = await negotiated.Content.ReadFromJsonAsync<JsonElement>(stop);
        if (!answer.TryGetProperty("useStatefulReconnect", out var stateful) || !stateful.GetBoolean())
        {
            throw new InvalidOperationException($"The server did not offer stateful reconnect: {answer}");
        }

        var token = answer.GetProperty("connectionToken").GetString();
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(new UriBuilder(server) { Scheme = "ws", Path = "/hubs/risk", Query = "id=" + token }.Uri, stop);
        await socket.SendAsync(Encoding.UTF8.GetBytes("{\"protocol\":\"json\",\"version\":2}" + RecordSeparator), WebSocketMessageType.Text, true, stop);
        _ = Task.Run(async () =>
        {
            var buffer = new byte[64 * 1024];
            try
            {
                while (socket.State == WebSocketState.Open)
                {
                    var result = await socket.ReceiveAsync(buffer, stop);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }
                }
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                // Cut off by the server, or the test is over.
            }
        });
        return socket;
    }

    /// <summary>
    /// A client that completes the upgrade (and for the hub, the handshake), then reads and discards everything and
    /// sends nothing: no keep-alive, and no pong to the server's WebSocket pings. Completes with the time from the
    /// upgrade until the server closed the connection.
    /// </summary>
    public static async Task<TimeSpan> SilentClientClosedAfterAsync(Uri server, string path, TimeSpan timeout)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(server.Host, server.Port);
        var upgrade = $"GET {path} HTTP/1.1\r\nHost: {server.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
        await socket.SendAsync(Encoding.ASCII.GetBytes(upgrade), SocketFlags.None);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        if (path.StartsWith("/hubs/", StringComparison.Ordinal))
        {
            await SendFrameAsync(socket, "{\"protocol\":\"json\",\"version\":1}" + RecordSeparator);
        }

        using var cancel = new CancellationTokenSource(timeout);
        var buffer = new byte[16 * 1024];
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, cancel.Token) > 0)
            {
            }
        }
        catch (SocketException)
        {
            // A reset is a close too.
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            throw new TimeoutException($"The server kept a silent client on {path} open for {timeout.TotalSeconds} s.");
        }

        return System.Diagnostics.Stopwatch.GetElapsedTime(started);
    }

    /// <summary>
    /// A hub client that skips negotiation, completes the handshake, reads everything and answers the server's
    /// WebSocket pings (ClientWebSocket does that itself) but never sends a SignalR message: no keep-alive ping, no
    /// invocation. Completes with the time from the handshake until the server closed the connection.
    /// </summary>
    public static async Task<TimeSpan> PongingSilentHubClientClosedAfterAsync(Uri server, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new UriBuilder(server) { Scheme = "ws", Path = "/hubs/risk" }.Uri, cancel.Token);
        await socket.SendAsync(Encoding.UTF8.GetBytes("{\"protocol\":\"json\",\"version\":1}" + RecordSeparator), WebSocketMessageType.Text, true, cancel.Token);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var buffer = new byte[64 * 1024];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer, cancel.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
            }
        }
        catch (WebSocketException)
        {
            // A reset is a close too.
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            throw new TimeoutException($"The server kept a ponging but otherwise silent hub client open for {timeout.TotalSeconds} s.");
        }

        return System.Diagnostics.Stopwatch.GetElapsedTime(started);
    }

    /// <summary>Connects with a receive buffer as small as the kernel allows and sends a WebSocket upgrade; the 101 answer is never read.</summary>
    private static async Task<Socket> UpgradeWithoutReadingAsync(Uri server, string path)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 1024, NoDelay = true };
        await socket.ConnectAsync(server.Host, server.Port);
        var upgrade = $"GET {path} HTTP/1.1\r\nHost: {server.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
        await socket.SendAsync(Encoding.ASCII.GetBytes(upgrade), SocketFlags.None);
        return socket;
    }

    /// <summary>One masked text frame (a client must mask; the zero key leaves the payload as it is).</summary>
    private static async Task SendFrameAsync(Socket socket, string text)
    {
        var payload = Encoding.UTF8.GetBytes(text);
        var header = payload.Length < 126
            ? new byte[] { 0x81, (byte)(0x80 | payload.Length), 0, 0, 0, 0 }
            : [0x81, 0x80 | 126, (byte)(payload.Length >> 8), (byte)payload.Length, 0, 0, 0, 0];
        await socket.SendAsync(header.Concat(payload).ToArray(), SocketFlags.None);
    }
}
