using System.Buffers;
using System.Net;

namespace RiskConsole.Ingest.Reddit;

/// <summary>
/// One answer from Reddit: its status, what its headers said about the rate budget, where a redirect pointed, and for a
/// 200 the body (read into a pooled buffer, returned on <see cref="Dispose"/>) or the reason it was not read.
/// </summary>
internal sealed class RedditHttpAnswer : IDisposable
{
    private byte[]? _buffer;
    private readonly int _length;

    public RedditHttpAnswer(HttpStatusCode status, RedditRateLimit rateLimit, Uri? location, byte[]? buffer, int length, string? bodyRejection)
    {
        Status = status;
        RateLimit = rateLimit;
        Location = location;
        _buffer = buffer;
        _length = length;
        BodyRejection = bodyRejection;
    }

    public HttpStatusCode Status { get; }

    public RedditRateLimit RateLimit { get; }

    public Uri? Location { get; }

    /// <summary>Why the body of a 200 was not taken (too large, not JSON, not complete in time); null when it was.</summary>
    public string? BodyRejection { get; }

    public ReadOnlySpan<byte> Body => _buffer is null ? default : _buffer.AsSpan(0, _length);

    public void Dispose()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
