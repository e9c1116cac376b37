using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace RiskConsole.Tests.Ingest.Reddit;

/// <summary>
/// One way for <see cref="FakeRedditServer"/> to answer a request: the documented answers (the posts, a token, a 429
/// with Retry-After) and every misbehaviour a listener must survive (a status with headers, bytes that are not a
/// Listing, a huge or endless body, a hang, a cut connection).
/// </summary>
public sealed class FakeRedditAnswer
{
    private readonly Func<HttpContext, FakeRedditServer, Task> _write;

    public FakeRedditAnswer(Func<HttpContext, FakeRedditServer, Task> write) => _write = write;

    /// <summary>The body of reddit_error_429.json.</summary>
    public const string TooManyRequestsBody = """{"message": "Too Many Requests", "error": 429}""";

    public Task WriteAsync(HttpContext http, FakeRedditServer server) => _write(http, server);

    /// <summary>200 application/json with <paramref name="body"/> as it is.</summary>
    public static FakeRedditAnswer Json(string body) => Raw(Encoding.UTF8.GetBytes(body), "application/json; charset=UTF-8");

    /// <summary>200 with these bytes and content type (none when null).</summary>
    public static FakeRedditAnswer Raw(byte[] body, string? contentType) => new(async (http, _) =>
    {
        if (contentType is not null)
        {
            http.Response.ContentType = contentType;
        }

        http.Response.ContentLength = body.Length;
        await http.Response.Body.WriteAsync(body, http.RequestAborted);
    });

    /// <summary>The listing of these posts, whatever the server holds (e.g. one post again, or posts of another subreddit).</summary>
    public static FakeRedditAnswer Listing(params FakeRedditPost[] posts) => Json(FakeRedditServer.ListingJson(posts));

    /// <summary>A refusal with <paramref name="status"/>, an optional JSON body and headers (e.g. Retry-After).</summary>
    public static FakeRedditAnswer Status(int status, string? body = null, params (string Name, string Value)[] headers) => new(async (http, _) =>
    {
        http.Response.StatusCode = status;
        foreach (var (name, value) in headers)
        {
            http.Response.Headers[name] = value;
        }

        if (body is not null)
        {
            http.Response.ContentType = "application/json; charset=UTF-8";
            await http.Response.WriteAsync(body, http.RequestAborted);
        }
    });

    /// <summary>429 with reddit_error_429.json's body, Retry-After when given, and X-Ratelimit-Reset when given.</summary>
    public static FakeRedditAnswer TooManyRequests(int? retryAfterSeconds, int? resetSeconds = null)
    {
        var headers = new List<(string, string)>();
        if (retryAfterSeconds is { } retry)
        {
            headers.Add(("Retry-After", retry.ToString(CultureInfo.InvariantCulture)));
        }

        if (resetSeconds is { } reset)
        {
            headers.Add(("X-Ratelimit-Remaining", "0.0"));
            headers.Add(("X-Ratelimit-Reset", reset.ToString(CultureInfo.InvariantCulture)));
        }

        return Status(429, TooManyRequestsBody, [.. headers]);
    }

    /// <summary>A redirect, as Reddit sends an unknown subreddit to its search page.</summary>
    public static FakeRedditAnswer Redirect(string location, int status = 302) => Status(status, null, ("Location", location));

    /// <summary>200 JSON of <paramref name="bytes"/> bytes (a valid-looking start, then filler), with or without Content-Length.</summary>
    public static FakeRedditAnswer Huge(int bytes, bool chunked) => new(async (http, _) =>
    {
        http.Response.ContentType = "application/json";
        if (!chunked)
        {
            http.Response.ContentLength = bytes;
        }

        var block = new byte[64 * 1024];
        block.AsSpan().Fill((byte)' ');
        for (var sent = 0; sent < bytes && !http.RequestAborted.IsCancellationRequested; sent += block.Length)
        {
            await http.Response.Body.WriteAsync(block.AsMemory(0, Math.Min(block.Length, bytes - sent)), http.RequestAborted);
        }
    });

    /// <summary>200 JSON that never ends: one byte every <paramref name="every"/> until the client hangs up.</summary>
    public static FakeRedditAnswer Trickle(TimeSpan every) => new(async (http, _) =>
    {
        http.Response.ContentType = "application/json";
        await http.Response.Body.WriteAsync("{\"kind\": \"Listing\", "u8.ToArray(), http.RequestAborted);
        await http.Response.Body.FlushAsync(http.RequestAborted);
        while (!http.RequestAborted.IsCancellationRequested)
        {
            await Task.Delay(every, http.RequestAborted);
            await http.Response.Body.WriteAsync(" "u8.ToArray(), http.RequestAborted);
            await http.Response.Body.FlushAsync(http.RequestAborted);
        }
    });

    /// <summary>Goes silent: no answer until the client gives up.</summary>
    public static FakeRedditAnswer Hang() => new((http, _) => Task.Delay(Timeout.Infinite, http.RequestAborted));

    /// <summary>Closes the connection without answering.</summary>
    public static FakeRedditAnswer Close() => new((http, _) =>
    {
        http.Abort();
        return Task.CompletedTask;
    });

    /// <summary>Starts a 200 answer, sends part of it, then closes the connection.</summary>
    public static FakeRedditAnswer CloseMidAnswer() => new(async (http, _) =>
    {
        http.Response.ContentType = "application/json";
        http.Response.ContentLength = 10_000;
        await http.Response.Body.WriteAsync("{\"kind\": \"Listing\", \"data\": {\"children\": ["u8.ToArray(), http.RequestAborted);
        await http.Response.Body.FlushAsync(http.RequestAborted);
        http.Abort();
    });
}
