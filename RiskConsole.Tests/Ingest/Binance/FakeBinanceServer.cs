using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using RiskConsole.Tests.Server.Infrastructure;

namespace RiskConsole.Tests.Ingest.Binance;

/// <summary>
/// A local stand-in for Binance on 127.0.0.1 (Kestrel): the combined market stream at <c>/stream?streams=...</c> and the
/// REST price ticker at <c>/api/v3/ticker/price</c>, speaking the documented formats (see <see cref="BinanceFrames"/>).
/// Point the listener at it with <c>Ingest:Binance:StreamUrl = </c><see cref="StreamUrl"/> and
/// <c>Ingest:Binance:RestUrl = </c><see cref="RestUrl"/>.
/// <para>
/// It can be told to send given frames to one connection (<see cref="FakeBinanceStreamConnection"/>) or all
/// (<see cref="BroadcastAsync"/>), to stream trades by itself (<see cref="StartTrades"/>), to refuse the stream handshake
/// with a status and headers (<see cref="RefuseStreams"/>), to accept TCP and never answer the handshake
/// (<see cref="HoldStreamHandshakes"/>), to answer REST with given statuses (<see cref="EnqueueRestAnswer"/>), to go
/// silent (<see cref="GoSilent"/>), to close every connection with a close frame (<see cref="CloseAllAsync"/>), to die
/// (<see cref="StopAsync"/>: connections dropped without a close frame, nothing listening) and to come back on the same
/// port (<see cref="RestartAsync"/>). It cannot send a WebSocket ping (Kestrel has no API for it); see
/// <see cref="RawWebSocketServer"/> for that.
/// </para>
/// </summary>
public sealed class FakeBinanceServer : IAsyncDisposable
{
    /// <summary>The REST prices served when nothing else is configured: the symbols the listener follows by default.</summary>
    public static readonly IReadOnlyDictionary<string, string> DefaultPrices = new Dictionary<string, string>
    {
        ["BTCUSDT"] = "84231.57000000",
        ["ETHUSDT"] = "3120.45000000",
        ["SOLUSDT"] = "141.23000000",
    };

    private readonly Lock _lock = new();
    private readonly List<FakeBinanceStreamConnection> _connections = [];
    private readonly List<string> _restQueries = [];
    private readonly ConcurrentQueue<RestAnswer> _restAnswers = new();
    private readonly ConcurrentDictionary<string, string> _prices = new(DefaultPrices);
    private readonly Signal _changed = new();
    private readonly ConcurrentDictionary<HttpContext, byte> _held = new();
    private WebApplication? _app;
    private (int Status, (string Name, string Value)[] Headers, string Body)? _refusal;
    private bool _holdHandshakes;
    private volatile bool _silent;
    private int _handshakeAttempts;
    private int _order;
    private int _eventCounter;
    private CancellationTokenSource? _trades;

    private FakeBinanceServer()
    {
    }

    /// <summary>The port it listens on; the same after <see cref="RestartAsync"/>.</summary>
    public int Port { get; private set; }

    /// <summary>The value for Ingest:Binance:StreamUrl: <c>ws://127.0.0.1:port</c>.</summary>
    public string StreamUrl => $"ws://127.0.0.1:{Port}";

    /// <summary>The value for Ingest:Binance:RestUrl: <c>http://127.0.0.1:port</c>.</summary>
    public string RestUrl => $"http://127.0.0.1:{Port}";

    /// <summary>False between <see cref="StopAsync"/> and <see cref="RestartAsync"/>.</summary>
    public bool IsRunning => _app is not null;

    /// <summary>Every stream connection accepted since start (restarts included), in order; numbered from 1.</summary>
    public IReadOnlyList<FakeBinanceStreamConnection> Connections
    {
        get
        {
            lock (_lock)
            {
                return [.. _connections];
            }
        }
    }

    /// <summary>The stream connections still open.</summary>
    public IReadOnlyList<FakeBinanceStreamConnection> OpenConnections => [.. Connections.Where(c => c.IsOpen)];

    /// <summary>How many stream handshakes were asked for (accepted, refused or held).</summary>
    public int HandshakeAttempts => Volatile.Read(ref _handshakeAttempts);

