using RiskConsole.Core;

namespace RiskConsole.Server.Logging;

/// <summary>
/// How many log lines one client address may cause (<see cref="ClientLogBudget"/>). Section "Telemetry:LogBudget".
/// The defaults let a dashboard load (a burst of page, script and negotiate requests) log in full, and hold a
/// client that floods the server to a line every 200 ms plus one summary per interval.
/// </summary>
public sealed class ClientLogBudgetOptions : IValidatableOptions
{
    public const string SectionName = "Telemetry:LogBudget";

    /// <summary>Lines per second a client earns back once its burst is spent.</summary>
    public double LinesPerSecond { get; set; } = 5;

    /// <summary>Lines a client may cause at once, when it has been quiet.</summary>
    public int Burst { get; set; } = 20;

    /// <summary>How often one summary line per address reports the lines it had suppressed.</summary>
    public int SummaryIntervalSeconds { get; set; } = 10;

    /// <summary>
    /// Addresses with a budget of their own; beyond this, new addresses share one budget, so a flood from many
    /// addresses cannot grow memory or the summary without bound.
    /// </summary>
    public int MaxTrackedClients { get; set; } = 10_000;

    public IEnumerable<string> Validate()
    {
        if (!(LinesPerSecond is >= 0.01 and <= 10_000))
        {
            yield return $"{SectionName}:{nameof(LinesPerSecond)} must be between 0.01 and 10000 (was {LinesPerSecond}).";
        }

        if (Burst is < 1 or > 100_000)
        {
            yield return $"{SectionName}:{nameof(Burst)} must be between 1 and 100000 (was {Burst}).";
        }

        if (SummaryIntervalSeconds is < 1 or > 3600)
        {
            yield return $"{SectionName}:{nameof(SummaryIntervalSeconds)} must be between 1 and 3600 (was {SummaryIntervalSeconds}).";
        }

        if (MaxTrackedClients is < 1 or > 1_000_000)
        {
            yield return $"{SectionName}:{nameof(MaxTrackedClients)} must be between 1 and 1000000 (was {MaxTrackedClients}).";
        }
    }
}
