using Microsoft.Extensions.Hosting;
using RiskConsole.Core.Contracts;
using RiskConsole.Ingest;

namespace RiskConsole.Engine.Publishing;

/// <summary>
/// One alert per switch of a source between live data and mock data (or down): a warning when it leaves live data,
/// info when it is live again. A source's first report, a reconnect that never left live data (live → connecting →
/// live) and the host stopping the sources are not switches a user needs to hear about.
/// </summary>
public sealed class SourceSwitchAlerts(SourceStatusBoard board, OutboundMailbox outbound) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        board.ModeChanged += OnModeChanged;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        board.ModeChanged -= OnModeChanged;
        return Task.CompletedTask;
    }

    /// <summary>The alert for <paramref name="change"/>, or null when it is not a switch users are told about.</summary>
    public static AlertNotice? AlertFor(SourceModeChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (change.From is null)
        {
            return null;
        }

        var why = string.IsNullOrEmpty(change.Detail) ? "" : $": {change.Detail}";
        return change.To switch
        {
            SourceModes.Mock => new AlertNotice(AlertTypes.Warning, $"{change.Source} switched to mock data{why}", change.At),
            SourceModes.Down => new AlertNotice(AlertTypes.Warning, $"{change.Source} is down{why}", change.At),
            SourceModes.Live when change.From is SourceModes.Mock or SourceModes.Down =>
                new AlertNotice(AlertTypes.Info, $"{change.Source} is live again{why}", change.At),
            _ => null,
        };
    }

    private void OnModeChanged(SourceModeChange change)
    {
        if (AlertFor(change) is { } alert)
        {
            outbound.Alert(alert);
        }
    }
}