    /// <summary>The query string of every REST ticker request, in order, URL-decoded (e.g. <c>?symbols=["BTCUSDT","ETHUSDT"]</c>).</summary>
    public IReadOnlyList<string> RestQueries
    {
        get
        {
            lock (_lock)
            {
                return [.. _restQueries];
            }
        }
    }

    /// <summary>Starts it on a free port of 127.0.0.1.</summary>
    public static async Task<FakeBinanceServer> StartAsync()
    {
        var server = new FakeBinanceServer();
        var (app, baseUrl) = await LoopbackWebApp.StartAsync(server.Map);
        server._app = app;
        server.Port = new Uri(baseUrl).Port;
        return server;
    }

    /// <summary>Sets the REST price of <paramref name="symbol"/> (a Binance decimal string such as "84231.57000000").</summary>
    public void SetPrice(string symbol, string price) => _prices[symbol] = price;

    /// <summary>Refuses every stream handshake from now on with <paramref name="status"/>, the given headers and body (e.g. 451, or 429 with Retry-After).</summary>
    public void RefuseStreams(int status, string body = "", params (string Name, string Value)[] headers)
    {
        lock (_lock)
        {
            _refusal = (status, headers, body);
        }
    }

    /// <summary>Accepts stream handshakes again (undoes <see cref="RefuseStreams"/> and <see cref="HoldStreamHandshakes"/>).</summary>
    public void AcceptStreams()
    {
        lock (_lock)
        {
            _refusal = null;
            _holdHandshakes = false;
        }
    }

    /// <summary>Accepts the TCP connection and reads the handshake request, but never answers it (until the client gives up).</summary>
    public void HoldStreamHandshakes()
    {
        lock (_lock)
        {
            _holdHandshakes = true;
        }
    }

    /// <summary>The next REST ticker request gets this answer instead of the prices (queued: one answer per request).</summary>
    public void EnqueueRestAnswer(int status, string body, params (string Name, string Value)[] headers) =>
        _restAnswers.Enqueue(new RestAnswer(status, body, headers));

    /// <summary>Sends <paramref name="frame"/> as a text message on every open stream connection.</summary>
    public async Task BroadcastAsync(string frame)
    {
        foreach (var connection in OpenConnections)
        {
            await connection.SendAsync(frame);
        }
    }

    /// <summary>
    /// Streams a trade of each of <paramref name="symbols"/> (all of <see cref="DefaultPrices"/> when none are given)
    /// every <paramref name="interval"/> of real time to every open connection — rising trade ids, trade time = now on
    /// <paramref name="clock"/> (the system clock by default), prices drifting within 0.1 % of <see cref="DefaultPrices"/>
    /// (or of 100) — until <see cref="GoSilent"/>, <see cref="StopAsync"/> or another call.
    /// </summary>
    public void StartTrades(TimeSpan interval, params string[] symbols) => StartTrades(interval, TimeProvider.System, symbols);

    /// <inheritdoc cref="StartTrades(TimeSpan, string[])"/>
    public void StartTrades(TimeSpan interval, TimeProvider clock, params string[] symbols)
    {
        ArgumentNullException.ThrowIfNull(clock);
        StopTrades();
        var stop = new CancellationTokenSource();
        _trades = stop;
        var traded = symbols.Length > 0 ? symbols : [.. DefaultPrices.Keys];
        _ = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(interval);
            try
            {
                while (await timer.WaitForNextTickAsync(stop.Token))
                {
                    foreach (var symbol in traded)
                    {
                        var id = Interlocked.Increment(ref _eventCounter);
                        var basePrice = DefaultPrices.TryGetValue(symbol, out var p) ? double.Parse(p, System.Globalization.CultureInfo.InvariantCulture) : 100;
                        var price = BinanceFrames.Price(basePrice * (1 + (0.001 * Math.Sin(id))));
                        await BroadcastAsync(BinanceFrames.Trade(symbol, price, id, BinanceFrames.Ms(clock.GetUtcNow())));
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // Stopped.
            }
            finally
            {
                stop.Dispose();
            }
        });
    }

    /// <summary>
    /// Stops sending anything: trades stop, open sockets stay open without a byte, REST requests hang until the client
    /// gives up. <see cref="Resume"/> undoes it (trades must be started again).
    /// </summary>
    public void GoSilent()
    {
        StopTrades();
        _silent = true;
    }

