using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RiskConsole.Core.Contracts;
using RiskConsole.Core.Signals;
using RiskConsole.Ingest.Live;

namespace RiskConsole.Ingest.Binance;

/// <summary>
/// The Binance listener: one call of <see cref="RunConnectionAsync"/> is one connection to the combined market stream
/// <c>{StreamUrl}/stream?streams=btcusdt@trade/...</c>, publishing a <see cref="PriceTick"/> per trade, 24 h ticker or
/// kline event of the configured symbols. Inside that one call it also does what Binance's protocol asks for:
/// <list type="bullet">
/// <item>pings are answered by <see cref="ClientWebSocket"/> itself (with the ping's payload) while a receive is pending,
/// and one always is;</item>
/// <item><c>serverShutdown</c> and the 24 h connection limit are a planned reconnect: the next socket is opened first,
/// the old one is closed and drained, then the new one's events are published with those already delivered dropped,
/// so there is no gap and no duplicate;</item>
/// <item>a handshake refused with HTTP 451 or 403 (Binance's answer to some regions) turns the call into REST polling of
/// <c>{RestUrl}/api/v3/ticker/price</c>, live data all the same, which ends after a while so the stream is tried again;
/// a 429 is waited out when the wait fits in the silence timeout, a 418 (IP ban) ends the call with
/// <see cref="UpstreamThrottledException"/> so the next attempt waits as long as Binance says.</item>
/// </list>
/// Retrying, the silence timeout, fallback to mock data and the status are the caller's (LiveSource's).
/// </summary>
public sealed partial class BinanceFeed : ILiveFeed
{
    private const string HeldOverflow = "event dropped: too many arrived while the previous connection was closing";

    private readonly BinanceOptions _options;
    private readonly TimeSpan _connectTimeout;
    private readonly Func<BinanceRestClient> _restClients;
    private readonly TimeProvider _time;
    private readonly ILogger<BinanceFeed> _logger;
    private readonly BinanceStreamParser _parser;
    private readonly BinanceTickerPriceParser _restParser;
    private readonly string _tooLarge;

    /// <param name="options">The Binance settings.</param>
    /// <param name="ingest">The settings every listener shares; the connect timeout is taken from it.</param>
    /// <param name="restClients">Makes the REST client for one polling session (from IHttpClientFactory, see AddBinanceFeed).</param>
    /// <param name="time">Every wait, timeout and timestamp of a REST price comes from here.</param>
    /// <param name="logger">Planned reconnects, the switch to REST and rate limits are logged.</param>
    public BinanceFeed(IOptions<BinanceOptions> options, IOptions<IngestOptions> ingest, Func<BinanceRestClient> restClients, TimeProvider time, ILogger<BinanceFeed> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(ingest);
        _options = options.Value;
        _connectTimeout = TimeSpan.FromSeconds(ingest.Value.ConnectTimeoutSeconds);
        _restClients = restClients ?? throw new ArgumentNullException(nameof(restClients));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        Symbols = [.. _options.EffectiveSymbols];
        _parser = new BinanceStreamParser(Symbols);
        _restParser = new BinanceTickerPriceParser(Symbols);
        _tooLarge = BinanceRejections.TooLarge(_options.MaxMessageBytes);
        StreamUri = StreamUriFor(_options.StreamUrl, Symbols, _options.EffectiveStreams);
    }

    public string Source => DataSources.Crypto;

    public string Endpoint => _options.StreamUrl;

    public TimeSpan SilenceTimeout => _options.SilenceTimeout;

    /// <summary>The combined stream this listener connects to, e.g. <c>wss://stream.binance.com:9443/stream?streams=btcusdt@trade</c>.</summary>
    public Uri StreamUri { get; }

    /// <summary>The symbols as configured; every PriceTick carries one of these strings.</summary>
    public IReadOnlyList<string> Symbols { get; }

