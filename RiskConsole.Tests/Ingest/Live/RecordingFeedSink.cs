using RiskConsole.Core.Signals;
using RiskConsole.Ingest.Live;

namespace RiskConsole.Tests.Ingest.Live;

/// <summary>
/// An <see cref="ILiveFeedSink"/> that records what a listener reports — messages counted, connected details, rejection
/// reasons, published signals — and lets a test await a condition on them (checked at once and after every report)
/// instead of sleeping.
/// </summary>
public sealed class RecordingFeedSink : ILiveFeedSink
{
    /// <summary>How long a wait lasts before it fails, unless told otherwise: generous, since a passing wait ends at once.</summary>
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(5);

    private readonly Lock _lock = new();
    private readonly List<string> _connected = [];
    private readonly List<string> _rejections = [];
    private readonly List<MarketSignal> _signals = [];
    private readonly List<(Func<RecordingFeedSink, bool> Condition, TaskCompletionSource Done)> _waiters = [];
    private int _messages;

    /// <summary>How many times <see cref="ILiveFeedSink.MessageReceived"/> was called.</summary>
    public int Messages => Volatile.Read(ref _messages);

    /// <summary>Every detail passed to <see cref="ILiveFeedSink.Connected"/>, in order.</summary>
    public IReadOnlyList<string> ConnectedDetails
    {
        get
        {
            lock (_lock)
            {
                return [.. _connected];
            }
        }
    }

    /// <summary>Every reason passed to <see cref="ILiveFeedSink.FrameRejected"/>, in order.</summary>
    public IReadOnlyList<string> Rejections
    {
        get
        {
            lock (_lock)
            {
                return [.. _rejections];
            }
        }
    }

    /// <summary>Every signal published, in order.</summary>
    public IReadOnlyList<MarketSignal> Signals
    {
        get
        {
            lock (_lock)
            {
                return [.. _signals];
            }
        }
    }

    public void MessageReceived()
    {
        Interlocked.Increment(ref _messages);
        Recheck();
    }

    public void Connected(string detail)
    {
        lock (_lock)
        {
            _connected.Add(detail);
        }

        Recheck();
    }

    public void FrameRejected(string reason)
    {
        lock (_lock)
        {
            _rejections.Add(reason);
        }

        Recheck();
    }

    public ValueTask PublishAsync(MarketSignal signal, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            _signals.Add(signal);
        }

        Recheck();
        return ValueTask.CompletedTask;
    }

    /// <summary>Completes once <paramref name="condition"/> holds; fails with <see cref="TimeoutException"/> naming <paramref name="what"/> otherwise.</summary>
    /// <summary>Waits until <paramref name="condition"/> holds (checked on every recorded event).</summary>
    public Task WaitAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return WaitUntilAsync(_ => condition(), what, timeout);
    }

    /// <summary>What was recorded, for a failure message.</summary>
    public string Describe() =>
        $"{Messages} messages, connected [{string.Join(" | ", ConnectedDetails)}], rejections [{string.Join(" | ", Rejections)}], {Signals.Count} signals";

    public async Task WaitUntilAsync(Func<RecordingFeedSink, bool> condition, string what, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            _waiters.Add((condition, done));
        }

        Recheck();
        try
        {
            await done.Task.WaitAsync(timeout ?? DefaultWait);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"waited {(timeout ?? DefaultWait).TotalSeconds} s for {what}; recorded {Describe()}");
        }
        finally
        {
            lock (_lock)
            {
                _waiters.RemoveAll(w => w.Done == done);
            }
        }
    }

    /// <summary>Waits for at least <paramref name="count"/> signals and returns all recorded so far.</summary>
    public async Task<IReadOnlyList<MarketSignal>> WaitForSignalsAsync(int count, TimeSpan? timeout = null)
    {
        await WaitUntilAsync(s => s.Signals.Count >= count, $"{count} signals", timeout);
        return Signals;
    }

    /// <summary>Waits for at least <paramref name="count"/> rejections and returns all recorded so far.</summary>
    public async Task<IReadOnlyList<string>> WaitForRejectionsAsync(int count, TimeSpan? timeout = null)
    {
        await WaitUntilAsync(s => s.Rejections.Count >= count, $"{count} rejections", timeout);
        return Rejections;
    }

    /// <summary>Waits for at least <paramref name="count"/> calls of Connected and returns their details.</summary>
    public async Task<IReadOnlyList<string>> WaitForConnectedAsync(int count = 1, TimeSpan? timeout = null)
    {
        await WaitUntilAsync(s => s.ConnectedDetails.Count >= count, $"{count} connected reports", timeout);
        return ConnectedDetails;
    }

    /// <summary>Waits for at least <paramref name="count"/> messages.</summary>
    public Task WaitForMessagesAsync(int count, TimeSpan? timeout = null) =>
        WaitUntilAsync(s => s.Messages >= count, $"{count} messages", timeout);

    private void Recheck()
    {
        List<TaskCompletionSource>? met = null;
        lock (_lock)
        {
            foreach (var (condition, done) in _waiters)
            {
                // The condition reads the lists, which take the lock again: Lock is re-entrant on the same thread.
                if (!done.Task.IsCompleted && condition(this))
                {
                    (met ??= []).Add(done);
                }
            }
        }

        met?.ForEach(done => done.TrySetResult());
    }
}
