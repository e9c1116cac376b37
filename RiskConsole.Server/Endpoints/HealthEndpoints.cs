using System.Globalization;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using RiskConsole.Ai;
using RiskConsole.Ai.Roasts;
using RiskConsole.Ai.Voice;
using RiskConsole.Core.Contracts;
using RiskConsole.Server.Configuration;
using RiskConsole.Engine;
using RiskConsole.Engine.Scoring;

namespace RiskConsole.Server.Endpoints;

/// <summary>
/// /health (everything, with per-source mode and AI readiness), /health/live (the process answers: no
/// dependency can fail it) and /health/ready (the engine is scoring: Unhealthy, 503, with the reason when the
/// router stopped, a loop ended or keeps failing, scoring stalled, the signal backlog grows or the audio cache folder
/// cannot be written; a recent loop
/// fault, a source on mock data or offline AI make it Degraded, still 200, so a load balancer keeps sending
/// traffic to a console that works on mock data).
/// </summary>
public static class HealthEndpoints
{
    private const string ReadyTag = "ready";

    public static IServiceCollection AddRiskHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<EngineHealthCheck>("engine", tags: [ReadyTag])
            .AddCheck<SourcesHealthCheck>("sources", tags: [ReadyTag])
            .AddCheck<AiHealthCheck>("ai", tags: [ReadyTag])
            .AddCheck<AudioCacheHealthCheck>("audioCache", tags: [ReadyTag])
            .AddJournalHealthCheck();
        return services;
    }

    public static IEndpointRouteBuilder MapRiskHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks(RoutePaths.Health, new HealthCheckOptions { ResponseWriter = WriteAsync });
        endpoints.MapHealthChecks(RoutePaths.Live, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync });
        endpoints.MapHealthChecks(RoutePaths.Ready, new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync });
        return endpoints;
    }

    private static Task WriteAsync(HttpContext http, HealthReport report)
    {
        var response = new HealthResponse(
            report.Status.ToString(),
            report.TotalDuration.TotalMilliseconds,
            report.Entries.ToDictionary(
                e => e.Key,
                e => new HealthEntry(
                    e.Value.Status.ToString(),
                    e.Value.Description,
                    e.Value.Data.ToDictionary(d => d.Key, d => d.Value?.ToString() ?? string.Empty, StringComparer.Ordinal)),
                StringComparer.Ordinal));
        http.Response.ContentType = "application/json; charset=utf-8";
        return http.Response.WriteAsJsonAsync(response, ApiJsonContext.Default.HealthResponse);
    }

    /// <summary>Not just "the router task exists": whether it is scoring (see <see cref="ScoringHealth.Assess"/> for every reason it reports).</summary>
    private sealed class EngineHealthCheck(IRiskConsole engine) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var report = engine.AssessScoring();
            return Task.FromResult(new HealthCheckResult(report.Status, report.Description, exception: null, report.Data));
        }
    }

    /// <summary>
    /// Per source: its mode with the reason, since when, the last live message, counts and the last error. Healthy only
    /// when every source is live; a source on mock data, connecting or down is Degraded (the console still scores).
    /// </summary>
    private sealed class SourcesHealthCheck(IRiskConsole engine) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var sources = engine.Sources();
            var data = new Dictionary<string, object>(StringComparer.Ordinal);
            foreach (var source in sources)
            {
                data[source.Source] = source.Detail is null ? source.Mode : $"{source.Mode}: {source.Detail}";
                data[$"{source.Source}Since"] = Stamp(source.Since);
                data[$"{source.Source}LastMessageAt"] = Stamp(source.LastMessageAt);
                data[$"{source.Source}Messages"] = source.Messages;
                data[$"{source.Source}Rejected"] = source.Rejected;
                data[$"{source.Source}Errors"] = source.Errors;
                data[$"{source.Source}LastError"] = source.LastError is null ? "none" : $"{Stamp(source.LastErrorAt)}: {source.LastError}";
            }

            var live = sources.Count > 0 && sources.All(s => s.Mode == SourceModes.Live && s.Healthy);
            var notLive = sources.Where(s => s.Mode != SourceModes.Live || !s.Healthy).Select(s => $"{s.Source} {s.Mode}").ToList();
            return Task.FromResult(live
                ? HealthCheckResult.Healthy("all sources live", data)
                : HealthCheckResult.Degraded(sources.Count == 0 ? "no source has reported yet" : $"not live: {string.Join(", ", notLive)}", data: data));
        }

        private static string Stamp(DateTimeOffset? at) => at?.ToString("O", CultureInfo.InvariantCulture) ?? "never";
    }

    /// <summary>
    /// Each AI service: provider, key configured (never the key), last success and last error. Degraded, not Unhealthy,
    /// without keys or after a failure: interrupts still go out with the offline roast and no audio.
    /// </summary>
    private sealed class AiHealthCheck(IRiskConsole engine) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var services = engine.AiServices();
            var data = new Dictionary<string, object>(StringComparer.Ordinal);
            var problems = new List<string>();
            foreach (var service in services)
            {
                data[service.Service] = service.Provider;
                data[$"{service.Service}KeyConfigured"] = service.KeyConfigured;
                data[$"{service.Service}LastSuccessAt"] = service.LastSuccessAt?.ToString("O", CultureInfo.InvariantCulture) ?? "never";
                data[$"{service.Service}LastError"] = service.LastError is null ? "none" : $"{service.LastErrorAt:O}: {service.LastError}";
                if (!service.KeyConfigured)
                {
                    problems.Add(service.Service == AiServices.Roasts ? "offline roasts" : "no audio: the dashboard speaks the roast itself");
                }
                else if (service.LastErrorAt is { } failed && (service.LastSuccessAt is not { } worked || failed > worked))
                {
                    problems.Add($"{service.Service} failing: {service.LastError}");
                }
            }

            // Kept for clients of the first release.
            data["openAIKeyConfigured"] = services.Any(s => s.Service == AiServices.Roasts && s.KeyConfigured);
            data["elevenLabsKeyConfigured"] = services.Any(s => s.Service == AiServices.Voice && s.KeyConfigured);
            return Task.FromResult(problems.Count > 0
                ? HealthCheckResult.Degraded(string.Join("; ", problems), data: data)
                : HealthCheckResult.Healthy("AI roasts and voice ready", data));
        }
    }

    /// <summary>
    /// Unhealthy, not Degraded: the folder passed the check at start, so failing now means a disk filled up or someone
    /// changed it, and an instance that cannot keep the audio it announces should be taken out of rotation and looked at.
    /// </summary>
    private sealed class AudioCacheHealthCheck(AudioCache cache) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var writability = cache.CheckWritable();
            if (writability.Writable)
            {
                return Task.FromResult(HealthCheckResult.Healthy("audio cache folder writable"));
            }

            var data = new Dictionary<string, object>(StringComparer.Ordinal)
            {
                ["failedAt"] = writability.FailedAt?.ToString("O", CultureInfo.InvariantCulture) ?? "unknown",
            };
            return Task.FromResult(HealthCheckResult.Unhealthy(
                $"audio cache folder {cache.DirectoryPath} cannot be written ({AudioCacheOptions.SectionName}:{nameof(AudioCacheOptions.Directory)}): {writability.Problem}",
                data: data));
        }
    }
}

public sealed record HealthResponse(string Status, double DurationMs, IReadOnlyDictionary<string, HealthEntry> Checks);

public sealed record HealthEntry(string Status, string? Description, IReadOnlyDictionary<string, string> Data);