    /// <summary><c>{streamUrl}/stream?streams=</c> each symbol in lower case with each stream, joined by '/' (Binance's format).</summary>
    public static Uri StreamUriFor(string streamUrl, IReadOnlyList<string> symbols, IReadOnlyList<string> streams)
    {
        ArgumentNullException.ThrowIfNull(streamUrl);
        ArgumentNullException.ThrowIfNull(symbols);
        ArgumentNullException.ThrowIfNull(streams);
        var names = symbols.SelectMany(symbol => streams.Select(stream => $"{symbol.ToLowerInvariant()}@{stream}"));
        return new Uri($"{streamUrl.TrimEnd('/')}/stream?streams={string.Join('/', names)}");
    }

    public async Task RunConnectionAsync(ILiveFeedSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var (connection, refusedStatus) = await OpenStreamAsync(1, cancellationToken);
        if (connection is null)
        {
            await PollRestAsync(sink, refusedStatus, cancellationToken);
            return;
        }

        using var session = new StreamSession(this, sink);
        await session.RunAsync(connection, cancellationToken);
    }

    /// <summary>
    /// Opens a new socket to the stream within the connect timeout. Returns it, or the status when the handshake was
    /// refused with 451 or 403 (REST may still be served); throws with a plain message for anything else.
    /// </summary>
    private async Task<(BinanceStreamConnection? Connection, int RefusedStatus)> OpenStreamAsync(int number, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        // Without it a refused handshake is only "status code '451' when '101' was expected" in a message.
        socket.Options.CollectHttpResponseDetails = true;
        using var timeout = new CancellationTokenSource(_connectTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await socket.ConnectAsync(StreamUri, linked.Token);
            // The handshake response's headers are of no use once connected; drop them.
            socket.HttpResponseHeaders = null;
            return (new BinanceStreamConnection(socket, number, _time.GetTimestamp(), _options.MaxMessageBytes), 0);
        }
        catch (Exception failure) when (failure is not OutOfMemoryException)
        {
            var status = (int)socket.HttpStatusCode;
            var headers = socket.HttpResponseHeaders;
            socket.Dispose();
            cancellationToken.ThrowIfCancellationRequested();
            var host = $"{StreamUri.Host}:{StreamUri.Port}";
            if (timeout.IsCancellationRequested)
            {
                throw new TimeoutException($"no WebSocket handshake from {host} within {Seconds(_connectTimeout)} (Ingest:ConnectTimeoutSeconds)", failure);
            }

            switch (status)
            {
                case 0:
                    throw new IOException(ConnectionFailureText.Describe(failure, StreamUri), failure);
                case 451 or 403:
                    return (null, status);
                case 429:
                    var rateLimited = RetryAfter(headers) ?? _options.RateLimitedWait;
                    throw new UpstreamThrottledException($"stream refused: HTTP 429 rate limited by {host}, retry after {Seconds(rateLimited)}", rateLimited);
                case 418:
                    var banned = RetryAfter(headers) ?? _options.IpBanWait;
                    throw new UpstreamThrottledException($"stream refused: HTTP 418, {host} has banned this IP address for exceeding its rate limits; retry after {Seconds(banned)}", banned);
                default:
                    throw new HttpRequestException($"stream refused: {ConnectionFailureText.Status(status)}", failure, (HttpStatusCode)status);
            }
        }
    }

