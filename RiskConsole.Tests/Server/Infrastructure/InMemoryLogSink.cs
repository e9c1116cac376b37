using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace RiskConsole.Tests.Server.Infrastructure;

/// <summary>Every Serilog event the server writes, rendered with its properties and exception, for assertions.</summary>
public sealed class InMemoryLogSink : ILogEventSink
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly Lock _gate = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> _waiters = [];

    public IReadOnlyList<string> Lines => [.. _lines];

    /// <summary>The first line (already written or still to come) that matches, or a TimeoutException.</summary>
    public async Task<string> WaitForAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _waiters.Add((match, found));
        }

        if (_lines.FirstOrDefault(match) is { } line)
        {
            found.TrySetResult(line);
        }

        try
        {
            return await found.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No matching log line within {timeout.TotalSeconds} s.");
        }
        finally
        {
            lock (_gate)
            {
                _waiters.RemoveAll(waiter => waiter.Found == found);
            }
        }
    }

    public void Emit(LogEvent logEvent)
    {
        using var writer = new StringWriter();
        logEvent.RenderMessage(writer);
        foreach (var (name, value) in logEvent.Properties)
        {
            writer.Write($" {name}={value}");
        }

        if (logEvent.Exception is not null)
        {
            writer.Write(" " + logEvent.Exception);
        }

        var line = $"{logEvent.Level} {writer}";
        _lines.Enqueue(line);
        lock (_gate)
        {
            foreach (var (match, found) in _waiters)
            {
                if (match(line))
                {
                    found.TrySetResult(line);
                }
            }
        }
    }
}
