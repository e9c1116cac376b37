using RiskConsole.Core.Signals;

namespace RiskConsole.Tests.Ingest;

/// <summary>
/// A generator for the source tests: hands out its signals due by a time, each once, like the mock generators, and
/// completes <see cref="HandedOut"/> once it has handed out the last one, so a test can await that moment.
/// </summary>
internal sealed class Script(IReadOnlyList<MarketSignal> signals)
{
    private readonly TaskCompletionSource _handedOut = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _next;

    public Task HandedOut => _handedOut.Task;

    public IReadOnlyList<MarketSignal> DueBy(DateTimeOffset now)
    {
        var due = new List<MarketSignal>();
        while (_next < signals.Count && signals[_next].Timestamp <= now)
        {
            due.Add(signals[_next++]);
        }

        if (_next == signals.Count)
        {
            _handedOut.TrySetResult();
        }

        return due;
    }
}
