using Serilog.Events;
using RiskConsole.Server.Endpoints;
using RiskConsole.Server.Security;

namespace RiskConsole.Server.Logging;

/// <summary>
/// The level of each request's log line: Error for a failure, Debug for health probes and metric scrapes (a load
/// balancer or Prometheus calls them every few seconds; at Information they would bury everything else), Information
/// otherwise; and no line at all once the client's <see cref="ClientLogBudget"/> is spent.
/// </summary>
public sealed class RequestLogLevels
{
    /// <summary>
    /// Below every level a Serilog logger can enable (Verbose is 0): Serilog's request logging writes whatever level it
    /// is given unless the logger disables it, so this is how a line over budget is dropped whatever the minimum level.
    /// </summary>
    public const LogEventLevel Dropped = (LogEventLevel)(-1);

    // Serilog's request logging checks the level against this source context (its middleware's type name), so an
    // override for it applies here in the same way.
    private const string RequestLoggingSourceContext = "Serilog.AspNetCore.RequestLoggingMiddleware";

    private readonly ClientLogBudget _budget;
    private readonly Serilog.ILogger _requestLogger;

    public RequestLogLevels(ClientLogBudget budget, Serilog.ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _budget = budget ?? throw new ArgumentNullException(nameof(budget));
        _requestLogger = logger.ForContext(Serilog.Core.Constants.SourceContextPropertyName, RequestLoggingSourceContext);
    }

    /// <summary>For Serilog's RequestLoggingOptions.GetLevel: called once per request, when it completes.</summary>
    public LogEventLevel Choose(HttpContext http, double elapsedMs, Exception? error)
    {
        ArgumentNullException.ThrowIfNull(http);
        var level = LevelFor(http.Request.Path, http.Response.StatusCode, error);

        // A line that would not be written anyway (a probe at Debug) costs the client nothing.
        if (!_requestLogger.IsEnabled(level))
        {
            return level;
        }

        return _budget.TryLog(TestInterruptGate.ClientAddress(http)) ? level : Dropped;
    }

    public static LogEventLevel LevelFor(PathString path, int statusCode, Exception? error)
    {
        if (error is not null)
        {
            return LogEventLevel.Error;
        }

        // A 503 from /health/ready is the probe's answer, not a server fault; the router logs the cause when it begins.
        if (IsProbeOrScrape(path))
        {
            return LogEventLevel.Debug;
        }

        return statusCode >= StatusCodes.Status500InternalServerError ? LogEventLevel.Error : LogEventLevel.Information;
    }

    /// <summary>/health, /health/live, /health/ready and /metrics.</summary>
    public static bool IsProbeOrScrape(PathString path) =>
        path.StartsWithSegments(RoutePaths.Health, StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments(RoutePaths.Metrics, StringComparison.OrdinalIgnoreCase);
}
