using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using RiskConsole.Tests.Server.Infrastructure;

namespace RiskConsole.Tests.Ai.Voice;

/// <summary>A local stand-in for the ElevenLabs text-to-speech API on 127.0.0.1: the real HttpClient code talks to it.</summary>
public sealed class FakeElevenLabsServer : IAsyncDisposable
{
    public static readonly byte[] Mp3 = [0xFF, 0xFB, 0x90, 0x64, 1, 2, 3, 4, 5, 6, 7, 8];

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Func<HttpContext, Task>> _answers = new();

    private FakeElevenLabsServer(WebApplication app) => _app = app;

    public string BaseUrl { get; private init; } = null!;

    public ConcurrentQueue<(string Path, string Query, string? Key, JsonDocument Body)> Requests { get; } = new();

    public Func<HttpContext, Task> Default { get; set; } = Audio();

    public static async Task<FakeElevenLabsServer> StartAsync()
    {
        FakeElevenLabsServer? server = null;
        var (app, baseUrl) = await LoopbackWebApp.StartAsync(app => app.MapPost("/v1/text-to-speech/{voice}", async (HttpContext http) =>
        {
            var body = await JsonDocument.ParseAsync(http.Request.Body);
            server!.Requests.Enqueue((http.Request.Path, http.Request.QueryString.Value ?? "", http.Request.Headers["xi-api-key"].ToString(), body));
            await (server._answers.TryDequeue(out var next) ? next : server.Default)(http);
        }));
        server = new FakeElevenLabsServer(app) { BaseUrl = baseUrl };
        return server;
    }

    public void Then(Func<HttpContext, Task> answer) => _answers.Enqueue(answer);

    public static Func<HttpContext, Task> Audio(Task? gate = null) => async http =>
    {
        if (gate is not null)
        {
            await gate.WaitAsync(TimeSpan.FromSeconds(10));
        }

        http.Response.ContentType = "audio/mpeg";
        await http.Response.Body.WriteAsync(Mp3);
    };

    public static Func<HttpContext, Task> Status(int status) => http =>
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync("""{"detail":{"status":"error","message":"no"}}""");
    };

    /// <summary>An "audio" answer of <paramref name="bytes"/> bytes, streamed without a Content-Length when <paramref name="chunked"/>.</summary>
    public static Func<HttpContext, Task> Huge(int bytes, bool chunked) => async http =>
    {
        http.Response.ContentType = "audio/mpeg";
        if (!chunked)
        {
            http.Response.ContentLength = bytes;
        }

        var block = new byte[64 * 1024];
        for (var sent = 0; sent < bytes && !http.RequestAborted.IsCancellationRequested; sent += block.Length)
        {
            await http.Response.Body.WriteAsync(block.AsMemory(0, Math.Min(block.Length, bytes - sent)), http.RequestAborted);
        }
    };

    public static Func<HttpContext, Task> EmptyAudio() => http =>
    {
        http.Response.ContentType = "audio/mpeg";
        return Task.CompletedTask;
    };

    /// <summary>Promises more bytes than it sends, then drops the connection.</summary>
    public static Func<HttpContext, Task> Truncated() => async http =>
    {
        http.Response.ContentType = "audio/mpeg";
        http.Response.ContentLength = 10_000;
        await http.Response.Body.WriteAsync(Mp3);
        await http.Response.Body.FlushAsync();
        http.Abort();
    };

    /// <summary>Never answers until the client gives up.</summary>
    public static Func<HttpContext, Task> Hang() => http => Task.Delay(Timeout.Infinite, http.RequestAborted);

    public static Func<HttpContext, Task> JsonWith200() => http =>
    {
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync("""{"detail":"quota exceeded"}""");
    };

    public async ValueTask DisposeAsync()
    {
        foreach (var request in Requests)
        {
            request.Body.Dispose();
        }

        await _app.DisposeAsync();
    }
}
