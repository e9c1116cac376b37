using RiskConsole.Core.Signals;

namespace RiskConsole.Core.Risk;

/// <summary>
/// Per-key ordering rule shared by the three scorers: a timestamp earlier than the last accepted one is
/// out of order; the same timestamp with the same value is a duplicate (a replayed message); the same
/// timestamp with a different value is accepted, because exchanges stamp many trades with one millisecond.
/// </summary>
internal struct KeyedOrder
{
    private long _lastTicks;
    private double _lastValue;
    private bool _any;

    /// <summary>UTC ticks of the last accepted timestamp (meaningless before the first).</summary>
    public readonly long LastTicks => _lastTicks;

    public readonly SignalVerdict Check(DateTimeOffset timestamp, double value, bool sameExtra = true)
    {
        if (!_any)
        {
            return SignalVerdict.Accepted;
        }

        var ticks = timestamp.UtcTicks;
        if (ticks < _lastTicks)
        {
            return SignalVerdict.OutOfOrder;
        }

        // Exact comparison on purpose: a duplicate is the very same message again.
        return ticks == _lastTicks && value == _lastValue && sameExtra ? SignalVerdict.Duplicate : SignalVerdict.Accepted;
    }

    public void Record(DateTimeOffset timestamp, double value)
    {
        _lastTicks = timestamp.UtcTicks;
        _lastValue = value;
        _any = true;
    }
}
