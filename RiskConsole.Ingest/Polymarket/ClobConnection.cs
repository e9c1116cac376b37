using System.Buffers;
using System.Globalization;
using System.Net.WebSockets;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using RiskConsole.Core.Signals;
using RiskConsole.Ingest.Live;

namespace RiskConsole.Ingest.Polymarket;

/// <summary>
/// One open market-channel connection, from the subscribe frame to its end: it receives frames (capped at
/// <see cref="PolymarketOptions.MaxFrameBytes"/>), turns events of the followed markets' Yes tokens into
/// <see cref="MarketProbability"/> signals when the probability changes, sends <c>PING</c> every
/// <see cref="PolymarketOptions.PingInterval"/>, and asks Gamma for the market list every
/// <see cref="PolymarketOptions.MarketRefreshInterval"/> to subscribe new markets and unsubscribe dropped ones on this
/// same socket. A market the channel announces as resolved is unsubscribed at once. It ends by throwing: the server
/// closed or dropped the connection, a send failed, or the token was cancelled.
/// </summary>
internal sealed class ClobConnection : IDisposable
{
    private const int InitialBufferBytes = 16 * 1024;

    private readonly ClientWebSocket _socket;
    private readonly ILiveFeedSink _sink;
    private readonly PolymarketOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Func<CancellationToken, Task<GammaMarketList>> _fetchMarkets;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Lock _tableLock = new();
    private readonly HashSet<string> _resolved = new(StringComparer.Ordinal);
    private readonly ClobFrameParser _parser = new();
    private readonly List<ClobUpdate> _updates = [];
    private readonly List<string> _rejections = [];
    private readonly List<FollowedMarket> _resolvedNow = [];
    private volatile FollowedMarkets _markets;
    private Exception? _sideFailure;

    public ClobConnection(
        ClientWebSocket socket,
        GammaMarketList markets,
        ILiveFeedSink sink,
        PolymarketOptions options,
        TimeProvider time,
        ILogger logger,
        Func<CancellationToken, Task<GammaMarketList>> fetchMarkets)
    {
        _socket = socket;
        _sink = sink;
        _options = options;
        _time = time;
        _logger = logger;
        _fetchMarkets = fetchMarkets;
        _markets = new FollowedMarkets(markets.Markets.Select(m => new FollowedMarket(m)));
    }

    public void Dispose() => _sendLock.Dispose();

    /// <summary>The markets followed right now.</summary>
    public FollowedMarkets Markets => _markets;

