using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace RiskConsole.Tests.Ingest.Reddit;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that reports every timer the code under test arms (a Task.Delay, a timeout), so a
/// test advances the clock only once the wait it means to end is in place: no sleeps, no race with the loop.
/// </summary>
public sealed class TimerWatchingFakeTime(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Channel<TimeSpan> _armed = Channel.CreateUnbounded<TimeSpan>();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _armed.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>Waits (in real time, bounded) until a timer of exactly <paramref name="dueTime"/> is armed; earlier other timers are passed over.</summary>
    public Task<TimeSpan> WaitForTimerAsync(TimeSpan dueTime, TimeSpan? limit = null) =>
        WaitForTimerAsync(due => due == dueTime, dueTime.ToString(), limit);

    /// <summary>Waits until a timer whose due time satisfies <paramref name="match"/> is armed, and returns its due time.</summary>
    public async Task<TimeSpan> WaitForTimerAsync(Func<TimeSpan, bool> match, string what, TimeSpan? limit = null)
    {
        ArgumentNullException.ThrowIfNull(match);
        using var bound = new CancellationTokenSource(limit ?? TimeSpan.FromSeconds(10));
        var seen = new List<TimeSpan>();
        try
        {
            while (true)
            {
                var armed = await _armed.Reader.ReadAsync(bound.Token);
                if (match(armed))
                {
                    return armed;
                }

                seen.Add(armed);
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no timer of {what} was armed; saw [{string.Join(", ", seen)}]");
        }
    }

    /// <summary>Waits for the timer of <paramref name="dueTime"/>, then moves the clock on by it so it fires.</summary>
    public async Task WaitAndAdvanceAsync(TimeSpan dueTime)
    {
        await WaitForTimerAsync(dueTime);
        Advance(dueTime);
    }
}
