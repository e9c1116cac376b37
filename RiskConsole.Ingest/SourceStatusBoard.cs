using RiskConsole.Core.Contracts;

namespace RiskConsole.Ingest;

/// <summary>
/// Where each source reports its mode (live, mock, connecting, down ...) and why, when it last produced a signal, and
/// what its upstream has sent and done wrong. Health checks, /health, /stats, GetStatus and the dashboard read it;
/// <see cref="ModeChanged"/> tells the engine when a source switches, so users get one alert per switch. Thread-safe.
/// </summary>
public sealed class SourceStatusBoard(TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, SourceStatus> _sources = new(StringComparer.Ordinal);

    /// <summary>
    /// Raised after a source's mode changed (not for a new detail in the same mode), outside the board's lock, on the
    /// reporting thread: a handler must be quick and must not throw.
    /// </summary>
    public event Action<SourceModeChange>? ModeChanged;

    public void Report(string source, string mode, bool healthy, string? detail = null)
    {
        SourceModeChange? change = null;
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            if (_sources.TryGetValue(source, out var existing))
            {
                var changed = !string.Equals(existing.Mode, mode, StringComparison.Ordinal);
                _sources[source] = existing with { Mode = mode, Healthy = healthy, Detail = detail, Since = changed ? now : existing.Since };
                if (changed)
                {
                    change = new SourceModeChange(source, existing.Mode, mode, detail, now);
                }
            }
            else
            {
                _sources[source] = new SourceStatus(source, mode, healthy, detail, null) { Since = now };
                change = new SourceModeChange(source, null, mode, detail, now);
            }
        }

        if (change is not null)
        {
            ModeChanged?.Invoke(change);
        }
    }

    /// <summary>Records that <paramref name="source"/> produced a signal at <paramref name="at"/>.</summary>
    public void Touch(string source, DateTimeOffset at) =>
        Update(source, at, static (existing, time) => existing.LastSignalAt >= time ? existing : existing with { LastSignalAt = time });

    /// <summary>Counts one message from the source's live upstream, received at <paramref name="at"/>.</summary>
    public void CountMessage(string source, DateTimeOffset at) =>
        Update(source, at, static (existing, time) => existing with { Messages = existing.Messages + 1, LastMessageAt = time });

    /// <summary>Counts one upstream message dropped for <paramref name="reason"/>.</summary>
    public void CountRejected(string source, string reason) =>
        Update(source, (Reason: reason, At: _time.GetUtcNow()), static (existing, arg) => existing with
        {
            Rejected = existing.Rejected + 1,
            LastError = "message dropped: " + arg.Reason,
            LastErrorAt = arg.At,
        });

    /// <summary>Counts one failed or lost upstream connection, <paramref name="reason"/> in plain words.</summary>
    public void CountError(string source, string reason) =>
        Update(source, (Reason: reason, At: _time.GetUtcNow()), static (existing, arg) => existing with
        {
            Errors = existing.Errors + 1,
            LastError = arg.Reason,
            LastErrorAt = arg.At,
        });

    public IReadOnlyList<SourceStatus> Snapshot()
    {
        lock (_lock)
        {
            return [.. _sources.Values.OrderBy(s => s.Source, StringComparer.Ordinal)];
        }
    }

    public SourceStatus? Get(string source)
    {
        lock (_lock)
        {
            return _sources.TryGetValue(source, out var status) ? status : null;
        }
    }

    private void Update<T>(string source, T arg, Func<SourceStatus, T, SourceStatus> update)
    {
        lock (_lock)
        {
            // A count before the source reported a mode creates it as starting, as a signal always has.
            var existing = _sources.TryGetValue(source, out var status)
                ? status
                : new SourceStatus(source, SourceModes.Starting, true, null, null) { Since = _time.GetUtcNow() };
            _sources[source] = update(existing, arg);
        }
    }
}

/// <summary>A source went from <see cref="From"/> (null when it first reported) to <see cref="To"/> at <see cref="At"/>.</summary>
public sealed record SourceModeChange(string Source, string? From, string To, string? Detail, DateTimeOffset At);