    /// <summary>REST answers again after <see cref="GoSilent"/>.</summary>
    public void Resume() => _silent = false;

    /// <summary>Closes every open stream connection with a close frame (e.g. 1001 going away).</summary>
    public async Task CloseAllAsync(WebSocketCloseStatus status = WebSocketCloseStatus.EndpointUnavailable, string description = "going away")
    {
        foreach (var connection in OpenConnections)
        {
            await connection.CloseAsync(status, description);
        }
    }

    /// <summary>Dies: every connection is dropped without a close frame and nothing listens on the port any more.</summary>
    public async Task StopAsync()
    {
        StopTrades();
        foreach (var connection in OpenConnections)
        {
            connection.Abort();
        }

        // Held handshakes and silent REST requests are dropped too, so stopping does not wait for them.
        foreach (var held in _held.Keys)
        {
            try
            {
                held.Abort();
            }
            catch (ObjectDisposedException)
            {
                // It ended on its own meanwhile.
            }
        }

        if (_app is { } app)
        {
            _app = null;
            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await app.StopAsync(stopping.Token);
            await app.DisposeAsync();
        }
    }

    /// <summary>Listens again on the same port after <see cref="StopAsync"/>, with the same settings (refusals, prices, queued answers).</summary>
    public async Task RestartAsync()
    {
        if (_app is not null)
        {
            throw new InvalidOperationException("the fake Binance server is running; stop it first");
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{Port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        Map(app);
        await app.StartAsync();
        _app = app;
    }

    /// <summary>Waits until stream connection number <paramref name="number"/> (from 1) has been accepted.</summary>
    public async Task<FakeBinanceStreamConnection> WaitForConnectionAsync(int number, TimeSpan? timeout = null)
    {
        await WaitUntilAsync(() => Connections.Count >= number, $"stream connection {number}", timeout);
        return Connections[number - 1];
    }

    /// <summary>Waits until <paramref name="count"/> stream handshakes have been asked for.</summary>
    public Task WaitForHandshakeAttemptsAsync(int count, TimeSpan? timeout = null) =>
        WaitUntilAsync(() => HandshakeAttempts >= count, $"{count} stream handshake attempts", timeout);

    /// <summary>Waits until <paramref name="count"/> REST ticker requests have arrived.</summary>
    public Task WaitForRestRequestsAsync(int count, TimeSpan? timeout = null) =>
        WaitUntilAsync(() => RestQueries.Count >= count, $"{count} REST requests", timeout);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
    }

    internal async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(5);
        using var expiry = new CancellationTokenSource(limit);
        while (!condition())
        {
            try
            {
                await _changed.NextAsync(expiry.Token);
            }
            catch (OperationCanceledException)
            {
                if (condition())
                {
                    return;
                }

                throw new TimeoutException($"the fake Binance server waited {limit.TotalSeconds} s for {what}");
            }
        }
    }

    internal void NotifyChanged() => _changed.Pulse();

    /// <summary>A clock shared by this server's connections, ordering their opens and ends.</summary>
    internal int NextOrder() => Interlocked.Increment(ref _order);

    private void StopTrades()
    {
        var trades = Interlocked.Exchange(ref _trades, null);
        if (trades is not null)
        {
            try
            {
                trades.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The loop has already ended.
            }
        }
    }

    private void Map(WebApplication app)
    {
        app.UseWebSockets();
        app.Map("/stream", HandleStreamAsync);
        app.MapGet("/api/v3/ticker/price", HandleTickerPriceAsync);
    }

    private async Task HandleStreamAsync(HttpContext http)
    {
        Interlocked.Increment(ref _handshakeAttempts);
        NotifyChanged();
        (int Status, (string Name, string Value)[] Headers, string Body)? refusal;
        bool hold;
        lock (_lock)
        {
            refusal = _refusal;
            hold = _holdHandshakes;
        }

        if (hold)
        {
            await HoldAsync(http);
            return;
        }

        if (refusal is { } refused)
        {
            await AnswerAsync(http, refused.Status, refused.Body, refused.Headers);
            return;
        }

        if (!http.WebSockets.IsWebSocketRequest)
        {
            await AnswerAsync(http, 400, BinanceFrames.RestError(-1, "WebSocket upgrade expected"), []);
            return;
        }

        var socket = await http.WebSockets.AcceptWebSocketAsync();
        FakeBinanceStreamConnection connection;
        lock (_lock)
        {
            connection = new FakeBinanceStreamConnection(this, http, socket, _connections.Count + 1);
            _connections.Add(connection);
        }

        NotifyChanged();
        await connection.RunAsync();
        NotifyChanged();
    }

