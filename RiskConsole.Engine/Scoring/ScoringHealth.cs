using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using RiskConsole.Engine.Publishing;

namespace RiskConsole.Engine.Scoring;

/// <summary>
/// Whether the event router is really scoring, not merely running: what each loop did and when, so readiness can
/// say exactly why it fails — a loop that ended or keeps faulting, accepted signals with no evaluated bar, a signal
/// backlog that is too large or keeps growing. The read loop reports per signal, lock-free; the rest is per tick
/// or per fault. Intervals come from the TimeProvider's monotonic timestamp, so a wall-clock step changes nothing.
/// </summary>
public sealed class ScoringHealth
{
    /// <summary>
    /// A backlog must rise by at least this much across the stall window to count as growing: below it the rise is
    /// the jitter of a busy reader that keeps up, and a stalled reader under any real feed passes it within the window.
    /// </summary>
    public const int BacklogGrowthFloor = 100;

    /// <summary>Backlog checkpoints kept: four intervals that together span the stall window.</summary>
    private const int BacklogCheckpointCount = 5;

    private const long NotYet = long.MinValue;

    /// <summary>A loop that faults on every item would otherwise write a log line per signal or per tick.</summary>
    private static readonly TimeSpan FaultLogInterval = TimeSpan.FromMinutes(1);

    private readonly TimeProvider _time;
    private readonly TimeSpan _stallAfter;
    private readonly TimeSpan _checkpointInterval;
    private readonly int _maxHealthyBacklog;
    private readonly Lock _gate = new();
    private readonly LoopRecord[] _loops = [new(RouterLoop.Read), new(RouterLoop.Tick), new(RouterLoop.Send)];
    private readonly (int Backlog, long At)[] _checkpoints = new (int, long)[BacklogCheckpointCount];
    private int _checkpointsHeld;
    private int _nextCheckpoint;

    private bool _running;
    private long _startedAt = NotYet;
    private long _signalsRead;
    private long _signalsAccepted;
    private long _lastReadAt = NotYet;
    private long _lastAcceptedAt = NotYet;
    private int _backlog;
    private long _lastTickAt = NotYet;
    private long _barsEvaluated;
    private long _lastEvaluationAt = NotYet;
    private long _acceptedAtLastEvaluation;
    private long _sendStartedAt = NotYet;

    public ScoringHealth(TimeProvider time, IOptions<RiskPublishOptions> options)
    {
        _time = time;
        _stallAfter = TimeSpan.FromSeconds(options.Value.StallAfterSeconds);
        _checkpointInterval = _stallAfter / (BacklogCheckpointCount - 1);
        _maxHealthyBacklog = options.Value.MaxHealthyBacklog;
    }

    /// <summary>Started, not stopped, and none of its loops has ended.</summary>
    public bool IsRunning
    {
        get
        {
            lock (_gate)
            {
                return _running && _loops.All(l => l.EndedBecause is null);
            }
        }
    }

