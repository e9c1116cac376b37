namespace RiskConsole.Core.Risk;

/// <summary>
/// Maps raw risk in [0, 1] to a 0–100 score by min–max over the last raw values, with two guards:
/// a minimum span (a calm market's narrow band of raw values maps to a low score, not to 0–100), and a
/// warm-up (until enough values exist the score is simply raw × 100). The span is kept inside [0, 1],
/// so raw 0 can still score 0 and raw 1 can still score 100.
/// </summary>
public sealed class AdaptiveNormalizer
{
    private readonly double[] _history;
    private readonly double _minimumSpan;
    private readonly int _warmupValues;
    private int _next;
    private int _count;

    public AdaptiveNormalizer(int window, double minimumSpan, int warmupValues)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 2);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(minimumSpan, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minimumSpan, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(warmupValues, 1);
        _history = new double[window];
        _minimumSpan = minimumSpan;
        _warmupValues = warmupValues;
    }

    public int Count => _count;

    public bool IsWarmingUp => _count < _warmupValues;

    public double Min { get; private set; }

    public double Max { get; private set; }

    public double Mean { get; private set; }

    /// <summary>The raw range currently mapped onto 0–100.</summary>
    public double Low { get; private set; }

    public double High { get; private set; } = 1;

    /// <summary>Adds <paramref name="raw"/> to the history and returns its score in [0, 100].</summary>
    public double Normalize(double raw)
    {
        raw = double.IsFinite(raw) ? Math.Clamp(raw, 0, 1) : 0;
        _history[_next] = raw;
        _next = (_next + 1) % _history.Length;
        if (_count < _history.Length)
        {
            _count++;
        }

        // A scan of at most the window (100 by default) runs once per bar, not per signal.
        double min = double.MaxValue, max = double.MinValue, sum = 0;
        for (var i = 0; i < _count; i++)
        {
            var value = _history[i];
            min = Math.Min(min, value);
            max = Math.Max(max, value);
            sum += value;
        }

        Min = min;
        Max = max;
        Mean = sum / _count;

        if (IsWarmingUp)
        {
            Low = 0;
            High = 1;
            return raw * 100;
        }

        var (low, high) = Range(min, max, _minimumSpan);
        Low = low;
        High = high;
        return Math.Clamp(100 * (raw - low) / (high - low), 0, 100);
    }

    /// <summary>The range [low, high] that min and max map onto, widened to the minimum span within [0, 1].</summary>
    public static (double Low, double High) Range(double min, double max, double minimumSpan)
    {
        var low = min;
        var high = max;
        if (high - low < minimumSpan)
        {
            high = low + minimumSpan;
            if (high > 1)
            {
                high = 1;
                low = 1 - minimumSpan;
            }
        }

        return (low, high);
    }
}