    private async Task HandleTickerPriceAsync(HttpContext http)
    {
        lock (_lock)
        {
            _restQueries.Add(Uri.UnescapeDataString(http.Request.QueryString.Value ?? ""));
        }

        NotifyChanged();
        if (_silent)
        {
            await HoldAsync(http);
            return;
        }

        if (_restAnswers.TryDequeue(out var answer))
        {
            await AnswerAsync(http, answer.Status, answer.Body, answer.Headers);
            return;
        }

        // Binance's two forms: symbols=["A","B"] gives an array, symbol=A one object; an unknown symbol is a 400.
        string[] asked;
        var single = http.Request.Query["symbol"].ToString();
        var several = http.Request.Query["symbols"].ToString();
        try
        {
            asked = single.Length > 0 ? [single] : several.Length > 0 ? JsonSerializer.Deserialize<string[]>(several) ?? [] : [.. _prices.Keys.Order()];
        }
        catch (JsonException)
        {
            await AnswerAsync(http, 400, BinanceFrames.RestError(-1100, "Illegal characters found in parameter 'symbols'."), []);
            return;
        }

        if (asked.FirstOrDefault(s => !_prices.ContainsKey(s)) is not null)
        {
            await AnswerAsync(http, 400, BinanceFrames.RestError(-1121, "Invalid symbol."), []);
            return;
        }

        var body = single.Length > 0
            ? BinanceFrames.TickerPrice(single, _prices[single])
            : BinanceFrames.TickerPrices([.. asked.Select(s => (s, _prices[s]))]);
        await AnswerAsync(http, 200, body, []);
    }

    private static async Task AnswerAsync(HttpContext http, int status, string body, (string Name, string Value)[] headers)
    {
        http.Response.StatusCode = status;
        foreach (var (name, value) in headers)
        {
            http.Response.Headers[name] = value;
        }

        if (body.Length > 0)
        {
            http.Response.ContentType = "application/json;charset=UTF-8";
            await http.Response.WriteAsync(body);
        }
    }

    /// <summary>Answers nothing until the client gives up or the server stops.</summary>
    private async Task HoldAsync(HttpContext http)
    {
        _held[http] = 0;
        try
        {
            await Task.Delay(Timeout.Infinite, http.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The client gave up, or the server is stopping.
        }
        finally
        {
            _held.TryRemove(http, out _);
        }
    }

    private sealed record RestAnswer(int Status, string Body, (string Name, string Value)[] Headers);

    /// <summary>Wakes every waiter whenever something changes (a connection, a request, a close).</summary>
    private sealed class Signal
    {
        private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task NextAsync(CancellationToken cancellationToken) => Volatile.Read(ref _next).Task.WaitAsync(cancellationToken);

        public void Pulse() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }
}

/// <summary>
/// One stream connection the fake Binance server accepted: what the client asked for, and the means to send it frames,
/// close it, or drop it.
/// </summary>
public sealed class FakeBinanceStreamConnection
{
    private readonly FakeBinanceServer _server;
    private readonly HttpContext _http;
    private readonly WebSocket _socket;
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly TaskCompletionSource<WebSocketCloseStatus?> _clientClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource? _closeAnswer;

    internal FakeBinanceStreamConnection(FakeBinanceServer server, HttpContext http, WebSocket socket, int number)
    {
        _server = server;
        _http = http;
        _socket = socket;
        Number = number;
        Query = Uri.UnescapeDataString(http.Request.QueryString.Value ?? "");
        Streams = http.Request.Query["streams"].ToString().Split('/', StringSplitOptions.RemoveEmptyEntries);
        OpenedOrder = server.NextOrder();
    }

