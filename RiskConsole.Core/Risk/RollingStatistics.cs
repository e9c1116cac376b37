namespace RiskConsole.Core.Risk;

/// <summary>
/// Sliding mean and variance over the last <see cref="Window"/> values in O(1) per update and no
/// allocation after construction. Uses the sliding form of Welford's update (replace the oldest value
/// with the newest), which keeps far better precision than running sums of squares when the values
/// are small and close together, as log returns are. The sliding update still carries the absolute
/// rounding error of a past, larger-scale regime (a crash) into a later calm one and never sheds it, so
/// once per full turn of the ring the sums are recomputed exactly from the buffer: amortized O(1), no
/// allocation, and the error is bounded by one window's worth of updates.
/// Not thread-safe: one writer (the engine's single reader loop).
/// </summary>
public sealed class RollingStatistics
{
    private readonly double[] _values;
    private int _next;
    private int _count;
    private double _mean;
    private double _m2;

    public RollingStatistics(int window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        _values = new double[window];
    }

    public int Window => _values.Length;

    public int Count => _count;

    public bool IsFull => _count == _values.Length;

    public double Mean => _count == 0 ? 0 : _mean;

    public double Sum => _mean * _count;

    /// <summary>Sample variance (n − 1 in the denominator); 0 with fewer than two values.</summary>
    public double Variance => _count < 2 ? 0 : Math.Max(0, _m2 / (_count - 1));

    public double StandardDeviation => Math.Sqrt(Variance);

    /// <summary>The most recently added value (0 when empty).</summary>
    public double Latest => _count == 0 ? 0 : _values[(_next - 1 + _values.Length) % _values.Length];

    /// <summary>The oldest value still inside the window (0 when empty).</summary>
    public double Oldest => _count == 0 ? 0 : _values[IsFull ? _next : 0];

    public void Add(double value)
    {
        if (!double.IsFinite(value))
        {
            // Callers validate input; a non-finite value here would poison every later figure.
            throw new ArgumentOutOfRangeException(nameof(value), value, "Rolling statistics accept finite values only.");
        }

        if (_count < _values.Length)
        {
            _count++;
            var delta = value - _mean;
            _mean += delta / _count;
            _m2 += delta * (value - _mean);
        }
        else
        {
            var old = _values[_next];
            var oldMean = _mean;
            _mean += (value - old) / _count;
            _m2 += (value - old) * (value - _mean + old - oldMean);
            if (_m2 < 0)
            {
                // Rounding can push a true zero slightly negative; variance is never negative.
                _m2 = 0;
            }
        }

        _values[_next] = value;
        _next = (_next + 1) % _values.Length;
        if (_next == 0 && IsFull)
        {
            Recompute();
        }
    }

    private void Recompute()
    {
        double mean = 0, m2 = 0;
        for (var i = 0; i < _values.Length; i++)
        {
            var delta = _values[i] - mean;
            mean += delta / (i + 1);
            m2 += delta * (_values[i] - mean);
        }

        _mean = mean;
        _m2 = m2;
    }

    /// <summary>
    /// Sets the window to <see cref="Window"/> copies of <paramref name="value"/> with the ring at its start: the one
    /// state that any long enough run of that value reaches, whatever came before (so skipping such a run is exact).
    /// </summary>
    public void Fill(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "Rolling statistics accept finite values only.");
        }

        Array.Fill(_values, value);
        _next = 0;
        _count = _values.Length;
        _mean = value;
        _m2 = 0;
    }

    public void Clear()
    {
        _next = 0;
        _count = 0;
        _mean = 0;
        _m2 = 0;
    }
}
