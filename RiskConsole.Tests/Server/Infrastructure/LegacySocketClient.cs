using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace RiskConsole.Tests.Server.Infrastructure;

/// <summary>One frame of the legacy /ws protocol as received: its type, its payload and the raw text.</summary>
public sealed record LegacyFrame(string Type, JsonElement Payload, JsonElement Root, string Text)
{
    public override string ToString() => Text.Length > 300 ? Text[..300] + "…" : Text;
}

/// <summary>
/// A raw <see cref="ClientWebSocket"/> on /ws that receives whole text frames in the background, parses them,
/// and lets a test await the next frame of a type (or read every frame) with a timeout. Anything the server
/// sends that is not a JSON object with a string "type" faults the reader, so the next await fails with it.
/// </summary>
public sealed class LegacySocketClient : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    private readonly ClientWebSocket _socket;
    private readonly Channel<LegacyFrame> _frames = Channel.CreateUnbounded<LegacyFrame>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly TaskCompletionSource<WebSocketCloseStatus?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receiving;

    private LegacySocketClient(ClientWebSocket socket)
    {
        _socket = socket;
        _receiving = Task.Run(ReceiveLoopAsync);
    }

    public WebSocketState State => _socket.State;

    /// <summary>Completes with the server's close status when the server closes the socket.</summary>
    public Task<WebSocketCloseStatus?> Closed => _closed.Task;

    public string? CloseDescription => _socket.CloseStatusDescription;

    public static async Task<LegacySocketClient> ConnectAsync(Uri uri, Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = new ClientWebSocket();
        configure?.Invoke(socket.Options);
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        try
        {
            await socket.ConnectAsync(uri, timeout.Token);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new LegacySocketClient(socket);
    }

    public Task SendTextAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text);

    /// <summary>Sends {"type": <paramref name="type"/>, "payload": {}} like the seed's front end.</summary>
    public Task SendTypeAsync(string type) => SendTextAsync(JsonSerializer.Serialize(new { type, payload = new { } }));

    public async Task SendAsync(ReadOnlyMemory<byte> message, WebSocketMessageType messageType, int fragmentBytes = int.MaxValue)
    {
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        var offset = 0;
        do
        {
            var count = Math.Min(fragmentBytes, message.Length - offset);
            await _socket.SendAsync(message.Slice(offset, count), messageType, endOfMessage: offset + count == message.Length, timeout.Token);
            offset += count;
        }
        while (offset < message.Length);
    }

    /// <summary>The next frame, whatever its type.</summary>
    public async Task<LegacyFrame> NextFrameAsync(TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        using var cts = new CancellationTokenSource(limit);
        try
        {
            return await _frames.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            throw new TimeoutException($"No frame within {limit.TotalSeconds} s.");
        }
        catch (ChannelClosedException ex) when (ex.InnerException is null)
        {
            throw new InvalidOperationException($"The socket closed ({_socket.CloseStatus} {_socket.CloseStatusDescription}) before the next frame.", ex);
        }
    }

    /// <summary>The next frame of <paramref name="type"/> (that also satisfies <paramref name="match"/>); other frames are skipped.</summary>
    public async Task<LegacyFrame> NextAsync(string type, Func<LegacyFrame, bool>? match = null, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        using var cts = new CancellationTokenSource(limit);
        try
        {
            while (true)
            {
                var frame = await _frames.Reader.ReadAsync(cts.Token);
                if (frame.Type == type && (match is null || match(frame)))
                {
                    return frame;
                }
            }
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            throw new TimeoutException($"No matching {type} frame within {limit.TotalSeconds} s.");
        }
        catch (ChannelClosedException ex) when (ex.InnerException is null)
        {
            throw new InvalidOperationException($"The socket closed ({_socket.CloseStatus} {_socket.CloseStatusDescription}) before a matching {type} frame.", ex);
        }
    }

    /// <summary>Every frame from now until (and including) the first that satisfies <paramref name="last"/>.</summary>
    public async Task<IReadOnlyList<LegacyFrame>> ReadThroughAsync(Func<LegacyFrame, bool> last, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        using var cts = new CancellationTokenSource(limit);
        var frames = new List<LegacyFrame>();
        try
        {
            while (true)
            {
                var frame = await _frames.Reader.ReadAsync(cts.Token);
                frames.Add(frame);
                if (last(frame))
                {
                    return frames;
                }
            }
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            throw new TimeoutException($"The closing frame did not arrive within {limit.TotalSeconds} s; {frames.Count} frames read.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "test done", timeout.Token);
        }

        // The receive loop ends when the server answers the close; a server that never does is cut off.
        try
        {
            await _receiving.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
            await _stop.CancelAsync();
            await _receiving;
        }

        _stop.Dispose();
        _socket.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer.AsMemory(), _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    _closed.TrySetResult(_socket.CloseStatus);
                    _frames.Writer.TryComplete();
                    if (_socket.State == WebSocketState.CloseReceived)
                    {
                        await ReplyToCloseAsync();
                    }

                    return;
                }

                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }

                var text = Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
                message.SetLength(0);
                if (result.MessageType != WebSocketMessageType.Text)
                {
                    throw new InvalidDataException($"The server sent a {result.MessageType} frame; /ws only sends text.");
                }

                _frames.Writer.TryWrite(Parse(text));
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Disposed while the server still had the socket open: no more frames, nothing went wrong.
            _frames.Writer.TryComplete();
            _closed.TrySetResult(null);
        }
        catch (Exception ex)
        {
            // Handed to whoever awaits the next frame or the close, so the test fails with the cause.
            _frames.Writer.TryComplete(ex);
            _closed.TrySetException(ex);
        }
    }

    private async Task ReplyToCloseAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
        }
        catch (WebSocketException) when (_closed.Task.IsCompletedSuccessfully)
        {
            // A server that fails the connection (1007 for invalid UTF-8) sends its close and resets without
            // waiting for ours. Its close status is already recorded in Closed for the test to check.
        }
    }

    private static LegacyFrame Parse(string text)
    {
        using var document = JsonDocument.Parse(text);
        var root = document.RootElement.Clone();
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("type", out var type)
            || type.ValueKind != JsonValueKind.String
            || !root.TryGetProperty("payload", out var payload))
        {
            throw new InvalidDataException($"Not a legacy envelope {{type, payload}}: {text}");
        }

        return new LegacyFrame(type.GetString()!, payload, root, text);
    }
}
