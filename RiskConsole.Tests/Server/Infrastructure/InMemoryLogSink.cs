using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace RiskConsole.Tests.Server.Infrastructure;

/// <summary>Every Serilog event the server writes, rendered with its properties and exception, for assertions; and a way to await lines.</summary>
public sealed class InMemoryLogSink : ILogEventSink
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private readonly ConcurrentQueue<string> _lines = new();
    private readonly Lock _gate = new();
    private readonly List<(Func<IReadOnlyList<string>, bool> Condition, TaskCompletionSource Met)> _waiters = [];

    public IReadOnlyList<string> Lines => [.. _lines];

    public void Emit(LogEvent logEvent)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
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

        _lines.Enqueue($"{logEvent.Level} {writer}");
        lock (_gate)
        {
            if (_waiters.Count == 0)
            {
                return;
            }

            var lines = Lines;
            _waiters.RemoveAll(waiter =>
            {
                if (!waiter.Condition(lines))
                {
                    return false;
                }

                waiter.Met.TrySetResult();
                return true;
            });
        }
    }

    /// <summary>The first line, already written or still to come, that matches.</summary>
    public async Task<string> WaitForLine(Func<string, bool> match, string what, TimeSpan? timeout = null)
    {
        await WaitUntil(lines => lines.Any(match), what, timeout);
        return Lines.First(match);
    }

    /// <summary>Completes once <paramref name="condition"/> holds for the lines written so far; checked after every line.</summary>
    public async Task WaitUntil(Func<IReadOnlyList<string>, bool> condition, string what, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var met = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (condition(Lines))
            {
                return;
            }

            _waiters.Add((condition, met));
        }

        var limit = timeout ?? DefaultTimeout;
        try
        {
            await met.Task.WaitAsync(limit);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"not logged within {limit.TotalSeconds} s: {what}; last lines: {string.Join(" | ", Lines.TakeLast(20))}");
        }
    }
}
