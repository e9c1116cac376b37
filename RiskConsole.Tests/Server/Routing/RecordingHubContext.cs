using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using RiskConsole.Core.Contracts;
using RiskConsole.Server.Hubs;

namespace RiskConsole.Tests.Server.Routing;

/// <summary>
/// SignalR's hub context under the real RiskBroadcaster: every client send is recorded, and a test can make the
/// next sends fail (as a dropped transport does) or never complete (as a client that stopped reading does).
/// </summary>
public sealed class RecordingHubContext : IHubContext<RiskHub, IRiskClient>
{
    private readonly ConcurrentQueue<Exception> _faults = new();
    private readonly Channel<RiskScoreUpdate> _scores = Channel.CreateUnbounded<RiskScoreUpdate>();
    private readonly Channel<DataUpdate> _data = Channel.CreateUnbounded<DataUpdate>();
    private volatile bool _hang;

    public RecordingHubContext() => Clients = new RecordingClients(new RecordingClient(this));

    public IHubClients<IRiskClient> Clients { get; }

    public IGroupManager Groups { get; } = new NoGroups();

    /// <summary>Completed when a send first hangs, so a test knows the sender is stuck in it.</summary>
    public TaskCompletionSource SendHung { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void FailNextSend(Exception fault) => _faults.Enqueue(fault);

    public void HangSends() => _hang = true;

    public Task<RiskScoreUpdate> Score(Func<RiskScoreUpdate, bool>? match = null) => Next(_scores, match);

    public Task<DataUpdate> Data(Func<DataUpdate, bool>? match = null) => Next(_data, match);

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

    private Task Send<T>(Channel<T> record, T message)
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

        record.Writer.TryWrite(message);
        return Task.CompletedTask;
    }

    private sealed class RecordingClient(RecordingHubContext hub) : IRiskClient
    {
        public Task RiskScore(RiskScoreUpdate update) => hub.Send(hub._scores, update);

        public Task DataUpdate(DataUpdate update) => hub.Send(hub._data, update);

        public Task Interrupt(InterruptNotice notice) => Task.CompletedTask;

        public Task Alert(AlertNotice alert) => Task.CompletedTask;
    }

    /// <summary>Every audience is the one recording client: the router test cares what is sent, not to which group.</summary>
    private sealed class RecordingClients(IRiskClient client) : IHubClients<IRiskClient>
    {
        public IRiskClient All => client;

        public IRiskClient AllExcept(IReadOnlyList<string> excludedConnectionIds) => client;

        public IRiskClient Client(string connectionId) => client;

        public IRiskClient Clients(IReadOnlyList<string> connectionIds) => client;

        public IRiskClient Group(string groupName) => client;

        public IRiskClient GroupExcept(string groupName, IReadOnlyList<string> excludedConnectionIds) => client;

        public IRiskClient Groups(IReadOnlyList<string> groupNames) => client;

        public IRiskClient User(string userId) => client;

        public IRiskClient Users(IReadOnlyList<string> userIds) => client;
    }

    private sealed class NoGroups : IGroupManager
    {
        public Task AddToGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task RemoveFromGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default) => Task.CompletedTask;
    }
}
