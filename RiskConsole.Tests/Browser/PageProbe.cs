using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace RiskConsole.Tests.Browser;

/// <summary>
/// Watches one page from the moment it is created: console errors and uncaught exceptions, requests that failed or
/// were answered 4xx/5xx, every URL the page asked for (to prove it stays on its own server), and its WebSockets.
/// </summary>
public sealed class PageProbe
{
    public PageProbe(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        page.Console += (_, message) =>
        {
            if (message.Type is "error")
            {
                Errors.Add($"console.error: {message.Text}");
            }
        };
        page.PageError += (_, error) => Errors.Add($"uncaught: {error}");
        page.RequestFailed += (_, request) => FailedRequests.Add($"{request.Method} {request.Url}: {request.Failure}");
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                FailedRequests.Add($"{response.Request.Method} {response.Url}: {response.Status}");
            }
        };
        page.Request += (_, request) => Requests.Add(request.Url);
        page.WebSocket += (_, socket) =>
        {
            WebSockets.Add(socket.Url);
            socket.Close += (_, _) => ClosedWebSockets.Add(socket.Url);
        };
    }

    public ConcurrentBag<string> Errors { get; } = [];

    public ConcurrentBag<string> FailedRequests { get; } = [];

    public ConcurrentBag<string> Requests { get; } = [];

    public ConcurrentBag<string> WebSockets { get; } = [];

    public ConcurrentBag<string> ClosedWebSockets { get; } = [];
}
