using Microsoft.Extensions.Logging;

namespace RiskConsole.Tests.Engine.Publishing;

public sealed record LogEntry(LogLevel Level, string Message, Exception? Exception);

/// <summary>
/// Every event a component logs, rendered, with a way to await one; and a way to hold the logging thread on a
/// matching event, which is what a log sink that blocks (a full pipe, a slow disk) does to its caller.
/// </summary>
public sealed class RecordingLogger<T> : ILogger<T>
{
    private readonly Lock _gate = new();
    private readonly List<LogEntry> _entries = [];
    private readonly List<(Func<LogEntry, bool> Match, TaskCompletionSource<LogEntry> Found)> _waiters = [];
    private readonly ManualResetEventSlim _released = new(initialState: false);
    private Func<LogEntry, bool>? _holdWhen;

    public IReadOnlyList<LogEntry> Entries
    {
        get
        {
            lock (_gate)
            {
                return [.. _entries];
            }
        }
    }

    /// <summary>Completed when a held event arrives: the thread that logged it is now blocked until <see cref="Release"/>.</summary>
    public TaskCompletionSource Holding { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void HoldWhen(Func<LogEntry, bool> match) => _holdWhen = match;

    public void Release() => _released.Set();

    /// <summary>The first event, already logged or still to come, that matches.</summary>
    public async Task<LogEntry> WaitFor(Func<LogEntry, bool> match, string what)
    {
        var found = new TaskCompletionSource<LogEntry>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            var logged = _entries.FirstOrDefault(match);
            if (logged is not null)
            {
                return logged;
            }

            _waiters.Add((match, found));
        }

        try
        {
            return await found.Task.WaitAsync(RouterHarness.Timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"not logged within {RouterHarness.Timeout.TotalSeconds} s: {what}; logged: {string.Join(" | ", Entries.Select(e => e.Message))}");
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var entry = new LogEntry(logLevel, formatter(state, exception), exception);
        lock (_gate)
        {
            _entries.Add(entry);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Match(entry))
                {
                    _waiters[i].Found.TrySetResult(entry);
                    _waiters.RemoveAt(i);
                }
            }
        }

        if (_holdWhen?.Invoke(entry) == true)
        {
            Holding.TrySetResult();
            if (!_released.Wait(RouterHarness.Timeout))
            {
                throw new TimeoutException("a held log event was never released");
            }
        }
    }
}
