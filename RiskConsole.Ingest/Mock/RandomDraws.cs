namespace RiskConsole.Ingest.Mock;

/// <summary>The few distributions the mock generators draw from, all from one seeded <see cref="Random"/>.</summary>
internal static class RandomDraws
{
    /// <summary>A standard normal draw (Box–Muller); two uniforms per call keeps the sequence easy to reason about.</summary>
    public static double NextGaussian(this Random random)
    {
        // 1 − u keeps the logarithm's argument in (0, 1], so it is never log(0).
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>An exponential draw with the given mean: the gap between events of a Poisson process.</summary>
    public static double NextExponential(this Random random, double mean) => -mean * Math.Log(1.0 - random.NextDouble());

    /// <summary>A uniform draw in [min, max).</summary>
    public static double NextUniform(this Random random, double min, double max) => min + ((max - min) * random.NextDouble());

    /// <summary>
    /// A gap of at least one millisecond, in whole milliseconds: timestamps stay on the millisecond grid that
    /// exchanges use and two events of one key never share a timestamp.
    /// </summary>
    public static TimeSpan WholeMilliseconds(double seconds) =>
        TimeSpan.FromMilliseconds(Math.Max(1, Math.Round(seconds * 1000)));

    /// <summary>Derives an independent-looking seed for one generator from the demo seed.</summary>
    public static int DeriveSeed(int seed, int stream) => unchecked((seed * 486_187_739) + (stream * 16_777_619) + 1);
}
