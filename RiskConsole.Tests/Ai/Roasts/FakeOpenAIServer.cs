using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using RiskConsole.Tests.Server.Infrastructure;

namespace RiskConsole.Tests.Ai.Roasts;

/// <summary>
/// A local stand-in for the OpenAI chat-completions API on 127.0.0.1 (the real one cannot be reached from here): the
/// real SDK talks to it. Each request is recorded; what it answers is set per test.
/// </summary>
public sealed class FakeOpenAIServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Func<HttpContext, Task>> _answers = new();

    private FakeOpenAIServer(WebApplication app) => _app = app;

    public Uri Endpoint { get; private init; } = null!;

    public ConcurrentQueue<(string? Authorization, JsonDocument Body)> Requests { get; } = new();

    /// <summary>What every request gets when no queued answer is left.</summary>
    public Func<HttpContext, Task> Default { get; set; } = Completion("Risk 87/100 and BTC is doing its best impression of a falling knife.");

    public static async Task<FakeOpenAIServer> StartAsync()
    {
        FakeOpenAIServer? server = null;
        var (app, baseUrl) = await LoopbackWebApp.StartAsync(app => app.MapPost("/v1/chat/completions", async (HttpContext http) =>
        {
            var body = await JsonDocument.ParseAsync(http.Request.Body);
            server!.Requests.Enqueue((http.Request.Headers.Authorization.ToString(), body));
            await (server._answers.TryDequeue(out var next) ? next : server.Default)(http);
        }));
        server = new FakeOpenAIServer(app) { Endpoint = new Uri(baseUrl + "/v1") };
        return server;
    }

    public void Then(Func<HttpContext, Task> answer) => _answers.Enqueue(answer);

    public static Func<HttpContext, Task> Completion(string content) => http =>
    {
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            id = "chatcmpl-test",
            @object = "chat.completion",
            created = 1_700_000_000,
            model = "gpt-4o",
            choices = new[] { new { index = 0, message = new { role = "assistant", content }, finish_reason = "stop" } },
            usage = new { prompt_tokens = 10, completion_tokens = 10, total_tokens = 20 },
        }));
    };

    public static Func<HttpContext, Task> Status(int status, string? retryAfter = null) => http =>
    {
        http.Response.StatusCode = status;
        if (retryAfter is not null)
        {
            http.Response.Headers.RetryAfter = retryAfter;
        }

        // Some providers quote the credential they refused; the writer must not pass that on.
        http.Response.ContentType = "application/json";
        var echoed = http.Request.Headers.Authorization.ToString().Replace("\"", "", StringComparison.Ordinal);
        return http.Response.WriteAsync(JsonSerializer.Serialize(new { error = new { message = $"not today for {echoed}", type = "server_error" } }));
    };

    public static Func<HttpContext, Task> NoChoices() => http =>
    {
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync("""{"id":"x","object":"chat.completion","created":1,"model":"gpt-4o","choices":[]}""");
    };

    /// <summary>Never answers until the client gives up.</summary>
    public static Func<HttpContext, Task> Hang() => http => Task.Delay(Timeout.Infinite, http.RequestAborted);

    public async ValueTask DisposeAsync()
    {
        foreach (var (_, body) in Requests)
        {
            body.Dispose();
        }

        await _app.DisposeAsync();
    }
}
