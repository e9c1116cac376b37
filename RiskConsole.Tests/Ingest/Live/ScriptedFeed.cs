using System.Diagnostics;
using System.Threading.Channels;
using RiskConsole.Core.Contracts;
using RiskConsole.Ingest.Live;

namespace RiskConsole.Tests.Ingest.Live;

/// <summary>
/// A listener whose connections the test drives: each attempt either throws <see cref="Refusal"/> at once or hands the
/// test a <see cref="ScriptedConnection"/>, through whose sink the test sends messages and signals and which it ends or
/// fails. For testing <see cref="LiveSource"/>'s own logic (modes, fallback, backoff); the real listeners are tested
/// against local upstream servers.
/// </summary>
internal sealed class ScriptedFeed(string source = DataSources.Crypto) : ILiveFeed
{
    private readonly Channel<ScriptedConnection> _connections = Channel.CreateUnbounded<ScriptedConnection>();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _lock = new();
    private readonly List<TimeSpan> _attempts = [];
    private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];
    private volatile Exception? _refusal;

    public string Source { get; } = source;

    public string Endpoint => "ws://scripted.invalid";

    public TimeSpan SilenceTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>While set, every attempt fails at once with it.</summary>
    public Exception? Refusal
    {
        get => _refusal;
        set => _refusal = value;
    }

    /// <summary>When each attempt started, on a real stopwatch.</summary>
    public IReadOnlyList<TimeSpan> Attempts
    {
        get
        {
            lock (_lock)
            {
                return [.. _attempts];
            }
        }
    }

    public async Task RunConnectionAsync(ILiveFeedSink sink, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _attempts.Add(_clock.Elapsed);
            foreach (var waiter in _waiters.Where(w => _attempts.Count >= w.Count).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Reached.TrySetResult();
            }
        }

        if (_refusal is { } refusal)
        {
            throw refusal;
        }

        var connection = new ScriptedConnection(sink);
        await _connections.Writer.WriteAsync(connection, cancellationToken);
        await connection.Ended.WaitAsync(cancellationToken);
    }

    /// <summary>Completes when the source has made <paramref name="count"/> attempts (refused or not).</summary>
    public Task WaitForAttemptsAsync(int count)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_attempts.Count >= count)
            {
                return Task.CompletedTask;
            }

            _waiters.Add((count, reached));
        }

        return reached.Task.WaitAsync(IngestTestClock.WaitLimit);
    }

    /// <summary>The next connection the source opens (not refused).</summary>
    public Task<ScriptedConnection> NextConnectionAsync() => _connections.Reader.ReadAsync().AsTask().WaitAsync(IngestTestClock.WaitLimit);

    /// <summary>Whether the source has opened a connection the test has not taken yet.</summary>
    public bool HasPendingConnection => _connections.Reader.Count > 0;
}

internal sealed class ScriptedConnection(ILiveFeedSink sink)
{
    private readonly TaskCompletionSource _end = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ILiveFeedSink Sink { get; } = sink;

    public Task Ended => _end.Task;

    public void End() => _end.TrySetResult();

    public void Fail(Exception error) => _end.TrySetException(error);
}
