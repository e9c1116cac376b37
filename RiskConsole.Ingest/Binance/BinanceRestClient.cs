using System.Net;
using System.Net.Http;
using Microsoft.Extensions.Options;

namespace RiskConsole.Ingest.Binance;

/// <summary>What one <c>GET /api/v3/ticker/price</c> answered: its status, its body (when it fitted), and how long to stay away.</summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Length">How many bytes of the body are in the caller's buffer.</param>
/// <param name="TooLarge">The body did not fit in the buffer (it was not read further).</param>
/// <param name="RetryAfter">The Retry-After header as a wait from now, when there was one.</param>
public readonly record struct BinanceRestAnswer(HttpStatusCode Status, int Length, bool TooLarge, TimeSpan? RetryAfter);

/// <summary>
/// The typed HttpClient for Binance's public REST market data, used while the stream is refused. It asks for the price
/// of every configured symbol in one call (<c>symbols=["BTCUSDT",...]</c>, request weight 4, so polling every 2 s uses
/// 2 % of the 6,000-a-minute allowance) and hands the body back in the caller's buffer, never reading more than fits.
/// Statuses are left to the caller: 429 and 418 call for waits that only the feed can decide on.
/// </summary>
public sealed class BinanceRestClient
{
    private readonly HttpClient _http;
    private readonly TimeProvider _time;

    public BinanceRestClient(HttpClient http, IOptions<BinanceOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _http = http ?? throw new ArgumentNullException(nameof(http));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        TickerPriceUri = TickerPriceUriFor(options.Value.RestUrl, options.Value.EffectiveSymbols);
    }

    /// <summary><c>{RestUrl}/api/v3/ticker/price?symbols=[...]</c> for the configured symbols.</summary>
    public Uri TickerPriceUri { get; }

    public static Uri TickerPriceUriFor(string restUrl, IReadOnlyList<string> symbols)
    {
        ArgumentNullException.ThrowIfNull(restUrl);
        ArgumentNullException.ThrowIfNull(symbols);
        var list = "[" + string.Join(",", symbols.Select(s => $"\"{s.ToUpperInvariant()}\"")) + "]";
        return new Uri($"{restUrl.TrimEnd('/')}/api/v3/ticker/price?symbols={Uri.EscapeDataString(list)}");
    }

    /// <summary>
    /// Fetches the prices into <paramref name="buffer"/>. Network failures throw as HttpClient throws them (after the
    /// resilience handler's retries); any answer, whatever its status, is returned.
    /// </summary>
    public async Task<BinanceRestAnswer> GetTickerPricesAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        using var request = new HttpRequestMessage(HttpMethod.Get, TickerPriceUri);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var retryAfter = response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - _time.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
            _ => (TimeSpan?)null,
        };

        if (response.Content.Headers.ContentLength > buffer.Length)
        {
            return new BinanceRestAnswer(response.StatusCode, 0, true, retryAfter);
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                // Full: one more byte means the body is larger than allowed.
                var probe = new byte[1];
                return await body.ReadAsync(probe, cancellationToken) == 0
                    ? new BinanceRestAnswer(response.StatusCode, length, false, retryAfter)
                    : new BinanceRestAnswer(response.StatusCode, 0, true, retryAfter);
            }

            var read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken);
            if (read == 0)
            {
                return new BinanceRestAnswer(response.StatusCode, length, false, retryAfter);
            }

            length += read;
        }
    }
}
