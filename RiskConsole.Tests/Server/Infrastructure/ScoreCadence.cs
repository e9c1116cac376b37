using System.Diagnostics;
using Microsoft.AspNetCore.SignalR.Client;
using RiskConsole.Core.Contracts;

namespace RiskConsole.Tests.Server.Infrastructure;

/// <summary>
/// When each score reached one client (a hub connection or a /ws socket), to measure its cadence: the longest gap
/// between consecutive scores in a window, and how many arrived. Arrival times are the test's own wall clock: this
/// measures the server as a client sees it, it does not wait on it.
/// </summary>
public sealed class ScoreCadence
{
    private readonly Lock _gate = new();
    private readonly List<(long At, long Seq)> _arrivals = [];
    private TaskCompletionSource _enough = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _wanted = int.MaxValue;

    public static ScoreCadence Of(HubConnection connection)
    {
        var cadence = new ScoreCadence();
        connection.On<RiskScoreUpdate>(nameof(IRiskClient.RiskScore), update => cadence.Arrived(update.Seq));
        return cadence;
    }

    /// <summary>Reads RISK_SCORE frames from a /ws client in the background until it closes.</summary>
    public static ScoreCadence Of(LegacySocketClient client)
    {
        var cadence = new ScoreCadence();
        _ = Task.Run(async () =>
        {
            while (client.State == System.Net.WebSockets.WebSocketState.Open)
            {
                try
                {
                    var frame = await client.NextAsync("RISK_SCORE", timeout: TimeSpan.FromMinutes(5));
                    cadence.Arrived(frame.Payload.TryGetProperty("seq", out var seq) ? seq.GetInt64() : -1);
                }
                catch (Exception ex) when (ex is TimeoutException or InvalidOperationException or System.Net.WebSockets.WebSocketException or OperationCanceledException)
                {
                    return;
                }
            }
        });
        return cadence;
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _arrivals.Count;
            }
        }
    }

    /// <summary>Completes when <paramref name="more"/> further scores have arrived.</summary>
    public Task Await(int more, TimeSpan timeout)
    {
        lock (_gate)
        {
            _wanted = _arrivals.Count + more;
            _enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _enough.Task.WaitAsync(timeout);
        }
    }

    /// <summary>The longest gap between consecutive arrivals from arrival number <paramref name="from"/> on.</summary>
    public TimeSpan LongestGap(int from = 0)
    {
        lock (_gate)
        {
            var longest = TimeSpan.Zero;
            for (var i = Math.Max(1, from + 1); i < _arrivals.Count; i++)
            {
                var gap = Stopwatch.GetElapsedTime(_arrivals[i - 1].At, _arrivals[i].At);
                longest = gap > longest ? gap : longest;
            }

            return longest;
        }
    }

    /// <summary>Scores missing by Seq (gaps in the sequence) from arrival number <paramref name="from"/> on.</summary>
    public long Missing(int from = 0)
    {
        lock (_gate)
        {
            long missing = 0;
            for (var i = Math.Max(1, from + 1); i < _arrivals.Count; i++)
            {
                missing += Math.Max(0, _arrivals[i].Seq - _arrivals[i - 1].Seq - 1);
            }

            return missing;
        }
    }

    private void Arrived(long seq)
    {
        lock (_gate)
        {
            _arrivals.Add((Stopwatch.GetTimestamp(), seq));
            if (_arrivals.Count >= _wanted)
            {
                _enough.TrySetResult();
            }
        }
    }
}
