using System.Buffers;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Options;
using RiskConsole.Ingest.Live;

namespace RiskConsole.Ingest.Polymarket;

/// <summary>
/// Gamma's market list as a typed HttpClient: <c>GET {GammaUrl}/markets?active=true&amp;closed=false&amp;order=volume24hr&amp;ascending=false&amp;limit=N</c>,
/// read up to <see cref="PolymarketOptions.GammaMaxResponseBytes"/> and parsed into the markets to follow. Every failure
/// is an exception whose message says what failed in plain words; a throttling answer (429, or 503 with Retry-After) is
/// an <see cref="UpstreamThrottledException"/> carrying the wait it asked for. The client has no timeout of its own: the
/// caller bounds each call (Ingest:ConnectTimeoutSeconds), and the resilience handler registered with it retries
/// transient failures once (see <see cref="PolymarketFeedRegistration"/>).
/// </summary>
public sealed class GammaMarketsClient
{
    private readonly HttpClient _http;
    private readonly PolymarketOptions _options;
    private readonly TimeProvider _time;

    public GammaMarketsClient(HttpClient http, IOptions<PolymarketOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _http = http ?? throw new ArgumentNullException(nameof(http));
        _options = options.Value;
        _time = time ?? throw new ArgumentNullException(nameof(time));
        MarketsUri = new Uri(string.Create(
            CultureInfo.InvariantCulture,
            $"{_options.GammaUrl.TrimEnd('/')}/markets?active=true&closed=false&order=volume24hr&ascending=false&limit={_options.GammaPageSize}"));
    }

    /// <summary>The request's address, for messages and logs (no secrets in it).</summary>
    public Uri MarketsUri { get; }

    /// <exception cref="UpstreamThrottledException">Gamma answered 429, or 503 with Retry-After.</exception>
    /// <exception cref="HttpRequestException">Gamma could not be reached or answered another error status.</exception>
    /// <exception cref="InvalidDataException">The answer was too large, not JSON, or not an array of markets.</exception>
    public async Task<GammaMarketList> GetMarketsAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, MarketsUri);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new HttpRequestException(e.HttpRequestError, $"Gamma: {UpstreamFailure.Describe(e, MarketsUri)}", e);
        }

        using (response)
        {
            var status = response.StatusCode;
            if (UpstreamFailure.IsThrottle(status, response.Headers.RetryAfter is not null))
            {
                var wait = UpstreamFailure.RetryAfter(response.Headers.RetryAfter, _time.GetUtcNow());
                throw new UpstreamThrottledException($"Gamma: {UpstreamFailure.ThrottleWords(status)}, retry after {UpstreamFailure.Seconds(wait)} s", wait);
            }

            if (!response.IsSuccessStatusCode)
            {
                var reason = string.IsNullOrWhiteSpace(response.ReasonPhrase) ? "" : $" {response.ReasonPhrase}";
                throw new HttpRequestException($"Gamma refused the market list: HTTP {(int)status}{reason}", null, status);
            }

            var body = await ReadCappedAsync(response.Content, cancellationToken).ConfigureAwait(false);
            try
            {
                return GammaMarketListParser.Parse(body.Span, _options.MaxMarkets, _options.KeywordFilter);
            }
            finally
            {
                body.Return();
            }
        }
    }

    /// <summary>The body, refused as soon as it passes the cap (a Content-Length above it is refused before reading).</summary>
    private async Task<PooledBody> ReadCappedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var cap = _options.GammaMaxResponseBytes;
        if (content.Headers.ContentLength > cap)
        {
            throw TooLarge(cap);
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(cap + 1L, content.Headers.ContentLength is { } length ? length + 1 : 64 * 1024));
        var count = 0;
        try
        {
            var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                while (true)
                {
                    if (count == buffer.Length)
                    {
                        var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(cap + 1L, 2L * buffer.Length));
                        buffer.AsSpan(0, count).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }

                    var read = await stream.ReadAsync(buffer.AsMemory(count), cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        return new PooledBody(buffer, count);
                    }

                    count += read;
                    if (count > cap)
                    {
                        throw TooLarge(cap);
                    }
                }
            }
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw new HttpRequestException($"Gamma: the market list broke off while being read ({UpstreamFailure.Describe(e, MarketsUri)})", e);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    private static InvalidDataException TooLarge(int cap) =>
        new($"Gamma's market list is larger than {cap.ToString(CultureInfo.InvariantCulture)} bytes ({PolymarketOptions.SectionName}:{nameof(PolymarketOptions.GammaMaxResponseBytes)}).");

    private readonly record struct PooledBody(byte[] Buffer, int Length)
    {
        public ReadOnlySpan<byte> Span => Buffer.AsSpan(0, Length);

        public void Return() => ArrayPool<byte>.Shared.Return(Buffer);
    }
}
