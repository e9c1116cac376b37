using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RiskConsole.Core.Contracts;
using RiskConsole.Ingest.Live;

namespace RiskConsole.Ingest.Polymarket;

/// <summary>
/// The Polymarket listener. Each connection asks Gamma for the most active open binary Yes/No markets, opens the CLOB
/// market channel, subscribes both tokens of each, and publishes each market's probability of "Yes" (midpoint of the
/// Yes token's best bid and ask, else its last trade) whenever it changes, as a <see cref="Core.Signals.MarketProbability"/>
/// keyed by the market's condition id and stamped with the event's own time. Retrying, silence detection and fallback
/// to mock data are <see cref="LiveSource"/>'s; this class holds the protocol only and keeps no state between
/// connections, so a probe may run one beside the live source.
/// </summary>
public sealed class PolymarketFeed : ILiveFeed
{
    private readonly PolymarketOptions _options;
    private readonly IngestOptions _ingest;
    private readonly Func<GammaMarketsClient> _gammaClients;
    private readonly TimeProvider _time;
    private readonly ILogger<PolymarketFeed> _logger;
    private readonly Uri _clobUri;

    /// <param name="gammaClients">
    /// Gives a Gamma client for a connection's start and for each refresh. Registered as a factory of the typed client,
    /// so each gets an HttpClient whose handler IHttpClientFactory rotates, while this listener stays a singleton.
    /// </param>
    public PolymarketFeed(
        IOptions<PolymarketOptions> options,
        IOptions<IngestOptions> ingest,
        Func<GammaMarketsClient> gammaClients,
        TimeProvider time,
        ILogger<PolymarketFeed> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(ingest);
        _options = options.Value;
        _ingest = ingest.Value;
        _gammaClients = gammaClients ?? throw new ArgumentNullException(nameof(gammaClients));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _clobUri = new Uri(_options.ClobWebSocketUrl);
    }

    public string Source => DataSources.Polymarket;

    public string Endpoint => _options.ClobWebSocketUrl;

    public TimeSpan SilenceTimeout => _options.SilenceTimeout;

    private TimeSpan ConnectTimeout => TimeSpan.FromSeconds(_ingest.ConnectTimeoutSeconds);

    public async Task RunConnectionAsync(ILiveFeedSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var gamma = _gammaClients();
        var list = await FetchMarketsAsync(gamma, cancellationToken).ConfigureAwait(false);
        if (list.FirstUnusableReason is not null)
        {
            PolymarketLog.Unusable(_logger, list.FirstUnusableReason);
        }

        if (list.Markets.Count == 0)
        {
            // Nothing to subscribe is a failed connection: LiveSource retries, and the next Gamma answer may differ.
            throw new InvalidDataException(ClobConnection.NothingToFollow(list, _options.KeywordFilter));
        }

        PolymarketLog.Following(_logger, list.Markets.Count, list.Listed, list.Unusable);
        using var socket = new ClientWebSocket();
        // The channel's own PING/PONG keeps the connection alive and proves it is; WebSocket-level keep-alive frames
        // would add nothing the silence timeout could see.
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        // So a refused handshake can say "HTTP 451" or honour a 429's Retry-After.
        socket.Options.CollectHttpResponseDetails = true;
        await WithinConnectTimeoutAsync(
            async token =>
            {
                await ConnectAsync(socket, token).ConfigureAwait(false);
                return true;
            },
            $"CLOB stream: the WebSocket handshake with {Authority(_clobUri)} did not complete",
            cancellationToken).ConfigureAwait(false);

        // Each refresh takes a fresh client, so a connection that lives for days still gets handlers that
        // IHttpClientFactory has rotated (and the DNS changes they see).
        using var connection = new ClobConnection(socket, list, sink, _options, _time, _logger, token => FetchMarketsAsync(_gammaClients(), token));
        await connection.RunAsync(_options.ClobWebSocketUrl, cancellationToken).ConfigureAwait(false);
    }

    private Task<GammaMarketList> FetchMarketsAsync(GammaMarketsClient gamma, CancellationToken cancellationToken) =>
        WithinConnectTimeoutAsync(gamma.GetMarketsAsync, $"Gamma did not answer GET {gamma.MarketsUri.GetLeftPart(UriPartial.Path)}", cancellationToken);

    private async Task ConnectAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        try
        {
            await socket.ConnectAsync(_clobUri, cancellationToken).ConfigureAwait(false);
        }
        catch (WebSocketException e) when ((int)socket.HttpStatusCode is not 0 and not 101)
        {
            var status = socket.HttpStatusCode;
            var retryAfterHeader = socket.HttpResponseHeaders is { } headers && headers.TryGetValue("Retry-After", out var values)
                ? values.FirstOrDefault()
                : null;
            if (UpstreamFailure.IsThrottle(status, retryAfterHeader is not null))
            {
                var wait = UpstreamFailure.RetryAfter(retryAfterHeader, _time.GetUtcNow());
                throw new UpstreamThrottledException($"CLOB stream: {UpstreamFailure.ThrottleWords(status)}, retry after {UpstreamFailure.Seconds(wait)} s", wait);
            }

            throw new HttpRequestException(string.Create(CultureInfo.InvariantCulture, $"CLOB stream refused: HTTP {(int)status}"), e, status);
        }
        catch (WebSocketException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new IOException($"CLOB stream: {UpstreamFailure.Describe(e, _clobUri)}", e);
        }
    }

    /// <summary>
    /// Runs one step of opening the connection (the Gamma request, the WebSocket handshake) within
    /// Ingest:ConnectTimeoutSeconds on the injected clock; running out is a <see cref="TimeoutException"/> that says
    /// which step hung, while the caller's own cancellation stays an <see cref="OperationCanceledException"/>.
    /// </summary>
    private async Task<T> WithinConnectTimeoutAsync<T>(Func<CancellationToken, Task<T>> step, string what, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(ConnectTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            return await step(linked.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested && e is OperationCanceledException or WebSocketException or HttpRequestException or IOException)
        {
            throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"{what} within {_ingest.ConnectTimeoutSeconds} s (Ingest:ConnectTimeoutSeconds)"), e);
        }
    }

    private static string Authority(Uri uri) => uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port.ToString(CultureInfo.InvariantCulture)}";
}
