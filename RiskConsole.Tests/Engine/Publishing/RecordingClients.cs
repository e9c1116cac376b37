using System.Collections.Concurrent;
using System.Threading.Channels;
using RiskConsole.Core.Contracts;

namespace RiskConsole.Tests.Engine.Publishing;

/// <summary>
/// A port implementation that records what the engine sends to the clients as a whole (the seam a journal tap or a
/// benchmark sink plugs into), and can make the next sends fail (as a dropped transport does) or never complete (as a
/// client that stopped reading does).
/// </summary>
public sealed class RecordingClients : IRiskClient
{
    private readonly ConcurrentQueue<Exception> _faults = new();
    private readonly Channel<RiskScoreUpdate> _scores = Channel.CreateUnbounded<RiskScoreUpdate>();
    private readonly Channel<DataUpdate> _data = Channel.CreateUnbounded<DataUpdate>();
    private readonly Channel<AlertNotice> _alerts = Channel.CreateUnbounded<AlertNotice>();
    private readonly ConcurrentQueue<object> _sent = new();
    private volatile bool _hang;

    /// <summary>Completed when a send first hangs, so a test knows the sender is stuck in it.</summary>
    public TaskCompletionSource SendHung { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Everything sent, in the order the engine sent it.</summary>
    public IReadOnlyList<object> Sent => [.. _sent];

    public void FailNextSend(Exception fault) => _faults.Enqueue(fault);

    public void HangSends() => _hang = true;

    public Task<RiskScoreUpdate> Score(Func<RiskScoreUpdate, bool>? match = null) => Next(_scores, match);

    public Task<DataUpdate> Data(Func<DataUpdate, bool>? match = null) => Next(_data, match);

    public Task<AlertNotice> NextAlert(Func<AlertNotice, bool>? match = null) => Next(_alerts, match);

    public Task RiskScore(RiskScoreUpdate update) => Send(_scores, update);

    public Task DataUpdate(DataUpdate update) => Send(_data, update);

    /// <summary>Recorded as the batch itself in <see cref="Sent"/> and as each of its updates for <see cref="Data"/>.</summary>
    public Task DataBatch(DataBatch batch)
    {
        var sent = Send(null, batch);
        if (sent.IsCompletedSuccessfully)
        {
            foreach (var update in batch.Updates)
            {
                _data.Writer.TryWrite(update);
            }
        }

        return sent;
    }

    public Task Interrupt(InterruptNotice notice) => Send(null, notice);

    public Task Alert(AlertNotice alert) => Send(_alerts, alert);

    private static async Task<T> Next<T>(Channel<T> channel, Func<T, bool>? match)
    {
        using var timeout = new CancellationTokenSource(RouterHarness.Timeout);
        try
        {
            while (true)
            {
                var item = await channel.Reader.ReadAsync(timeout.Token);
                if (match is null || match(item))
                {
                    return item;
                }
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"no matching {typeof(T).Name} was sent within {RouterHarness.Timeout.TotalSeconds} s");
        }
    }

    private Task Send<T>(Channel<T>? record, T message)
        where T : class
    {
        if (_faults.TryDequeue(out var fault))
        {
            return Task.FromException(fault);
        }

        if (_hang)
        {
            SendHung.TrySetResult();
            return new TaskCompletionSource().Task;
        }

        _sent.Enqueue(message);
        record?.Writer.TryWrite(message);
        return Task.CompletedTask;
    }
}