    public void RouterStarted()
    {
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            _running = true;
            _startedAt = now;
            _lastTickAt = now;
            Volatile.Write(ref _lastReadAt, now);
            foreach (var loop in _loops)
            {
                loop.EndedBecause = null;
                Volatile.Write(ref loop.LastSuccessAt, now);
            }
        }
    }

    public void RouterStopped()
    {
        lock (_gate)
        {
            _running = false;
        }
    }

    /// <summary>A loop ended while the router was meant to run; readiness fails from now on.</summary>
    public void LoopEnded(RouterLoop loop, string reason)
    {
        lock (_gate)
        {
            _loops[(int)loop].EndedBecause = reason;
        }
    }

    /// <summary>The read loop took a signal off the channel; returns the moment, for <see cref="SignalHandled"/>.</summary>
    public long SignalRead()
    {
        var now = _time.GetTimestamp();
        Interlocked.Increment(ref _signalsRead);
        Volatile.Write(ref _lastReadAt, now);
        return now;
    }

    /// <summary>The read loop finished with a signal without a fault, whatever the engine's verdict.</summary>
    public void SignalHandled(long readAt, bool accepted)
    {
        if (accepted)
        {
            Interlocked.Increment(ref _signalsAccepted);
            Volatile.Write(ref _lastAcceptedAt, readAt);
        }

        Volatile.Write(ref _loops[(int)RouterLoop.Read].LastSuccessAt, readAt);
    }

    /// <summary>The start of every tick: its heartbeat, and the backlog sample the growth check uses.</summary>
    public void TickStarted(int backlog)
    {
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            _lastTickAt = now;
            _backlog = backlog;
            var newest = _checkpointsHeld == 0 ? NotYet : _checkpoints[(_nextCheckpoint + BacklogCheckpointCount - 1) % BacklogCheckpointCount].At;
            if (newest == NotYet || _time.GetElapsedTime(newest, now) >= _checkpointInterval)
            {
                _checkpoints[_nextCheckpoint] = (backlog, now);
                _nextCheckpoint = (_nextCheckpoint + 1) % BacklogCheckpointCount;
                _checkpointsHeld = Math.Min(_checkpointsHeld + 1, BacklogCheckpointCount);
            }
        }
    }

    /// <summary>A tick finished without a fault; <paramref name="barsEvaluated"/> is the engine's count of evaluated bars.</summary>
    public void TickCompleted(long barsEvaluated)
    {
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            _loops[(int)RouterLoop.Tick].LastSuccessAt = now;
            if (barsEvaluated != _barsEvaluated)
            {
                _barsEvaluated = barsEvaluated;
                _lastEvaluationAt = now;
                _acceptedAtLastEvaluation = Volatile.Read(ref _signalsAccepted);
            }
        }
    }

    public void SendStarted() => Volatile.Write(ref _sendStartedAt, _time.GetTimestamp());

    public void SendCompleted()
    {
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            _loops[(int)RouterLoop.Send].LastSuccessAt = now;
            Volatile.Write(ref _sendStartedAt, NotYet);
        }
    }

    /// <summary>Counts a fault of one loop item (a signal, a tick, a send; a fault also ends the send in progress) and says whether to log it.</summary>
    public LoopFault LoopFaulted(RouterLoop loop, Exception fault)
    {
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            var record = _loops[(int)loop];
            record.Faults++;
            record.LastFaultAt = now;
            record.LastFaultMessage = $"{fault.GetType().Name}: {fault.Message}";
            if (loop == RouterLoop.Send)
            {
                Volatile.Write(ref _sendStartedAt, NotYet);
            }

            if (record.LastLoggedAt != NotYet && _time.GetElapsedTime(record.LastLoggedAt, now) < FaultLogInterval)
            {
                record.UnloggedFaults++;
                return new LoopFault(record.Faults, ShouldLog: false, record.UnloggedFaults);
            }

            var unlogged = record.UnloggedFaults;
            record.UnloggedFaults = 0;
            record.LastLoggedAt = now;
            return new LoopFault(record.Faults, ShouldLog: true, unlogged);
        }
    }

    public RouterFaultCounts FaultCounts()
    {
        lock (_gate)
        {
            return new RouterFaultCounts(_loops[0].Faults, _loops[1].Faults, _loops[2].Faults);
        }
    }

    /// <summary>Unhealthy when scoring has stopped or is about to, Degraded when a loop faulted recently but scoring goes on.</summary>
    public ScoringHealthReport Assess()
    {
        var now = _time.GetTimestamp();
        var wallNow = _time.GetUtcNow();
        lock (_gate)
        {
            var accepted = Volatile.Read(ref _signalsAccepted);
            var data = new Dictionary<string, object>(StringComparer.Ordinal)
            {
                ["running"] = _running && _loops.All(l => l.EndedBecause is null),
                ["signalsRead"] = Volatile.Read(ref _signalsRead),
                ["signalsAccepted"] = accepted,
                ["readFaults"] = _loops[(int)RouterLoop.Read].Faults,
                ["tickFaults"] = _loops[(int)RouterLoop.Tick].Faults,
                ["sendFaults"] = _loops[(int)RouterLoop.Send].Faults,
                ["backlog"] = _backlog,
                ["barsEvaluated"] = _barsEvaluated,
                ["lastEvaluationAt"] = _lastEvaluationAt == NotYet ? "never" : Iso(WallTime(_lastEvaluationAt)),
                ["stallAfterSeconds"] = _stallAfter.TotalSeconds,
            };

            if (!_running)
            {
                return new ScoringHealthReport(HealthStatus.Unhealthy, "event router not running", data);
            }

            var unhealthy = new List<string>();
            var degraded = new List<string>();
            foreach (var loop in _loops)
            {
                AssessLoop(loop, now, unhealthy, degraded);
            }

            if (_loops[(int)RouterLoop.Tick].EndedBecause is null && Elapsed(_lastTickAt) >= _stallAfter)
            {
                unhealthy.Add($"publish tick stalled: none for {Seconds(Elapsed(_lastTickAt))}");
            }

            var lastAcceptedAt = Volatile.Read(ref _lastAcceptedAt);
            var acceptedSinceEvaluation = accepted - _acceptedAtLastEvaluation;
            var evaluatedOrStartedAt = _lastEvaluationAt == NotYet ? _startedAt : _lastEvaluationAt;
            if (acceptedSinceEvaluation > 0 && lastAcceptedAt != NotYet && Elapsed(lastAcceptedAt) < _stallAfter && Elapsed(evaluatedOrStartedAt) >= _stallAfter)
            {
                var since = _lastEvaluationAt == NotYet
                    ? $"no bar evaluated since the router started at {Clock(WallTime(_startedAt))}"
                    : $"no bar evaluated since {Clock(WallTime(_lastEvaluationAt))}";
                unhealthy.Add($"scoring stalled: {Count(acceptedSinceEvaluation)} signals accepted but {since}, {Seconds(Elapsed(evaluatedOrStartedAt))} ago");
            }

            AssessBacklog(now, unhealthy);

            var sendStartedAt = Volatile.Read(ref _sendStartedAt);
            if (sendStartedAt != NotYet && Elapsed(sendStartedAt) >= _stallAfter)
            {
                // One stalled hub client can hold a group send this long (see docs/operations.md, Known limits): worth
                // an operator's look, not a reason to take the console out of rotation.
                degraded.Add($"publishing slow: a send to clients has been in progress for {Seconds(Elapsed(sendStartedAt))}");
            }

            if (unhealthy.Count > 0)
            {
                return new ScoringHealthReport(HealthStatus.Unhealthy, string.Join("; ", unhealthy.Concat(degraded)), data);
            }

            if (degraded.Count > 0)
            {
                return new ScoringHealthReport(HealthStatus.Degraded, string.Join("; ", degraded), data);
            }

            var evaluated = _lastEvaluationAt == NotYet ? "no bar evaluated yet" : $"last bar evaluated at {Clock(WallTime(_lastEvaluationAt))}";
            return new ScoringHealthReport(HealthStatus.Healthy, $"event router running: {Count(accepted)} signals accepted, {evaluated}", data);
        }

        TimeSpan Elapsed(long since) => _time.GetElapsedTime(since, now);

        DateTimeOffset WallTime(long timestamp) => wallNow - _time.GetElapsedTime(timestamp, now);
    }

    private void AssessLoop(LoopRecord loop, long now, List<string> unhealthy, List<string> degraded)
    {
        if (loop.EndedBecause is { } reason)
        {
            unhealthy.Add($"{loop.Name} ended unexpectedly: {reason}");
            return;
        }

        if (loop.LastFaultAt == NotYet || _time.GetElapsedTime(loop.LastFaultAt, now) >= _stallAfter)
        {
            return;
        }

        var lastSuccessAt = Volatile.Read(ref loop.LastSuccessAt);
        if (loop.LastFaultAt > lastSuccessAt && _time.GetElapsedTime(lastSuccessAt, now) >= _stallAfter)
        {
            unhealthy.Add($"{loop.Name} failing: {loop.Faults} faults and {loop.Success} for {Seconds(_time.GetElapsedTime(lastSuccessAt, now))}; last: {loop.LastFaultMessage}");
            return;
        }

        var times = loop.Faults == 1 ? "once" : $"{Count(loop.Faults)} times";
        degraded.Add($"{loop.Name} faulted {times}, last {Seconds(_time.GetElapsedTime(loop.LastFaultAt, now))} ago: {loop.LastFaultMessage}");
    }

    private void AssessBacklog(long now, List<string> unhealthy)
    {
        if (_backlog >= _maxHealthyBacklog)
        {
            unhealthy.Add($"signal backlog at {Count(_backlog)} waiting (Risk:{nameof(RiskPublishOptions.MaxHealthyBacklog)} is {Count(_maxHealthyBacklog)})");
        }
        else if (_checkpointsHeld == BacklogCheckpointCount)
        {
            var oldest = _checkpoints[_nextCheckpoint];
            var newest = _checkpoints[(_nextCheckpoint + BacklogCheckpointCount - 1) % BacklogCheckpointCount];
            var rising = true;
            for (var i = 1; i < BacklogCheckpointCount && rising; i++)
            {
                rising = _checkpoints[(_nextCheckpoint + i) % BacklogCheckpointCount].Backlog > _checkpoints[(_nextCheckpoint + i - 1) % BacklogCheckpointCount].Backlog;
            }

            if (rising && newest.Backlog - oldest.Backlog >= BacklogGrowthFloor)
            {
                unhealthy.Add($"signal backlog growing: {Count(newest.Backlog)} waiting, up from {Count(oldest.Backlog)} over the last {Seconds(_time.GetElapsedTime(oldest.At, newest.At))}");
            }
        }

        var lastReadAt = Volatile.Read(ref _lastReadAt);
        var sinceRead = _time.GetElapsedTime(lastReadAt, now);
        if (_backlog > 0 && sinceRead >= _stallAfter)
        {
            unhealthy.Add($"signal reader stalled: {Count(_backlog)} signals waiting, none read for {Seconds(sinceRead)}");
        }
    }

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan elapsed) => $"{elapsed.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s";

    private static string Clock(DateTimeOffset at) => at.UtcDateTime.ToString("HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>One loop's faults and last good item; fields because the read loop updates its success with Volatile, lock-free.</summary>
    private sealed class LoopRecord(RouterLoop loop)
    {
        public long LastSuccessAt = NotYet;
        public long Faults;
        public long LastFaultAt = NotYet;
        public string? LastFaultMessage;
        public long LastLoggedAt = NotYet;
        public long UnloggedFaults;
        public string? EndedBecause;

        public string Name { get; } = loop switch
        {
            RouterLoop.Read => "read loop",
            RouterLoop.Tick => "tick loop",
            _ => "send loop",
        };

        /// <summary>What "nothing succeeded" means for this loop, in a sentence.</summary>
        public string Success { get; } = loop switch
        {
            RouterLoop.Read => "no signal handled",
            RouterLoop.Tick => "no tick completed",
            _ => "no send completed",
        };
    }
}
