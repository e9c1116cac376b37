using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using RiskConsole.Core.Contracts;

namespace RiskConsole.Bench.Load;

/// <summary>
/// A hub client that stops reading: a raw TCP socket with a small receive buffer that upgrades to a WebSocket on the
/// hub, sends the SignalR JSON handshake, reads the upgrade response and then never reads again. The server keeps
/// sending to it until its socket buffers and its outbox fill; what that costs the other clients is the question.
/// </summary>
public sealed class StalledHubClient : IDisposable
{
    private readonly Socket _socket;

    private StalledHubClient(Socket socket) => _socket = socket;

    public static async Task<StalledHubClient> OpenAsync(Uri server)
    {
        ArgumentNullException.ThrowIfNull(server);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096, NoDelay = true };
        try
        {
            await socket.ConnectAsync(server.Host, server.Port);
            var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
            var request = $"GET {IRiskHub.Path} HTTP/1.1\r\nHost: {server.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n";
            await socket.SendAsync(Encoding.ASCII.GetBytes(request));

            // The response headers only, a byte at a time so nothing after them is consumed.
            var headers = new StringBuilder();
            var one = new byte[1];
            while (!headers.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
            {
                if (await socket.ReceiveAsync(one) == 0)
                {
                    throw new IOException("The server closed the stalled client's connection during the upgrade.");
                }

                headers.Append((char)one[0]);
            }

            if (!headers.ToString().StartsWith("HTTP/1.1 101", StringComparison.Ordinal))
            {
                throw new IOException("The hub refused the stalled client's upgrade: " + headers.ToString().Split('\r')[0]);
            }

            await socket.SendAsync(MaskedTextFrame("{\"protocol\":\"json\",\"version\":1}\u001e"));
            return new StalledHubClient(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Dispose() => _socket.Dispose();

    /// <summary>A client's frames must be masked (RFC 6455 5.3); this one is short enough for the 7-bit length.</summary>
    private static byte[] MaskedTextFrame(string text)
    {
        var payload = Encoding.UTF8.GetBytes(text);
        var mask = RandomNumberGenerator.GetBytes(4);
        var frame = new byte[2 + 4 + payload.Length];
        frame[0] = 0x81;
        frame[1] = (byte)(0x80 | payload.Length);
        mask.CopyTo(frame, 2);
        for (var i = 0; i < payload.Length; i++)
        {
            frame[6 + i] = (byte)(payload[i] ^ mask[i % 4]);
        }

        return frame;
    }
}
