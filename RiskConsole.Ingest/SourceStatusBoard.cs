using System.Collections.Concurrent;
using RiskConsole.Core.Contracts;

namespace RiskConsole.Ingest;

/// <summary>
/// Where each source reports whether it is live or on mock data and when it last produced a signal.
/// Health checks, /health, GetStatus and the dashboard read it. Thread-safe.
/// </summary>
public sealed class SourceStatusBoard
{
    private readonly ConcurrentDictionary<string, SourceStatus> _sources = new(StringComparer.Ordinal);

    public void Report(string source, string mode, bool healthy, string? detail = null) =>
        _sources.AddOrUpdate(
            source,
            static (key, arg) => new SourceStatus(key, arg.mode, arg.healthy, arg.detail, null),
            static (_, existing, arg) => existing with { Mode = arg.mode, Healthy = arg.healthy, Detail = arg.detail },
            (mode, healthy, detail));

    /// <summary>Records that <paramref name="source"/> produced a signal at <paramref name="at"/>.</summary>
    public void Touch(string source, DateTimeOffset at) =>
        _sources.AddOrUpdate(
            source,
            static (key, time) => new SourceStatus(key, SourceModes.Starting, true, null, time),
            static (_, existing, time) => existing.LastSignalAt >= time ? existing : existing with { LastSignalAt = time },
            at);

    public IReadOnlyList<SourceStatus> Snapshot() => [.. _sources.Values.OrderBy(s => s.Source, StringComparer.Ordinal)];

    public SourceStatus? Get(string source) => _sources.TryGetValue(source, out var status) ? status : null;
}
