using System.Diagnostics.Metrics;

namespace RiskConsole.Ingest;

/// <summary>
/// The ingest side's instruments (meter <see cref="MeterName"/>): how often each source changes mode (live, mock,
/// starting, stopped) and how often a live listener had to reconnect to its upstream. Created from the host's
/// <see cref="IMeterFactory"/>, so every host (and every test) gets its own meter and nothing is static.
/// </summary>
public sealed class IngestMetrics
{
    public const string MeterName = "RiskConsole.Ingest";

    private readonly Counter<long> _statusChanges;
    private readonly Counter<long> _reconnects;

    public IngestMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _statusChanges = meter.CreateCounter<long>("riskconsole.source.status_changes", "{change}", "Mode changes of a source (to live, mock, starting or stopped), by source and the mode it changed to.");
        _reconnects = meter.CreateCounter<long>("riskconsole.source.reconnects", "{reconnect}", "Times a live listener reconnected to its upstream, by source.");
    }

    /// <summary>A source entered <paramref name="mode"/> (one of SourceModes); stopped counts a source that ended.</summary>
    public void SourceStatusChanged(string source, string mode) =>
        _statusChanges.Add(1, new KeyValuePair<string, object?>("source", source), new KeyValuePair<string, object?>("mode", mode));

    /// <summary>A live listener lost its upstream connection and opened a new one.</summary>
    public void UpstreamReconnected(string source) => _reconnects.Add(1, new KeyValuePair<string, object?>("source", source));
}
