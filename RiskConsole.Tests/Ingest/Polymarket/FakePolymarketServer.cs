using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using RiskConsole.Tests.Server.Infrastructure;

namespace RiskConsole.Tests.Ingest.Polymarket;

/// <summary>
/// A local stand-in for Polymarket on 127.0.0.1, one Kestrel app serving both upstreams the listener uses: Gamma's
/// <c>GET /markets</c> (answering <see cref="MarketsJson"/>, gamma_markets.json by default, or queued answers) and the
/// CLOB market channel at <c>/ws/market</c>, which speaks the documented protocol: it records the frames the client
/// sends, answers the text <c>PING</c> with <c>PONG</c>, and sends whatever a test tells it to. It can refuse the
/// handshake with a status and headers, hang it, close or drop connections, go silent, die as a whole and come back on
/// the same port, so end-to-end tests can take a live source down and bring it back.
/// Point the listener at it with <c>Ingest:Polymarket:GammaUrl = </c><see cref="GammaUrl"/> and
/// <c>Ingest:Polymarket:ClobWebSocketUrl = </c><see cref="ClobWebSocketUrl"/>.
/// </summary>
public sealed class FakePolymarketServer : IAsyncDisposable
{
    /// <summary>Gamma's market list.</summary>
    public const string MarketsPath = "/markets";

    /// <summary>The CLOB market channel.</summary>
    public const string MarketChannelPath = "/ws/market";

    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(10);

    private readonly ConcurrentQueue<GammaAnswer> _gammaAnswers = new();
    private readonly ConcurrentDictionary<HttpContext, byte> _openRequests = new();
    private readonly ChangeSignal _changed = new();
    private readonly Lock _lock = new();
    private readonly List<GammaRequest> _gammaRequests = [];
    private readonly List<FakeClobConnection> _connections = [];
    private WebApplication? _app;
    private volatile Func<HttpContext, Task>? _handshake;
    private int _handshakes;

    private FakePolymarketServer()
    {
    }

    /// <summary>The port it listens on; it stays the same across <see cref="DieAsync"/> and <see cref="RestartAsync"/>.</summary>
    public int Port { get; private set; }

    /// <summary>http://127.0.0.1:port</summary>
    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <summary>The value for Ingest:Polymarket:GammaUrl.</summary>
    public string GammaUrl => BaseUrl;

    /// <summary>The value for Ingest:Polymarket:ClobWebSocketUrl.</summary>
    public string ClobWebSocketUrl => $"ws://127.0.0.1:{Port}{MarketChannelPath}";

    /// <summary>What <c>GET /markets</c> answers when no answer is queued: gamma_markets.json unless set.</summary>
    public string MarketsJson { get; set; } = PolymarketFixtures.Text("gamma_markets.json");

    /// <summary>The clock Gamma requests are stamped with; set it to a test's fake clock to see when (in fake time) the listener asked.</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>Frames each new connection sends right after the client's subscribe frame arrives (a real channel sends the books).</summary>
    public IReadOnlyList<string> FramesAfterSubscribe { get; set; } = [];

    /// <summary>Whether new connections answer PING with PONG (each connection can change its own later).</summary>
    public bool AnswerPings { get; set; } = true;

    /// <summary>Every Gamma request so far, in order.</summary>
    public IReadOnlyList<GammaRequest> GammaRequests
    {
        get
        {
            lock (_lock)
            {
                return [.. _gammaRequests];
            }
        }
    }

    /// <summary>Every market-channel connection accepted so far, in order.</summary>
    public IReadOnlyList<FakeClobConnection> Connections
    {
        get
        {
            lock (_lock)
            {
                return [.. _connections];
            }
        }
    }

    /// <summary>How many WebSocket handshakes reached the server (accepted, refused or hung).</summary>
    public int Handshakes => Volatile.Read(ref _handshakes);

    public static async Task<FakePolymarketServer> StartAsync()
    {
        var server = new FakePolymarketServer();
        var (app, baseUrl) = await LoopbackWebApp.StartAsync(server.Map);
        server._app = app;
        server.Port = new Uri(baseUrl).Port;
        return server;
    }

    /// <summary>Queues the answer to the next Gamma request that has none queued before it; later requests get <see cref="MarketsJson"/>.</summary>
    public void EnqueueGammaAnswer(GammaAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        _gammaAnswers.Enqueue(answer);
    }

    /// <summary>Accept WebSocket handshakes (the default).</summary>
    public void AcceptStream() => _handshake = null;

    /// <summary>Answer every WebSocket handshake with <paramref name="status"/> and the given headers, e.g. 451, or 429 with Retry-After.</summary>
    public void RefuseStream(int status, params (string Name, string Value)[] headers) => _handshake = http =>
    {
        http.Response.StatusCode = status;
        foreach (var (name, value) in headers)
        {
            http.Response.Headers[name] = value;
        }

        return Task.CompletedTask;
    };

    /// <summary>Take the TCP connection and the upgrade request, and never answer it.</summary>
    public void HangStreamHandshake() => _handshake = http => WaitForAbortAsync(http);

