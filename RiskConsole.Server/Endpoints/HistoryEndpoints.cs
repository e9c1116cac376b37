using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RiskConsole.Core.Contracts;
using RiskConsole.Engine;

namespace RiskConsole.Server.Endpoints;

/// <summary>
/// GET /history?minutes=60&amp;maxPoints=500: the score history of the last minutes from the signal journal (what the
/// hub's GetHistory answers for a range), so a dashboard refilling its chart after a refresh or a restart needs no
/// hub connection first.
/// </summary>
public static class HistoryEndpoints
{
    public const int DefaultMinutes = 60;

    public static IEndpointRouteBuilder MapRiskHistory(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(RoutePaths.History, History);
        return endpoints;
    }

    /// <summary>The journal check of /health: not tagged ready, because the console serves scores without its history.</summary>
    public static IHealthChecksBuilder AddJournalHealthCheck(this IHealthChecksBuilder checks) => checks.AddCheck<JournalHealthCheck>("journal");

    private static async Task<IResult> History(IRiskHistory history, TimeProvider time, HttpContext http, double? minutes, int? maxPoints)
    {
        var span = minutes ?? DefaultMinutes;
        var points = maxPoints ?? HistoryRequest.DefaultMaxPoints;
        if (!(span is > 0 and <= HistoryRequest.MaxDays * 24 * 60))
        {
            return Results.Problem(
                title: "Bad history request",
                detail: $"minutes must be greater than 0 and at most {HistoryRequest.MaxDays * 24 * 60} (was {span.ToString(CultureInfo.InvariantCulture)}).",
                statusCode: StatusCodes.Status400BadRequest);
        }

        var until = time.GetUtcNow();
        var from = until - TimeSpan.FromMinutes(span);
        if (HistoryRequest.Problem(from, until, points) is { } problem)
        {
            return Results.Problem(title: "Bad history request", detail: problem, statusCode: StatusCodes.Status400BadRequest);
        }

        return Results.Ok(await history.GetHistoryAsync(from, until, points, http.RequestAborted));
    }

    /// <summary>
    /// Recording is Healthy; disabled is Healthy too (a choice, said in the description); starting, failing (a full disk)
    /// and unavailable (a corrupt or locked file) are Degraded with the reason: the console still scores and serves.
    /// </summary>
    private sealed class JournalHealthCheck(IRiskHistory history) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var status = history.Status();
            var data = new Dictionary<string, object>(StringComparer.Ordinal)
            {
                ["state"] = status.State,
                ["path"] = status.Path,
                ["rowsWritten"] = status.RowsWritten,
                ["rowsDropped"] = status.RowsDropped,
                ["queued"] = status.Queued,
                ["lastWriteAt"] = status.LastWriteAt?.ToString("O", CultureInfo.InvariantCulture) ?? "never",
                ["lastError"] = status.LastError is null ? "none" : $"{status.LastErrorAt?.ToString("O", CultureInfo.InvariantCulture)}: {status.LastError}",
            };
            var description = status.Detail is null ? status.State : $"{status.State}: {status.Detail}";
            if (status.RowsDropped > 0)
            {
                description += $" ({status.RowsDropped} rows dropped since start)";
            }

            return Task.FromResult(status.State is JournalStates.Recording or JournalStates.Disabled
                ? HealthCheckResult.Healthy(description, data)
                : HealthCheckResult.Degraded(description, data: data));
        }
    }
}

/// <summary>The rules a history request (hub or HTTP) must follow; the answer to a bad one is one line naming the rule.</summary>
public static class HistoryRequest
{
    public const int DefaultMaxPoints = 500;
    public const int MaxPoints = 5_000;
    public const int MaxDays = 366;

    /// <summary>Why the request cannot be answered, or null when it can.</summary>
    public static string? Problem(DateTimeOffset from, DateTimeOffset until, int maxPoints)
    {
        if (until <= from)
        {
            return $"from must be before until (was {from:O} to {until:O}).";
        }

        if (until - from > TimeSpan.FromDays(MaxDays))
        {
            return $"history covers at most {MaxDays} days (was {(until - from).TotalDays.ToString("F1", CultureInfo.InvariantCulture)}).";
        }

        return maxPoints is < 1 or > MaxPoints ? $"maxPoints must be between 1 and {MaxPoints} (was {maxPoints})." : null;
    }
}
