using RiskConsole.Core.Signals;
using RiskConsole.Ingest.Live;

namespace RiskConsole.Tests.Ingest.Live;

/// <summary>
/// An <see cref="ILiveFeedSink"/> that records what a listener reports (messages, connected details, rejections,
/// signals) and lets a test await a count of each, so tests wait for events, never for time.
/// </summary>
public sealed class RecordingFeedSink : ILiveFeedSink
{
    /// <summary>How long a wait may take before the test fails; generous, because it only bounds a failing test.</summary>
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private readonly List<MarketSignal> _signals = [];
    private readonly List<string> _connected = [];
    private readonly List<string> _rejections = [];
    private readonly List<(Func<bool> Condition, TaskCompletionSource Done)> _waiters = [];
    private int _messages;

    public int Messages
    {
        get
        {
            lock (_gate)
            {
                return _messages;
            }
        }
    }

    public IReadOnlyList<MarketSignal> Signals => Snapshot(_signals);

    public IReadOnlyList<string> ConnectedDetails => Snapshot(_connected);

    public IReadOnlyList<string> Rejections => Snapshot(_rejections);

    public void MessageReceived() => Record(() => _messages++);

    public void Connected(string detail) => Record(() => _connected.Add(detail));

    public void FrameRejected(string reason) => Record(() => _rejections.Add(reason));

    public ValueTask PublishAsync(MarketSignal signal, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Record(() => _signals.Add(signal));
        return ValueTask.CompletedTask;
    }

    public Task WaitForMessagesAsync(int count, TimeSpan? limit = null) =>
        WaitAsync(() => _messages >= count, $"{count} messages", limit);

    public Task WaitForConnectedAsync(int count = 1, TimeSpan? limit = null) =>
        WaitAsync(() => _connected.Count >= count, $"{count} connected reports", limit);

    public Task WaitForRejectionsAsync(int count, TimeSpan? limit = null) =>
        WaitAsync(() => _rejections.Count >= count, $"{count} rejections", limit);

    public Task WaitForSignalsAsync(int count, TimeSpan? limit = null) =>
        WaitAsync(() => _signals.Count >= count, $"{count} signals", limit);

    /// <summary>Completes once <paramref name="condition"/> (evaluated under the sink's lock) holds; fails after the limit.</summary>
    public async Task WaitAsync(Func<bool> condition, string what, TimeSpan? limit = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (condition())
            {
                return;
            }

            _waiters.Add((condition, done));
        }

        try
        {
            await done.Task.WaitAsync(limit ?? DefaultWait);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"waited {(limit ?? DefaultWait).TotalSeconds} s for {what}; recorded {Describe()}");
        }
    }

    public string Describe()
    {
        lock (_gate)
        {
            return $"{_messages} messages, {_connected.Count} connected, {_signals.Count} signals, rejections: [{string.Join("; ", _rejections)}]";
        }
    }

    private void Record(Action change)
    {
        lock (_gate)
        {
            change();
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Condition())
                {
                    _waiters[i].Done.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    private List<T> Snapshot<T>(List<T> list)
    {
        lock (_gate)
        {
            return [.. list];
        }
    }
}