    /// <summary>1 for the first connection the server accepted, and so on.</summary>
    public int Number { get; }

    /// <summary>The request's query string, URL-decoded, e.g. <c>?streams=btcusdt@trade/ethusdt@trade</c>.</summary>
    public string Query { get; }

    /// <summary>The streams asked for, in order.</summary>
    public IReadOnlyList<string> Streams { get; }

    /// <summary>A number from a clock shared by all connections, taken when this one opened: orders opens and ends.</summary>
    public int OpenedOrder { get; }

    /// <summary>Taken from the same clock when this connection ended (0 while open).</summary>
    public int EndedOrder { get; private set; }

    /// <summary>Taken from the same clock when the client's close frame arrived (0 until then).</summary>
    public int ClientClosedOrder { get; private set; }

    public bool IsOpen => !_ended.Task.IsCompleted;

    /// <summary>
    /// Completes when the client sends its close frame, with the close status it sent; with null when the connection
    /// ended without one (the client dropped it, or the server was told to).
    /// </summary>
    public Task<WebSocketCloseStatus?> ClientClosed => _clientClosed.Task;

    /// <summary>Completes when the connection has ended, whichever side ended it.</summary>
    public Task Ended => _ended.Task;

    /// <summary>Sends a text message.</summary>
    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true);

    /// <summary>Sends a binary message.</summary>
    public Task SendBinaryAsync(byte[] bytes) => SendAsync(bytes, WebSocketMessageType.Binary, endOfMessage: true);

    /// <summary>Sends part of a text message: the message goes on until a part is sent with <paramref name="endOfMessage"/>.</summary>
    public Task SendFragmentAsync(byte[] bytes, bool endOfMessage) => SendAsync(bytes, WebSocketMessageType.Text, endOfMessage);

    /// <summary>Sends a close frame and waits (up to 2 s) for the client's.</summary>
    public async Task CloseAsync(WebSocketCloseStatus status, string description)
    {
        await _sending.WaitAsync();
        try
        {
            await _socket.CloseOutputAsync(status, description, CancellationToken.None);
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
            // Already gone.
        }
        finally
        {
            _sending.Release();
        }

        await Task.WhenAny(_ended.Task, Task.Delay(TimeSpan.FromSeconds(2)));
    }

    /// <summary>
    /// From now on, a close frame from the client is not answered until <see cref="ReleaseCloseAnswer"/>: the
    /// connection stays half-closed, and frames sent meanwhile still reach the client (as Binance's in flight would).
    /// </summary>
    public void HoldCloseAnswer() => _closeAnswer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Answers the client's close frame (held by <see cref="HoldCloseAnswer"/>), ending the connection.</summary>
    public void ReleaseCloseAnswer() => _closeAnswer?.TrySetResult();

    /// <summary>Drops the connection without a close frame, as a crashing server or a cut cable would.</summary>
    public void Abort()
    {
        try
        {
            _http.Abort();
            _socket.Abort();
        }
        catch (ObjectDisposedException)
        {
            // It ended on its own meanwhile.
        }
    }

    internal async Task RunAsync()
    {
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var received = await _socket.ReceiveAsync(buffer, _http.RequestAborted);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    ClientClosedOrder = _server.NextOrder();
                    _clientClosed.TrySetResult(received.CloseStatus);
                    _server.NotifyChanged();
                    if (_closeAnswer is { } held)
                    {
                        await held.Task.WaitAsync(_http.RequestAborted);
                    }

                    if (_socket.State == WebSocketState.CloseReceived)
                    {
                        await _sending.WaitAsync();
                        try
                        {
                            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                        }
                        finally
                        {
                            _sending.Release();
                        }
                    }

                    return;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            // Dropped by either side.
        }
        finally
        {
            _clientClosed.TrySetResult(null);
            EndedOrder = _server.NextOrder();
            _ended.TrySetResult();
            _server.NotifyChanged();
        }
    }

    private async Task SendAsync(byte[] bytes, WebSocketMessageType type, bool endOfMessage)
    {
        await _sending.WaitAsync();
        try
        {
            await _socket.SendAsync(bytes, type, endOfMessage, CancellationToken.None);
        }
        finally
        {
            _sending.Release();
        }
    }
}