    public async Task RunAsync(string endpoint, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        // Both clocks start before the subscribe frame goes out, so nothing that reacts to that frame (a test moving a
        // fake clock, a fast server) can get ahead of them; and being periodic, a tick that falls while a refresh is
        // still running is kept, not lost.
        using var pingTimer = new PeriodicTimer(_options.PingInterval, _time);
        using var refreshTimer = new PeriodicTimer(_options.MarketRefreshInterval, _time);

        Task? pinging = null;
        Task? refreshing = null;
        try
        {
            var markets = _markets;
            try
            {
                await SendAsync(ClobSubscriptionFrames.Initial(FollowedMarkets.TokenIdsOf(markets.Markets)), stop.Token).ConfigureAwait(false);
            }
            catch (WebSocketException e)
            {
                throw new IOException($"CLOB stream: sending the subscribe frame failed ({UpstreamFailure.Describe(e, new Uri(_options.ClobWebSocketUrl))})", e);
            }

            _sink.Connected(string.Create(CultureInfo.InvariantCulture, $"CLOB market channel {endpoint}: {markets.Count} markets from Gamma ({2 * markets.Count} tokens)"));
            pinging = RunSideLoopAsync(() => PingLoopAsync(pingTimer, stop.Token), stop, stop.Token);
            refreshing = RunSideLoopAsync(() => RefreshLoopAsync(refreshTimer, stop.Token), stop, stop.Token);
            await ReceiveLoopAsync(stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_sideFailure is not null && !cancellationToken.IsCancellationRequested)
        {
            // The receive was cut short because a side loop failed (a send, most likely); that is why the connection ended.
            ExceptionDispatchInfo.Throw(_sideFailure);
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested && e is not OperationCanceledException)
        {
            // Whatever the socket threw while being torn down, the caller cancelled, and says so.
            throw new OperationCanceledException("The connection was cancelled.", e, cancellationToken);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(pinging ?? Task.CompletedTask, refreshing ?? Task.CompletedTask).ConfigureAwait(false);
        }
    }

    /// <summary>Runs a loop beside the receive loop; when it fails, the connection ends with its exception.</summary>
    private async Task RunSideLoopAsync(Func<Task> loop, CancellationTokenSource stop, CancellationToken cancellationToken)
    {
        try
        {
            await loop().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The connection is ending for another reason.
        }
        catch (Exception e)
        {
            // Whatever ends a side loop ends the connection: a connection that no longer pings or refreshes would
            // only look alive.
            var failure = e is WebSocketException or IOException or ObjectDisposedException
                ? new IOException($"CLOB stream: sending failed ({UpstreamFailure.Describe(e, new Uri(_options.ClobWebSocketUrl))})", e)
                : e;
            Interlocked.CompareExchange(ref _sideFailure, failure, null);
            await stop.CancelAsync().ConfigureAwait(false);
        }
    }

    private async Task PingLoopAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            await SendAsync(ClobSubscriptionFrames.Ping, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task RefreshLoopAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        var notBefore = DateTimeOffset.MinValue;
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            if (_time.GetUtcNow() < notBefore)
            {
                // Gamma asked for a longer pause than the refresh interval; refreshes stay on their beat and resume
                // with the first one after it.
                continue;
            }

            GammaMarketList? list = null;
            string? failure = null;
            try
            {
                list = await _fetchMarkets(cancellationToken).ConfigureAwait(false);
            }
            catch (UpstreamThrottledException e)
            {
                notBefore = _time.GetUtcNow() + e.RetryAfter;
                failure = e.Message;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // Gamma unreachable, refusing, too slow or answering garbage: the markets followed stay as they are.
                failure = e.Message;
            }

            if (list is { Markets.Count: 0 })
            {
                failure = NothingToFollow(list, _options.KeywordFilter);
            }

            if (failure is not null)
            {
                var count = _markets.Count;
                PolymarketLog.RefreshFailed(_logger, count, failure);
                _sink.FrameRejected($"market list refresh failed (keeping {count.ToString(CultureInfo.InvariantCulture)} markets): {failure}");
                continue;
            }

            await ApplyMarketListAsync(list!, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Swaps in the refreshed list (keeping the state of markets that stay) and tells the channel what changed.</summary>
    private async Task ApplyMarketListAsync(GammaMarketList list, CancellationToken cancellationToken)
    {
        List<FollowedMarket> added = [];
        List<FollowedMarket> removed;
        lock (_tableLock)
        {
            var current = _markets;
            var next = new List<FollowedMarket>(list.Markets.Count);
            foreach (var market in list.Markets)
            {
                if (_resolved.Contains(market.ConditionId))
                {
                    continue;
                }

                var existing = current.FindCondition(market.ConditionId);
                if (existing is not null && existing.YesTokenId == market.YesTokenId && existing.NoTokenId == market.NoTokenId)
                {
                    next.Add(existing);
                }
                else
                {
                    var followed = new FollowedMarket(market);
                    next.Add(followed);
                    added.Add(followed);
                }
            }

            if (next.Count == 0)
            {
                // Everything Gamma listed has resolved on this connection already; an empty subscription would only go silent.
                return;
            }

            removed = [.. current.Markets.Where(m => !next.Contains(m))];
            if (added.Count == 0 && removed.Count == 0)
            {
                return;
            }

            _markets = new FollowedMarkets(next);
        }

        if (removed.Count > 0)
        {
            await SendAsync(ClobSubscriptionFrames.Unsubscribe(FollowedMarkets.TokenIdsOf(removed)), cancellationToken).ConfigureAwait(false);
        }

        if (added.Count > 0)
        {
            await SendAsync(ClobSubscriptionFrames.Subscribe(FollowedMarkets.TokenIdsOf(added)), cancellationToken).ConfigureAwait(false);
        }

        PolymarketLog.Refreshed(_logger, added.Count, removed.Count, _markets.Count);
    }

    private async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        var max = _options.MaxFrameBytes;
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(InitialBufferBytes, max));
        try
        {
            while (true)
            {
                var count = 0;
                var first = true;
                var binary = false;
                var oversize = false;
                ValueWebSocketReceiveResult result;
                do
                {
                    var limit = Math.Min(buffer.Length, max);
                    if (!oversize && !binary && count == limit)
                    {
                        if (limit == max)
                        {
                            // Too large: counted and rejected now (an endless trickle must not wait for its end to be
                            // seen), and the rest of it is read into the same buffer and dropped.
                            oversize = true;
                            _sink.MessageReceived();
                            _sink.FrameRejected($"frame larger than {max.ToString(CultureInfo.InvariantCulture)} bytes ({PolymarketOptions.SectionName}:{nameof(PolymarketOptions.MaxFrameBytes)}); the rest of it is skipped");
                        }
                        else
                        {
                            var larger = ArrayPool<byte>.Shared.Rent(Math.Min(2 * buffer.Length, max));
                            buffer.AsSpan(0, count).CopyTo(larger);
                            ArrayPool<byte>.Shared.Return(buffer);
                            buffer = larger;
                            limit = Math.Min(buffer.Length, max);
                        }
                    }

                    var target = oversize || binary ? buffer.AsMemory(0, limit) : buffer.AsMemory(count, limit - count);
                    result = await ReceiveAsync(target, cancellationToken).ConfigureAwait(false);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await ClosedByServerAsync().ConfigureAwait(false);
                    }

                    if (first)
                    {
                        first = false;
                        binary = result.MessageType == WebSocketMessageType.Binary;
                    }

                    if (!oversize && !binary)
                    {
                        count += result.Count;
                    }
                }
                while (!result.EndOfMessage);

                if (oversize)
                {
                    continue;
                }

                _sink.MessageReceived();
                if (binary)
                {
                    _sink.FrameRejected("binary frame (the market channel sends text)");
                    continue;
                }

                await HandleTextAsync(buffer, count, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async ValueTask<ValueWebSocketReceiveResult> ReceiveAsync(Memory<byte> target, CancellationToken cancellationToken)
    {
        try
        {
            return await _socket.ReceiveAsync(target, cancellationToken).ConfigureAwait(false);
        }
        catch (WebSocketException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new IOException($"CLOB stream lost: {UpstreamFailure.Describe(e, new Uri(_options.ClobWebSocketUrl))}", e);
        }
        catch (WebSocketException e)
        {
            // Cancelling a receive aborts the socket, and a send cancelled at the same moment may have aborted it first:
            // either way the connection ended because it was cancelled.
            throw new OperationCanceledException("The connection was cancelled.", e, cancellationToken);
        }
    }

    private async Task HandleTextAsync(byte[] buffer, int count, CancellationToken cancellationToken)
    {
        _updates.Clear();
        _rejections.Clear();
        _resolvedNow.Clear();
        var markets = _markets;
        if (_parser.Parse(buffer.AsSpan(0, count), markets, _updates, _rejections, _resolvedNow) == ClobFrameKind.Pong)
        {
            return;
        }

        foreach (var reason in _rejections)
        {
            _sink.FrameRejected(reason);
        }

        foreach (var update in _updates)
        {
            var probability = update.Market.Apply(update, _options.MaxSpreadForMidpoint);
            if (!double.IsNaN(probability))
            {
                var signal = new MarketProbability(
                    update.Market.ConditionId,
                    update.Market.Question,
                    probability,
                    DateTimeOffset.FromUnixTimeMilliseconds(update.TimestampMs));
                await _sink.PublishAsync(signal, cancellationToken).ConfigureAwait(false);
            }
        }

        if (_resolvedNow.Count > 0)
        {
            await DropResolvedAsync(_resolvedNow, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Unsubscribes markets the channel says have resolved: their books are closed and their price is settled.</summary>
    private async Task DropResolvedAsync(List<FollowedMarket> resolved, CancellationToken cancellationToken)
    {
        List<FollowedMarket> dropped;
        lock (_tableLock)
        {
            var current = _markets;
            dropped = [.. resolved.Where(m => current.FindCondition(m.ConditionId) == m)];
            foreach (var market in dropped)
            {
                _resolved.Add(market.ConditionId);
            }

            if (dropped.Count == 0)
            {
                return;
            }

            _markets = new FollowedMarkets(current.Markets.Where(m => !dropped.Contains(m)));
        }

        await SendAsync(ClobSubscriptionFrames.Unsubscribe(FollowedMarkets.TokenIdsOf(dropped)), cancellationToken).ConfigureAwait(false);
        foreach (var market in dropped)
        {
            PolymarketLog.Resolved(_logger, market.ConditionId, market.Question);
        }
    }

    private async Task SendAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        // One send at a time: PING, refresh and resolved-market frames come from different loops, and a WebSocket
        // allows only one outstanding send.
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task ClosedByServerAsync()
    {
        var status = _socket.CloseStatus;
        var description = _socket.CloseStatusDescription;
        try
        {
            // Answer the close, as the protocol asks; the connection is over either way.
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException)
        {
            // The server may already have gone.
        }

        throw new IOException($"CLOB stream closed by the server: {CloseWords(status, description)}");
    }

    /// <summary>"1001 going away (restarting)": the close code, what it means, and the server's own words.</summary>
    internal static string CloseWords(WebSocketCloseStatus? status, string? description)
    {
        var code = status is { } s ? ((int)s).ToString(CultureInfo.InvariantCulture) : "no status";
        var meaning = status switch
        {
            WebSocketCloseStatus.NormalClosure => " normal closure",
            WebSocketCloseStatus.EndpointUnavailable => " going away",
            WebSocketCloseStatus.ProtocolError => " protocol error",
            WebSocketCloseStatus.InvalidMessageType => " unsupported data",
            WebSocketCloseStatus.InvalidPayloadData => " invalid data",
            WebSocketCloseStatus.PolicyViolation => " policy violation",
            WebSocketCloseStatus.MessageTooBig => " message too big",
            WebSocketCloseStatus.InternalServerError => " server error",
            (WebSocketCloseStatus)1012 => " service restart",
            (WebSocketCloseStatus)1013 => " try again later",
            _ => "",
        };
        return string.IsNullOrWhiteSpace(description) ? $"{code}{meaning}" : $"{code}{meaning} ({description.Trim()})";
    }

    internal static string NothingToFollow(GammaMarketList list, string? keyword)
    {
        var matching = keyword is null ? "" : $" whose question contains '{keyword}'";
        var first = list.FirstUnusableReason is null ? "" : $"; first skipped: {list.FirstUnusableReason}";
        return string.Create(CultureInfo.InvariantCulture, $"Gamma listed {list.Listed} markets but no open binary Yes/No market with CLOB token ids{matching}{first}");
    }
}
