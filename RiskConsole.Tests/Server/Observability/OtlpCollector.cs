using System.Text;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using RiskConsole.Tests.Server.Infrastructure;

namespace RiskConsole.Tests.Server.Observability;

/// <summary>A stand-in OTLP/HTTP collector on 127.0.0.1: records every POST to /v1/metrics and /v1/traces and answers 200.</summary>
public sealed class OtlpCollector : IAsyncDisposable
{
    private readonly Channel<OtlpPost> _posts = Channel.CreateUnbounded<OtlpPost>();
    private WebApplication? _app;

    public string BaseUrl { get; private set; } = "";

    public static async Task<OtlpCollector> StartAsync()
    {
        var collector = new OtlpCollector();
        (collector._app, collector.BaseUrl) = await LoopbackWebApp.StartAsync(app =>
        {
            foreach (var path in new[] { "/v1/metrics", "/v1/traces" })
            {
                app.MapPost(path, async (HttpContext http) =>
                {
                    using var body = new MemoryStream();
                    await http.Request.Body.CopyToAsync(body);
                    collector._posts.Writer.TryWrite(new OtlpPost(path, http.Request.ContentType, body.ToArray()));
                    return Results.Ok();
                });
            }
        });
        return collector;
    }

    /// <summary>The first POST to <paramref name="path"/> whose protobuf body holds <paramref name="text"/> (names travel as plain UTF-8).</summary>
    public async Task<OtlpPost> Next(string path, string text, TimeSpan timeout)
    {
        var wanted = Encoding.UTF8.GetBytes(text);
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var post = await _posts.Reader.ReadAsync(cts.Token);
                if (post.Path == path && post.Body.AsSpan().IndexOf(wanted) >= 0)
                {
                    return post;
                }
            }
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            throw new TimeoutException($"no OTLP POST to {path} holding '{text}' within {timeout.TotalSeconds} s");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}

public sealed record OtlpPost(string Path, string? ContentType, byte[] Body)
{
    public bool Holds(string text) => Body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;
}
