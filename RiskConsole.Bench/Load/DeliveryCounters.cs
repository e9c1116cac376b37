using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace RiskConsole.Bench.Load;

/// <summary>
/// The in-process server's own delivery counters (meter RiskConsole.Delivery): messages its connections' outboxes
/// replaced with newer ones, by kind (score, data), and connections it closed, by reason (slow, ...). They say why a
/// client saw a Seq gap or was disconnected, which the clients alone cannot tell.
/// </summary>
public sealed class DeliveryCounters : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);

    public DeliveryCounters()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "RiskConsole.Delivery" && instrument.Name is "riskconsole.clients.dropped_messages" or "riskconsole.clients.disconnected")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var label = "";
            foreach (var tag in tags)
            {
                label = tag.Value?.ToString() ?? "";
            }

            var name = (instrument.Name == "riskconsole.clients.disconnected" ? "disconnected " : "dropped ") + label;
            _counts.AddOrUpdate(name, value, (_, sum) => sum + value);
        });
        _listener.Start();
    }

    /// <summary>Counts so far, e.g. "dropped score" → 120, "disconnected slow" → 1.</summary>
    public IReadOnlyDictionary<string, long> Snapshot() => new SortedDictionary<string, long>(_counts, StringComparer.Ordinal);

    public void Dispose() => _listener.Dispose();
}
