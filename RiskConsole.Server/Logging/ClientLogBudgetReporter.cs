using Microsoft.Extensions.Options;

namespace RiskConsole.Server.Logging;

/// <summary>
/// Every Telemetry:LogBudget:SummaryIntervalSeconds, one line per client address that went over its
/// <see cref="ClientLogBudget"/>, saying how many lines were dropped; once more at shutdown, so none go unreported.
/// </summary>
public sealed partial class ClientLogBudgetReporter(
    ClientLogBudget budget,
    IOptions<ClientLogBudgetOptions> options,
    TimeProvider time,
    ILogger<ClientLogBudgetReporter> logger) : BackgroundService
{
    // Created with the service rather than in ExecuteAsync, which .NET 10 runs on a background thread: a fake clock
    // advanced right after start must still find the timer there.
    private readonly PeriodicTimer _timer = new(TimeSpan.FromSeconds(options.Value.SummaryIntervalSeconds), time);

    /// <summary>Writes the summary lines now; returns how many addresses it reported.</summary>
    public int Report()
    {
        var suppressed = budget.TakeSuppressed();
        foreach (var entry in suppressed)
        {
            LogSuppressed(entry.Count, entry.ClientAddress, Math.Max(1, Math.Ceiling(entry.Over.TotalSeconds)));
        }

        return suppressed.Count;
    }

    public override void Dispose()
    {
        _timer.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _timer.WaitForNextTickAsync(stoppingToken))
            {
                Report();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the last summary is written by StopAsync.
        }
    }

    /// <summary>
    /// The last summary is written here, after the loop has stopped, not at the end of ExecuteAsync: .NET 10 starts
    /// ExecuteAsync on a background thread, and a stop that comes first cancels it before it ever runs.
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        Report();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Suppressed {SuppressedLines} log line(s) caused by {ClientAddress} over {Seconds} s: it went over its log budget (Telemetry:LogBudget)")]
    private partial void LogSuppressed(long suppressedLines, string clientAddress, double seconds);
}
