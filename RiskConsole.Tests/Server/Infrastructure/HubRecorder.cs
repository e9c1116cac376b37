using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using RiskConsole.Core.Contracts;

namespace RiskConsole.Tests.Server.Infrastructure;

/// <summary>Records what a hub connection receives, per client method, and lets a test await the next matching message with a timeout.</summary>
public sealed class HubRecorder
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    private readonly Channel<RiskScoreUpdate> _scores = Channel.CreateUnbounded<RiskScoreUpdate>();
    private readonly Channel<InterruptNotice> _interrupts = Channel.CreateUnbounded<InterruptNotice>();
    private readonly Channel<AlertNotice> _alerts = Channel.CreateUnbounded<AlertNotice>();
    private readonly Channel<DataUpdate> _data = Channel.CreateUnbounded<DataUpdate>();

    public HubRecorder(HubConnection connection)
    {
        connection.On<RiskScoreUpdate>(nameof(IRiskClient.RiskScore), m => _scores.Writer.TryWrite(m));
        connection.On<InterruptNotice>(nameof(IRiskClient.Interrupt), m => _interrupts.Writer.TryWrite(m));
        connection.On<AlertNotice>(nameof(IRiskClient.Alert), m => _alerts.Writer.TryWrite(m));
        connection.On<DataUpdate>(nameof(IRiskClient.DataUpdate), m => _data.Writer.TryWrite(m));
    }

    public Task<RiskScoreUpdate> Score(Func<RiskScoreUpdate, bool>? match = null, TimeSpan? timeout = null) => Next(_scores, match, timeout);

    public Task<InterruptNotice> Interrupt(Func<InterruptNotice, bool>? match = null, TimeSpan? timeout = null) => Next(_interrupts, match, timeout);

    public Task<AlertNotice> Alert(Func<AlertNotice, bool>? match = null, TimeSpan? timeout = null) => Next(_alerts, match, timeout);

    public Task<DataUpdate> Data(Func<DataUpdate, bool>? match = null, TimeSpan? timeout = null) => Next(_data, match, timeout);

    /// <summary>Discards what arrived so far, so the next awaited message is a new one.</summary>
    public void Clear()
    {
        while (_scores.Reader.TryRead(out _) || _data.Reader.TryRead(out _) || _alerts.Reader.TryRead(out _) || _interrupts.Reader.TryRead(out _))
        {
        }
    }

    public bool TryTakeData(out DataUpdate update) => _data.Reader.TryRead(out update!);

    public bool TryTakeAlert(out AlertNotice alert) => _alerts.Reader.TryRead(out alert!);

    private static async Task<T> Next<T>(Channel<T> channel, Func<T, bool>? match, TimeSpan? timeout)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            while (true)
            {
                var item = await channel.Reader.ReadAsync(cts.Token);
                if (match is null || match(item))
                {
                    return item;
                }
            }
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            throw new TimeoutException($"No matching {typeof(T).Name} within {(timeout ?? DefaultTimeout).TotalSeconds} s.");
        }
    }
}