    private async Task PollRestAsync(ILiveFeedSink sink, int refusedStatus, CancellationToken cancellationToken)
    {
        var refused = $"stream refused: {ConnectionFailureText.Status(refusedStatus)}";
        var client = _restClients();
        var uri = client.TickerPriceUri;
        var retryStreamAt = _time.GetUtcNow() + _options.StreamRetryAfter;
        LogStreamRefused(refusedStatus, uri, _options.RestPollIntervalSeconds, _options.StreamRetryAfterSeconds);

        var buffer = new byte[_options.MaxMessageBytes];
        var prices = new List<BinanceTickerPrice>();
        var rejections = new List<string>();
        var connected = false;
        while (true)
        {
            var answer = await GetPricesAsync(client, buffer, refused, cancellationToken);
            sink.MessageReceived();
            var wait = _options.RestPollInterval;
            switch ((int)answer.Status)
            {
                case 200:
                    if (!connected)
                    {
                        connected = true;
                        sink.Connected($"REST polling {uri.GetLeftPart(UriPartial.Path)} every {Seconds(_options.RestPollInterval)} ({refused})");
                    }

                    await PublishPageAsync(sink, answer, buffer, prices, rejections, cancellationToken);
                    break;
                case 429:
                    wait = answer.RetryAfter ?? _options.RateLimitedWait;
                    // Waiting inside the connection keeps the source live; a wait the silence timeout would cut short
                    // is left to the caller, which must not try before it is over.
                    if (wait > SilenceTimeout / 2)
                    {
                        throw new UpstreamThrottledException($"{refused}; REST fallback: HTTP 429 rate limited by {uri.Host}, retry after {Seconds(wait)}", wait);
                    }

                    LogRateLimited(wait.TotalSeconds);
                    break;
                case 418:
                    var banned = answer.RetryAfter ?? _options.IpBanWait;
                    throw new UpstreamThrottledException($"{refused}; REST fallback: HTTP 418, {uri.Host} has banned this IP address for exceeding its rate limits; retry after {Seconds(banned)}", banned);
                default:
                    var reason = answer.TooLarge ? null : ErrorMessage(buffer.AsSpan(0, answer.Length));
                    throw new HttpRequestException(
                        $"{refused}; REST fallback answered {ConnectionFailureText.Status((int)answer.Status)}{(reason is null ? "" : $": {reason}")}",
                        null,
                        answer.Status);
            }

            var untilRetry = retryStreamAt - _time.GetUtcNow();
            if (untilRetry <= TimeSpan.Zero)
            {
                LogStreamRetry(_options.StreamRetryAfterSeconds);
                return;
            }

            await Task.Delay(wait < untilRetry ? wait : untilRetry, _time, cancellationToken);
            if (retryStreamAt <= _time.GetUtcNow())
            {
                LogStreamRetry(_options.StreamRetryAfterSeconds);
                return;
            }
        }
    }