    public Task WaitForGammaRequestsAsync(int count, TimeSpan? timeout = null) =>
        _changed.WaitUntilAsync(() => GammaRequests.Count >= count, $"{count} Gamma requests (saw {GammaRequests.Count})", timeout ?? DefaultWait);

    public Task WaitForHandshakesAsync(int count, TimeSpan? timeout = null) =>
        _changed.WaitUntilAsync(() => Handshakes >= count, $"{count} WebSocket handshakes (saw {Handshakes})", timeout ?? DefaultWait);

    /// <summary>The <paramref name="index"/>th accepted connection (0 = the first), once its subscribe frame has arrived.</summary>
    public async Task<FakeClobConnection> ConnectionAsync(int index, TimeSpan? timeout = null)
    {
        await _changed.WaitUntilAsync(() => Connections.Count > index, $"connection #{index} (saw {Connections.Count})", timeout ?? DefaultWait);
        var connection = Connections[index];
        await connection.SubscribeFrame.WaitAsync(timeout ?? DefaultWait);
        return connection;
    }

    /// <summary>Sends a text frame on every open connection.</summary>
    public Task BroadcastAsync(string frame) => Task.WhenAll(Connections.Where(c => !c.Ended.IsCompleted).Select(c => c.SendTextAsync(frame)));

    /// <summary>Dies: drops every open connection without a close frame and stops listening, as a crashed upstream does.</summary>
    public async Task DieAsync()
    {
        foreach (var request in _openRequests.Keys)
        {
            Abort(request);
        }

        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>Listens again on the same port after <see cref="DieAsync"/>, with the same settings.</summary>
    public async Task RestartAsync()
    {
        if (_app is not null)
        {
            throw new InvalidOperationException("The server is running; DieAsync first.");
        }

        // LoopbackWebApp takes a free port; a restart needs the old one, so it builds the same app on it here.
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(BaseUrl);
        var app = builder.Build();
        Map(app);
        await app.StartAsync();
        _app = app;
    }

    public async ValueTask DisposeAsync() => await DieAsync();

    private void Map(WebApplication app)
    {
        app.UseWebSockets();
        app.MapGet(MarketsPath, async http =>
        {
            lock (_lock)
            {
                _gammaRequests.Add(new GammaRequest(http.Request.Path + http.Request.QueryString, Clock.GetUtcNow()));
            }

            _changed.Pulse();
            var answer = _gammaAnswers.TryDequeue(out var queued) ? queued : GammaAnswer.Markets(MarketsJson);
            await Tracked(http, () => answer.WriteAsync(http));
        });
        app.Map(MarketChannelPath, http => Tracked(http, () => HandshakeAsync(http)));
    }

    private async Task HandshakeAsync(HttpContext http)
    {
        Interlocked.Increment(ref _handshakes);
        _changed.Pulse();
        if (_handshake is { } refuse)
        {
            await refuse(http);
            return;
        }

        if (!http.WebSockets.IsWebSocketRequest)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        var connection = new FakeClobConnection(socket, http, AnswerPings, FramesAfterSubscribe);
        lock (_lock)
        {
            _connections.Add(connection);
        }

        _changed.Pulse();
        await connection.RunAsync();
    }

    private async Task Tracked(HttpContext http, Func<Task> handle)
    {
        _openRequests.TryAdd(http, 0);
        try
        {
            await handle();
        }
        finally
        {
            _openRequests.TryRemove(http, out _);
        }
    }

    /// <summary>Drops a request's connection; one that finished meanwhile is already gone.</summary>
    internal static void Abort(HttpContext http)
    {
        try
        {
            http.Abort();
        }
        catch (ObjectDisposedException)
        {
            // The request ended between being listed and being aborted.
        }
    }

    internal static async Task WaitForAbortAsync(HttpContext http)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, http.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The client gave up or the server died.
        }
    }
}

/// <summary>One Gamma request as the fake saw it: path and query, and the time on <see cref="FakePolymarketServer.Clock"/>.</summary>
public sealed record GammaRequest(string PathAndQuery, DateTimeOffset At);

/// <summary>How the fake answers one Gamma request.</summary>
public sealed class GammaAnswer
{
    private readonly Func<HttpContext, Task> _write;

    private GammaAnswer(Func<HttpContext, Task> write) => _write = write;

    /// <summary>200 with this JSON body (a list of markets, or anything else a test wants Gamma to say).</summary>
    public static GammaAnswer Markets(string json) => Status(StatusCodes.Status200OK, json);

    /// <summary>This status with these headers (e.g. 429 with ("Retry-After", "30")) and an optional body.</summary>
    public static GammaAnswer Status(int status, string? body = null, params (string Name, string Value)[] headers) => new(async http =>
    {
        http.Response.StatusCode = status;
        foreach (var (name, value) in headers)
        {
            http.Response.Headers[name] = value;
        }

        if (body is not null)
        {
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync(body);
        }
    });

    /// <summary>Never answers until the client gives up.</summary>
    public static GammaAnswer Hang() => new(FakePolymarketServer.WaitForAbortAsync);

