using RiskConsole.Core.Signals;
using RiskConsole.Ingest.Live;

namespace RiskConsole.Tests.Ingest.Live;

/// <summary>
/// An <see cref="ILiveFeedSink"/> that records what a listener reports (messages, connected details, rejections,
/// signals), with waits a test can await; each wait gives up after a timeout with what it saw, never sleeps.
/// </summary>
public sealed class RecordingFeedSink : ILiveFeedSink
{
    /// <summary>How long a wait waits by default: generous, since it only runs out when a test fails.</summary>
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(10);

    private readonly Lock _lock = new();
    private readonly List<string> _connected = [];
    private readonly List<string> _rejections = [];
    private readonly List<MarketSignal> _signals = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _messages;

    public int Messages
    {
        get
        {
            lock (_lock)
            {
                return _messages;
            }
        }
    }

    public IReadOnlyList<string> ConnectedDetails => Snapshot(_connected);

    public IReadOnlyList<string> Rejections => Snapshot(_rejections);

    public IReadOnlyList<MarketSignal> Signals => Snapshot(_signals);

    public void MessageReceived() => Record(() => _messages++);

    public void Connected(string detail) => Record(() => _connected.Add(detail));

    public void FrameRejected(string reason) => Record(() => _rejections.Add(reason));

    public ValueTask PublishAsync(MarketSignal signal, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Record(() => _signals.Add(signal));
        return ValueTask.CompletedTask;
    }

    public Task WaitForMessagesAsync(int count, TimeSpan? timeout = null) =>
        WaitAsync(() => _messages >= count, $"{count} messages", timeout);

    public Task WaitForConnectedAsync(int count = 1, TimeSpan? timeout = null) =>
        WaitAsync(() => _connected.Count >= count, $"{count} connected reports", timeout);

    public Task WaitForRejectionsAsync(int count, TimeSpan? timeout = null) =>
        WaitAsync(() => _rejections.Count >= count, $"{count} rejections", timeout);

    public Task WaitForSignalsAsync(int count, TimeSpan? timeout = null) =>
        WaitAsync(() => _signals.Count >= count, $"{count} signals", timeout);

    /// <summary>Waits until <paramref name="condition"/> (evaluated under the sink's lock) holds.</summary>
    public async Task WaitAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        using var deadline = new CancellationTokenSource(timeout ?? DefaultWait);
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (condition())
                {
                    return;
                }

                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Waited {timeout ?? DefaultWait} for {what}; saw {Messages} messages, {ConnectedDetails.Count} connected, " +
                    $"rejections [{string.Join("; ", Rejections)}], {Signals.Count} signals.");
            }
        }
    }

    private void Record(Action change)
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            change();
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    private List<T> Snapshot<T>(List<T> list)
    {
        lock (_lock)
        {
            return [.. list];
        }
    }
}
