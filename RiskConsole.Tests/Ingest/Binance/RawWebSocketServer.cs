using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace RiskConsole.Tests.Ingest.Binance;

/// <summary>WebSocket frame opcodes (RFC 6455 §5.2).</summary>
public enum RawOpcode : byte
{
    Continuation = 0x0,
    Text = 0x1,
    Binary = 0x2,
    Close = 0x8,
    Ping = 0x9,
    Pong = 0xA,
}

/// <summary>One frame as it was on the wire; <see cref="Payload"/> is already unmasked.</summary>
public sealed record RawFrame(RawOpcode Opcode, bool Fin, bool Masked, byte[] Payload);

/// <summary>
/// A bare RFC 6455 server on 127.0.0.1 over a <see cref="TcpListener"/>, for what Kestrel cannot do: send a ping frame
/// with a payload and read the client's pong, write frames byte by byte, or accept TCP and never answer the handshake.
/// One connection at a time, accepted with <see cref="AcceptAsync"/>.
/// </summary>
public sealed class RawWebSocketServer : IDisposable
{
    private const string HandshakeGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private readonly TcpListener _listener;

    private RawWebSocketServer(TcpListener listener) => _listener = listener;

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The value for Ingest:Binance:StreamUrl.</summary>
    public string Url => $"ws://127.0.0.1:{Port}";

    public static RawWebSocketServer Start()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new RawWebSocketServer(listener);
    }

    /// <summary>
    /// Accepts the next TCP connection and reads its handshake request; answers it with 101 Switching Protocols when
    /// <paramref name="answerHandshake"/> (else the client is left waiting, as a stuck server would leave it).
    /// </summary>
    public async Task<RawWebSocketConnection> AcceptAsync(bool answerHandshake = true, TimeSpan? timeout = null)
    {
        using var expiry = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(5));
        var client = await _listener.AcceptTcpClientAsync(expiry.Token);
        var connection = new RawWebSocketConnection(client);
        var request = await connection.ReadHandshakeAsync(expiry.Token);
        if (answerHandshake)
        {
            var key = request.Split("\r\n").Select(line => line.Split(':', 2)).First(parts => parts[0].Trim().Equals("Sec-WebSocket-Key", StringComparison.OrdinalIgnoreCase))[1].Trim();
            var accept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + HandshakeGuid)));
            await connection.WriteRawAsync(Encoding.ASCII.GetBytes(
                $"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n"));
        }

        return connection;
    }

    public void Dispose() => _listener.Stop();
}

/// <summary>One raw server-side WebSocket connection: write frames, read the client's (unmasked for you).</summary>
public sealed class RawWebSocketConnection : IDisposable
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;

    internal RawWebSocketConnection(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    /// <summary>The handshake request line's target, e.g. <c>/stream?streams=btcusdt@trade</c>.</summary>
    public string RequestTarget { get; private set; } = "";

    /// <summary>Writes one unmasked frame (servers never mask).</summary>
    public Task SendFrameAsync(RawOpcode opcode, byte[] payload, bool fin = true)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var header = new List<byte> { (byte)((fin ? 0x80 : 0) | (byte)opcode) };
        if (payload.Length < 126)
        {
            header.Add((byte)payload.Length);
        }
        else if (payload.Length <= ushort.MaxValue)
        {
            header.Add(126);
            header.Add((byte)(payload.Length >> 8));
            header.Add((byte)payload.Length);
        }
        else
        {
            header.Add(127);
            var length = new byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(length, (ulong)payload.Length);
            header.AddRange(length);
        }

        return WriteRawAsync([.. header, .. payload]);
    }

    public Task SendTextAsync(string text) => SendFrameAsync(RawOpcode.Text, Encoding.UTF8.GetBytes(text));

    public Task SendPingAsync(byte[] payload) => SendFrameAsync(RawOpcode.Ping, payload);

    /// <summary>Reads the client's next frame.</summary>
    public async Task<RawFrame> ReadFrameAsync(TimeSpan? timeout = null)
    {
        using var expiry = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(5));
        var head = await ReadExactlyAsync(2, expiry.Token);
        var fin = (head[0] & 0x80) != 0;
        var opcode = (RawOpcode)(head[0] & 0x0F);
        var masked = (head[1] & 0x80) != 0;
        long length = head[1] & 0x7F;
        if (length == 126)
        {
            length = BinaryPrimitives.ReadUInt16BigEndian(await ReadExactlyAsync(2, expiry.Token));
        }
        else if (length == 127)
        {
            length = (long)BinaryPrimitives.ReadUInt64BigEndian(await ReadExactlyAsync(8, expiry.Token));
        }

        var mask = masked ? await ReadExactlyAsync(4, expiry.Token) : [];
        var payload = await ReadExactlyAsync((int)length, expiry.Token);
        if (masked)
        {
            for (var i = 0; i < payload.Length; i++)
            {
                payload[i] ^= mask[i % 4];
            }
        }

        return new RawFrame(opcode, fin, masked, payload);
    }

    /// <summary>Reads frames until one with <paramref name="opcode"/> arrives (skipping, e.g., keep-alive pongs).</summary>
    public async Task<RawFrame> ReadFrameAsync(RawOpcode opcode, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(5));
        while (true)
        {
            var frame = await ReadFrameAsync(deadline - DateTime.UtcNow);
            if (frame.Opcode == opcode)
            {
                return frame;
            }
        }
    }

    public void Dispose() => _client.Dispose();

    internal async Task<string> ReadHandshakeAsync(CancellationToken cancellationToken)
    {
        var request = new List<byte>();
        var one = new byte[1];
        while (request.Count < 4 || !(request[^4] == '\r' && request[^3] == '\n' && request[^2] == '\r' && request[^1] == '\n'))
        {
            if (await _stream.ReadAsync(one, cancellationToken) == 0)
            {
                throw new EndOfStreamException("the client closed before finishing its handshake request");
            }

            request.Add(one[0]);
        }

        var text = Encoding.ASCII.GetString([.. request]);
        RequestTarget = text.Split(' ', 3)[1];
        return text;
    }

    internal async Task WriteRawAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    private async Task<byte[]> ReadExactlyAsync(int count, CancellationToken cancellationToken)
    {
        var bytes = new byte[count];
        await _stream.ReadExactlyAsync(bytes, cancellationToken);
        return bytes;
    }
}