    private async Task<BinanceRestAnswer> GetPricesAsync(BinanceRestClient client, byte[] buffer, string refused, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_connectTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await client.GetTickerPricesAsync(buffer, linked.Token);
        }
        catch (Exception failure) when (failure is not OutOfMemoryException && !cancellationToken.IsCancellationRequested)
        {
            var uri = client.TickerPriceUri;
            if (timeout.IsCancellationRequested)
            {
                throw new TimeoutException($"{refused}; REST fallback: no answer from {uri.Host}:{uri.Port} within {Seconds(_connectTimeout)} (Ingest:ConnectTimeoutSeconds)", failure);
            }

            throw new IOException($"{refused}; REST fallback: {ConnectionFailureText.Describe(failure, uri)}", failure);
        }
    }

    private async Task PublishPageAsync(ILiveFeedSink sink, BinanceRestAnswer answer, byte[] buffer, List<BinanceTickerPrice> prices, List<string> rejections, CancellationToken cancellationToken)
    {
        if (answer.TooLarge)
        {
            sink.FrameRejected(_tooLarge);
            return;
        }

        prices.Clear();
        rejections.Clear();
        if (_restParser.Parse(buffer.AsSpan(0, answer.Length), prices, rejections) is { } unusable)
        {
            sink.FrameRejected(unusable);
            return;
        }

        foreach (var reason in rejections)
        {
            sink.FrameRejected(reason);
        }

        // The ticker price carries no time of its own: it is the last price as of the answer.
        var now = _time.GetUtcNow();
        foreach (var price in prices)
        {
            await sink.PublishAsync(new PriceTick(Symbols[price.SymbolIndex], price.Price, now), cancellationToken);
        }
    }

    /// <summary>Binance's own explanation in an error answer (<c>{"code":-1121,"msg":"Invalid symbol."}</c>), if any.</summary>
    private static string? ErrorMessage(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isMessage = reader.ValueTextEquals("msg"u8);
                reader.Read();
                if (isMessage && reader.TokenType == JsonTokenType.String)
                {
                    var message = reader.GetString();
                    return message is { Length: > 200 } ? message[..200] : message;
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // Not JSON: the status says enough.
        }

        return null;
    }

    /// <summary>The Retry-After of a refused handshake: delta seconds or an HTTP date.</summary>
    private TimeSpan? RetryAfter(IReadOnlyDictionary<string, IEnumerable<string>>? headers)
    {
        if (headers is null)
        {
            return null;
        }

        foreach (var (name, values) in headers)
        {
            if (!name.Equals("Retry-After", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var value = values.FirstOrDefault()?.Trim();
            if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                return TimeSpan.FromSeconds(Math.Min(seconds, (long)TimeSpan.FromDays(30).TotalSeconds));
            }

            if (DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
            {
                var wait = date - _time.GetUtcNow();
                return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
            }
        }

        return null;
    }

    /// <summary>"30 s", "15 min", "2.5 h": how long, for a person.</summary>
    internal static string Seconds(TimeSpan span) => span.TotalSeconds switch
    {
        < 120 => $"{span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s",
        < 7200 => $"{span.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture)} min",
        _ => $"{span.TotalHours.ToString("0.#", CultureInfo.InvariantCulture)} h",
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Binance stream: planned reconnect of connection {Number} ({Reason}); the next connection opens before this one closes")]
    private partial void LogPlannedReconnect(int number, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Binance stream: connection {Number} replaced by connection {Next}; {Duplicates} events both delivered were published once")]
    private partial void LogReplaced(int number, int next, int duplicates);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Binance stream: connection {Number} did not finish its close handshake within the connect timeout; aborted")]
    private partial void LogRetireTimedOut(int number);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Binance stream refused with HTTP {Status}: polling {Uri} every {IntervalSeconds} s, and trying the stream again in {RetrySeconds} s")]
    private partial void LogStreamRefused(int status, Uri uri, double intervalSeconds, double retrySeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Binance REST answered 429 (rate limited): waiting {Seconds} s before the next poll")]
    private partial void LogRateLimited(double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Binance REST polling ends after {Seconds} s so the stream is tried again")]
    private partial void LogStreamRetry(double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Binance stream sent an error answer to a control request on connection {Number}")]
    private partial void LogControlError(int number);

    /// <summary>
    /// What one stream call holds beyond its sockets: which events were published (per symbol and stream, so a
    /// replacement socket's repeats are dropped) and the gate that keeps two sockets from publishing at once.
    /// </summary>
    private sealed class StreamSession(BinanceFeed feed, ILiveFeedSink sink) : IDisposable
    {
        private readonly SemaphoreSlim _publishGate = new(1, 1);
        private readonly long[] _lastPublished = [.. Enumerable.Repeat(long.MinValue, feed.Symbols.Count * 3)];
        private readonly List<BinanceStreamConnection> _open = [];
        private int _duplicates;

        public async Task RunAsync(BinanceStreamConnection first, CancellationToken cancellationToken)
        {
            // The receive loops run under this token, so they all end before the call returns, even one waiting for
            // room in the channel when another socket fails.
            using var loops = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var current = first;
            try
            {
                Start(current, loops.Token);
                sink.Connected($"stream {feed.StreamUri}");
                while (true)
                {
                    var reason = await WaitForPlannedReconnectAsync(current, cancellationToken);
                    feed.LogPlannedReconnect(current.Number, reason);
                    var next = await OpenReplacementAsync(current.Number + 1, reason, cancellationToken);
                    next.Hold();
                    Start(next, loops.Token);
                    await RetireAsync(current, cancellationToken);
                    await ReleaseHeldAsync(next, cancellationToken);
                    var duplicates = Interlocked.Exchange(ref _duplicates, 0);
                    feed.LogReplaced(current.Number, next.Number, duplicates);
                    _open.Remove(current);
                    current.Dispose();
                    current = next;
                    sink.Connected($"stream {feed.StreamUri} (planned reconnect: {reason})");
                }
            }
            finally
            {
                await loops.CancelAsync();
                foreach (var connection in _open)
                {
                    connection.Socket.Abort();
                }

                foreach (var connection in _open)
                {
                    await connection.Completion.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                    connection.Dispose();
                }
            }
        }

        public void Dispose() => _publishGate.Dispose();

        private void Start(BinanceStreamConnection connection, CancellationToken cancellationToken)
        {
            _open.Add(connection);
            connection.Completion = ReceiveAsync(connection, cancellationToken);
        }

        /// <summary>Waits until the connection must be replaced and says why; throws when it ends instead.</summary>
        private async Task<string> WaitForPlannedReconnectAsync(BinanceStreamConnection connection, CancellationToken cancellationToken)
        {
            var maxAge = feed._options.MaxConnectionAge;
            var remaining = maxAge - feed._time.GetElapsedTime(connection.OpenedAt);
            using var ageWait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var aged = remaining > TimeSpan.Zero ? Task.Delay(remaining, feed._time, ageWait.Token) : Task.CompletedTask;
            await Task.WhenAny(connection.Completion, connection.ShutdownAnnounced, aged);
            await ageWait.CancelAsync();
            cancellationToken.ThrowIfCancellationRequested();

            // Binance may close right after announcing its shutdown: the announcement, not the close, decides.
            if (connection.ShutdownAnnounced.IsCompleted)
            {
                return "Binance announced a server shutdown (serverShutdown)";
            }

            if (aged.IsCompletedSuccessfully)
            {
                return $"the connection reached its maximum age of {Seconds(maxAge)}";
            }

            await connection.Completion;
            throw new IOException("the stream ended without a close frame");
        }

        private async Task<BinanceStreamConnection> OpenReplacementAsync(int number, string reason, CancellationToken cancellationToken)
        {
            try
            {
                var (next, refusedStatus) = await feed.OpenStreamAsync(number, cancellationToken);
                return next ?? throw new HttpRequestException($"stream refused: {ConnectionFailureText.Status(refusedStatus)}", null, (HttpStatusCode)refusedStatus);
            }
            catch (Exception failure) when (failure is TimeoutException or IOException or HttpRequestException)
            {
                // The old socket is given up too: the caller's next attempt starts afresh (and turns to REST on a 451).
                throw new IOException($"planned reconnect ({reason}) failed: {failure.Message}", failure);
            }
        }

        /// <summary>
        /// Closes a replaced socket the polite way (close frame, then read on until Binance's close) so every event it
        /// had sent is still published; a socket that does not answer within the connect timeout is aborted.
        /// </summary>
        private async Task RetireAsync(BinanceStreamConnection connection, CancellationToken cancellationToken)
        {
            connection.Retire();
            try
            {
                if (connection.Socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    await connection.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "planned reconnect", cancellationToken);
                }

                await connection.Completion.WaitAsync(feed._connectTimeout, feed._time, cancellationToken);
            }
            catch (TimeoutException)
            {
                feed.LogRetireTimedOut(connection.Number);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // Already closed or lost (its own loop may be answering Binance's close right now): whatever it had
                // sent has been read, and it is given up either way.
            }

            connection.Socket.Abort();
            await connection.Completion.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        private async Task ReleaseHeldAsync(BinanceStreamConnection connection, CancellationToken cancellationToken)
        {
            await _publishGate.WaitAsync(cancellationToken);
            try
            {
                foreach (var message in connection.ReleaseHeld())
                {
                    await PublishInOrderAsync(message, cancellationToken);
                }
            }
            finally
            {
                _publishGate.Release();
            }
        }

        /// <summary>
        /// Reads messages until the socket closes or fails. A message is collected in the connection's buffer; one that
        /// does not fit is rejected and the rest of it read past, as is a binary message.
        /// </summary>
        private async Task ReceiveAsync(BinanceStreamConnection connection, CancellationToken cancellationToken)
        {
            var socket = connection.Socket;
            var buffer = connection.Buffer;
            var count = 0;
            var skipping = false;
            while (true)
            {
                ValueWebSocketReceiveResult received;
                try
                {
                    received = await socket.ReceiveAsync(buffer.AsMemory(count), cancellationToken);
                }
                catch (Exception) when (connection.Retiring && !cancellationToken.IsCancellationRequested)
                {
                    return;
                }
                catch (WebSocketException failure) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new IOException(ConnectionFailureText.Lost(failure, feed.StreamUri), failure);
                }

                if (received.MessageType == WebSocketMessageType.Close)
                {
                    if (connection.Retiring)
                    {
                        return;
                    }

                    var closed = ConnectionFailureText.ClosedByServer(socket.CloseStatus, socket.CloseStatusDescription);
                    await AnswerCloseAsync(socket, cancellationToken);
                    throw new IOException(closed);
                }

                if (skipping)
                {
                    skipping = !received.EndOfMessage;
                    continue;
                }

                if (received.MessageType == WebSocketMessageType.Binary)
                {
                    sink.MessageReceived();
                    sink.FrameRejected(BinanceRejections.BinaryFrame);
                    skipping = !received.EndOfMessage;
                    count = 0;
                    continue;
                }

                count += received.Count;
                if (received.EndOfMessage)
                {
                    await HandleAsync(connection, buffer.AsMemory(0, count), cancellationToken);
                    count = 0;
                }
                else if (count == buffer.Length)
                {
                    // Counted once, as it starts to overflow; if the rest never comes, the silence timeout ends it.
                    sink.MessageReceived();
                    sink.FrameRejected(feed._tooLarge);
                    skipping = true;
                    count = 0;
                }
            }
        }

        private static async Task AnswerCloseAsync(ClientWebSocket socket, CancellationToken cancellationToken)
        {
            try
            {
                if (socket.State == WebSocketState.CloseReceived)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken);
                }
            }
            catch (Exception failure) when (failure is WebSocketException or IOException or OperationCanceledException or InvalidOperationException)
            {
                // The close is reported either way; an unanswered close costs the server nothing but a timeout.
            }
        }

        private async ValueTask HandleAsync(BinanceStreamConnection connection, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
        {
            sink.MessageReceived();
            var message = feed._parser.Parse(bytes.Span);
            switch (message.Kind)
            {
                case BinanceMessageKind.Price:
                    if (connection.TryHold(message, out var overflow))
                    {
                        if (overflow)
                        {
                            sink.FrameRejected(HeldOverflow);
                        }

                        return;
                    }

                    await _publishGate.WaitAsync(cancellationToken);
                    try
                    {
                        await PublishInOrderAsync(message, cancellationToken);
                    }
                    finally
                    {
                        _publishGate.Release();
                    }

                    break;
                case BinanceMessageKind.ServerShutdown:
                    connection.AnnounceShutdown();
                    break;
                case BinanceMessageKind.ControlError:
                    feed.LogControlError(connection.Number);
                    break;
                case BinanceMessageKind.Rejected:
                    sink.FrameRejected(message.Rejection!);
                    break;
            }
        }

        /// <summary>Publishes unless this symbol's stream already delivered this event or a later one. Call holding the gate.</summary>
        private ValueTask PublishInOrderAsync(in BinanceStreamMessage message, CancellationToken cancellationToken)
        {
            var slot = (message.SymbolIndex * 3) + (int)message.Event;
            if (message.Sequence <= _lastPublished[slot])
            {
                Interlocked.Increment(ref _duplicates);
                return ValueTask.CompletedTask;
            }

            _lastPublished[slot] = message.Sequence;
            return sink.PublishAsync(new PriceTick(feed.Symbols[message.SymbolIndex], message.Price, message.Timestamp), cancellationToken);
        }
    }
}
