using Microsoft.Extensions.Time.Testing;

namespace RiskConsole.Tests.Ingest.Binance;

/// <summary>
/// A FakeTimeProvider that also tells when a timer has been created, so a test advances time only once the listener is
/// waiting on it (advancing earlier would be lost, and the test would hang or race). Task.Delay, WaitAsync and
/// CancellationTokenSource all create their timers through <see cref="CreateTimer"/>.
/// </summary>
public sealed class WatchedFakeTime : FakeTimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<TimeSpan> _created = [];
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public WatchedFakeTime()
        : base(IngestTestClock.Start)
    {
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        TaskCompletionSource created;
        lock (_lock)
        {
            _created.Add(dueTime);
            created = _next;
            _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        created.TrySetResult();
        return timer;
    }

    /// <summary>How many timers were created with exactly <paramref name="dueTime"/>.</summary>
    public int TimersCreated(TimeSpan dueTime)
    {
        lock (_lock)
        {
            return _created.Count(d => d == dueTime);
        }
    }

    /// <summary>Waits (in real time, up to 5 s) until <paramref name="count"/> timers with <paramref name="dueTime"/> have been created.</summary>
    public async Task WaitForTimersAsync(TimeSpan dueTime, int count = 1)
    {
        using var expiry = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        while (true)
        {
            Task next;
            lock (_lock)
            {
                if (_created.Count(d => d == dueTime) >= count)
                {
                    return;
                }

                next = _next.Task;
            }

            try
            {
                await next.WaitAsync(expiry.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"waited 5 s for {count} timers of {dueTime}; created: {string.Join(", ", _created)}");
            }
        }
    }

    /// <summary>Waits (in real time, up to 5 s) for the <paramref name="index"/>th timer created (from 0) and returns its due time.</summary>
    public async Task<TimeSpan> WaitForTimerAsync(int index)
    {
        using var expiry = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        while (true)
        {
            Task next;
            lock (_lock)
            {
                if (_created.Count > index)
                {
                    return _created[index];
                }

                next = _next.Task;
            }

            try
            {
                await next.WaitAsync(expiry.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"waited 5 s for timer #{index}; created: {string.Join(", ", _created)}");
            }
        }
    }

    /// <summary>Waits for a timer of <paramref name="dueTime"/> (the <paramref name="count"/>th), then advances by it.</summary>
    public async Task AdvanceWhenWaitingAsync(TimeSpan dueTime, int count = 1)
    {
        await WaitForTimersAsync(dueTime, count);
        Advance(dueTime);
    }
}
