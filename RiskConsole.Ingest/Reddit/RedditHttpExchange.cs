using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace RiskConsole.Ingest.Reddit;

/// <summary>
/// Sends one request to Reddit and reads its answer within bounds, turning every way it can fail into a sentence a user
/// can act on (the message becomes the source's last error and the probe command's output):
/// the answer's headers must arrive within the connect timeout (a server that accepts the connection and never answers
/// is a <see cref="TimeoutException"/>); a 200's body must be JSON, at most the size cap, and complete within the same
/// time again, or it is rejected with its reason (a bad answer, not a broken connection: polling goes on).
/// Timeouts run on the injected <see cref="TimeProvider"/>.
/// </summary>
internal static class RedditHttpExchange
{
    private const int FirstBufferBytes = 64 * 1024;

    public static async Task<RedditHttpAnswer> SendAsync(
        HttpClient http, HttpRequestMessage request, TimeSpan answerTimeout, int maxBodyBytes, TimeProvider time, CancellationToken cancellationToken)
    {
        var target = request.RequestUri!;
        HttpResponseMessage response;
        using (var timeout = new CancellationTokenSource(answerTimeout, time))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token))
        {
            try
            {
                response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"{HostOf(target)} did not answer {target.AbsolutePath} within {Seconds(answerTimeout)} s (Ingest:ConnectTimeoutSeconds)");
            }
            catch (HttpRequestException e)
            {
                throw Plain(e, target);
            }
        }

        using (response)
        {
            var rateLimit = RedditRateLimit.From(response.Headers, time.GetUtcNow());
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return new RedditHttpAnswer(response.StatusCode, rateLimit, response.Headers.Location, null, 0, null);
            }

            if (NotJson(response.Content.Headers.ContentType) is { } notJson)
            {
                return new RedditHttpAnswer(response.StatusCode, rateLimit, null, null, 0, notJson);
            }

            if (response.Content.Headers.ContentLength is { } declared && declared > maxBodyBytes)
            {
                return new RedditHttpAnswer(response.StatusCode, rateLimit, null, null, 0, TooLarge(maxBodyBytes, declared));
            }

            return await ReadBodyAsync(response, target, rateLimit, answerTimeout, maxBodyBytes, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<RedditHttpAnswer> ReadBodyAsync(
        HttpResponseMessage response, Uri target, RedditRateLimit rateLimit, TimeSpan answerTimeout, int maxBodyBytes, TimeProvider time, CancellationToken cancellationToken)
    {
        // The buffer holds one byte more than the cap, so a body that passes the cap is seen without reading all of it.
        var capacity = maxBodyBytes + 1;
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(capacity, (int)Math.Min(response.Content.Headers.ContentLength ?? FirstBufferBytes, FirstBufferBytes) + 1));
        var length = 0;
        string? rejection = null;
        using var timeout = new CancellationTokenSource(answerTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(linked.Token).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                while (true)
                {
                    // The pool may hand out more than asked for; never read past the cap's extra byte.
                    var room = Math.Min(buffer.Length, capacity);
                    if (length == room)
                    {
                        if (room == capacity)
                        {
                            rejection = TooLarge(maxBodyBytes, null);
                            break;
                        }

                        var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(capacity, 2L * buffer.Length));
                        buffer.AsSpan(0, length).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                        room = Math.Min(buffer.Length, capacity);
                    }

                    var read = await stream.ReadAsync(buffer.AsMemory(length, room - length), linked.Token).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }

                    length += read;
                }
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // An endless trickle: the answer is dropped like a bad frame; the next poll is a new request.
            rejection = $"answer not complete within {Seconds(answerTimeout)} s (a trickle), dropped after {length} bytes";
        }
        catch (HttpRequestException e)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw Plain(e, target);
        }
        catch (IOException e)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw new HttpRequestException(HttpRequestError.ResponseEnded, $"{HostOf(target)} closed the connection in the middle of the answer ({e.Message})");
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }

        if (rejection is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return new RedditHttpAnswer(response.StatusCode, rateLimit, null, null, 0, rejection);
        }

        return new RedditHttpAnswer(response.StatusCode, rateLimit, null, buffer, length, null);
    }

    /// <summary>Why a declared content type is not JSON, or null when it is (or none was declared: the parser decides).</summary>
    private static string? NotJson(MediaTypeHeaderValue? contentType)
    {
        var media = contentType?.MediaType;
        if (media is null
            || media.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || media.Equals("text/json", StringComparison.OrdinalIgnoreCase)
            || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (media.Equals("text/html", StringComparison.OrdinalIgnoreCase))
        {
            return "an HTML page, not JSON (Reddit's block or maintenance page?)";
        }

        return media.StartsWith("text/", StringComparison.OrdinalIgnoreCase) ? $"not JSON ({media})" : $"a binary answer ({media}), not JSON";
    }

    private static string TooLarge(int maxBodyBytes, long? declared) => declared is { } size
        ? $"answer of {size} bytes is larger than the {maxBodyBytes} byte cap (Ingest:Reddit:MaxResponseBytes)"
        : $"answer larger than the {maxBodyBytes} byte cap (Ingest:Reddit:MaxResponseBytes), dropped unread";

    /// <summary>
    /// The same failure, said plainly: DNS, refused connection, TLS, a connection closed before the answer. The socket
    /// or TLS error's own text is part of the message; the original is not kept as the inner exception, because
    /// <c>UpstreamFailure.Describe</c> replaces the message of an HttpRequestException that has one with a generic
    /// sentence that no longer names the host.
    /// </summary>
    internal static HttpRequestException Plain(HttpRequestException e, Uri target)
    {
        var host = HostOf(target);
        var message = e.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError => $"DNS: no such host {target.Host}",
            HttpRequestError.ConnectionError => $"cannot connect to {host}: {Innermost(e).Message}",
            HttpRequestError.SecureConnectionError => $"TLS handshake with {host} failed: {Innermost(e).Message}",
            _ when ClosedByPeer(e) => $"{host} closed the connection before answering ({Innermost(e).Message})",
            HttpRequestError.InvalidResponse => $"{host} sent an answer that is not valid HTTP",
            HttpRequestError.ProxyTunnelError => $"the proxy refused the tunnel to {host}",
            _ => $"request to {host} failed: {Innermost(e).Message}",
        };
        return new HttpRequestException(e.HttpRequestError, message);
    }

    internal static string HostOf(Uri target) => target.IsDefaultPort ? target.Host : $"{target.Host}:{target.Port.ToString(CultureInfo.InvariantCulture)}";

    internal static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>The server ended the connection: an early end of the answer, or a reset (what a crashing or aborting server sends).</summary>
    private static bool ClosedByPeer(HttpRequestException e) =>
        e.HttpRequestError == HttpRequestError.ResponseEnded
        || Innermost(e) is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.ConnectionReset or System.Net.Sockets.SocketError.ConnectionAborted };

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is { } inner)
        {
            e = inner;
        }

        return e;
    }
}
