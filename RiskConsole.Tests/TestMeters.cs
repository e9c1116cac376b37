using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace RiskConsole.Tests;

/// <summary>
/// A meter factory of the tests' own (the one a host registers), and collectors that see only its meters: instruments
/// of the same name from any other host or test in the process are not counted.
/// </summary>
public sealed class TestMeters : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public IMeterFactory Factory => _services.GetRequiredService<IMeterFactory>();

    public MetricCollector<T> Collect<T>(string meterName, string instrumentName, TimeProvider? time = null)
        where T : struct => new(Factory, meterName, instrumentName, time);

    public void Dispose() => _services.Dispose();
}