    internal Task WriteAsync(HttpContext http) => _write(http);
}

/// <summary>
/// One accepted market-channel connection: what the client sent, and the levers a test pulls on it (send text, binary
/// or fragments, close with a code, drop without a close frame, stop answering PING).
/// </summary>
public sealed class FakeClobConnection
{
    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(10);

    private readonly WebSocket _socket;
    private readonly HttpContext _http;
    private readonly IReadOnlyList<string> _framesAfterSubscribe;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ChangeSignal _changed = new();
    private readonly Lock _lock = new();
    private readonly List<string> _received = [];
    private readonly TaskCompletionSource<string> _subscribe = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _pings;

    internal FakeClobConnection(WebSocket socket, HttpContext http, bool answerPings, IReadOnlyList<string> framesAfterSubscribe)
    {
        _socket = socket;
        _http = http;
        AnswerPings = answerPings;
        _framesAfterSubscribe = framesAfterSubscribe;
    }

    /// <summary>Whether PING is answered with PONG; false makes the connection silent (it sends nothing unless told to).</summary>
    public bool AnswerPings { get; set; }

    /// <summary>The first frame the client sent: its subscribe frame.</summary>
    public Task<string> SubscribeFrame => _subscribe.Task;

    /// <summary>Completes when the connection has ended, whoever ended it.</summary>
    public Task Ended => _ended.Task;

    /// <summary>How many PING texts the client has sent.</summary>
    public int Pings => Volatile.Read(ref _pings);

    /// <summary>Every text frame the client sent, PINGs included, in order.</summary>
    public IReadOnlyList<string> Received
    {
        get
        {
            lock (_lock)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>Waits for the first frame from the client (already received or still to come) that <paramref name="match"/> accepts.</summary>
    public async Task<string> WaitForFrameAsync(Func<string, bool> match, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(match);
        string? found = null;
        await _changed.WaitUntilAsync(() => (found = Received.FirstOrDefault(match)) is not null, "a matching frame from the client", timeout ?? DefaultWait);
        return found!;
    }

    public Task WaitForPingsAsync(int count, TimeSpan? timeout = null) =>
        _changed.WaitUntilAsync(() => Pings >= count, $"{count} PINGs (saw {Pings})", timeout ?? DefaultWait);

    public Task SendTextAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true);

    public Task SendBinaryAsync(ReadOnlyMemory<byte> bytes) => SendAsync(bytes, WebSocketMessageType.Binary, endOfMessage: true);

    /// <summary>Sends part of a text message; the message goes on until a part with <paramref name="endOfMessage"/>.</summary>
    public Task SendFragmentAsync(string text, bool endOfMessage) => SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage);

    /// <summary>Closes the connection with a close frame carrying <paramref name="status"/> and <paramref name="description"/>.</summary>
    public async Task CloseAsync(WebSocketCloseStatus status, string description)
    {
        await _sendLock.WaitAsync();
        try
        {
            await _socket.CloseOutputAsync(status, description, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Stops answering PING: from now on the connection sends nothing unless a test tells it to.</summary>
    public void GoSilent() => AnswerPings = false;

    /// <summary>Drops the TCP connection without a close frame.</summary>
    public void Die() => FakePolymarketServer.Abort(_http);

    internal async Task RunAsync()
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var count = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (count == buffer.Length)
                    {
                        Array.Resize(ref buffer, buffer.Length * 2);
                    }

                    result = await _socket.ReceiveAsync(buffer.AsMemory(count), _http.RequestAborted);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        if (_socket.State == WebSocketState.CloseReceived)
                        {
                            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                        }

                        return;
                    }

                    count += result.Count;
                }
                while (!result.EndOfMessage);

                await OnTextAsync(Encoding.UTF8.GetString(buffer, 0, count));
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The client went away, or the test dropped the connection.
        }
        finally
        {
            _subscribe.TrySetCanceled();
            _ended.TrySetResult();
            _changed.Pulse();
        }
    }

    private async Task OnTextAsync(string text)
    {
        lock (_lock)
        {
            _received.Add(text);
        }

        if (text == "PING")
        {
            Interlocked.Increment(ref _pings);
            if (AnswerPings)
            {
                await SendTextAsync("PONG");
            }
        }
        else if (_subscribe.TrySetResult(text))
        {
            foreach (var frame in _framesAfterSubscribe)
            {
                await SendTextAsync(frame);
            }
        }

        _changed.Pulse();
    }

    private async Task SendAsync(ReadOnlyMemory<byte> bytes, WebSocketMessageType type, bool endOfMessage)
    {
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(bytes, type, endOfMessage, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
    }
}

/// <summary>A pulse any number of waiters can await, for "wait until this condition holds" without polling.</summary>
internal sealed class ChangeSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Pulse() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    public async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            // Taken before the check, so a pulse between the check and the wait is not missed.
            var next = Volatile.Read(ref _next).Task;
            if (condition())
            {
                return;
            }

            try
            {
                await next.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Waited {timeout} for {what}.");
            }
        }
    }
}
