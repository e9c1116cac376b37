using RiskConsole.Core;

namespace RiskConsole.Engine.Interrupts;

/// <summary>
/// The time budget of one interrupt. Bound from "Server" because the key, Server:InterruptBudgetSeconds, is part of
/// the documented configuration; the engine owns the setting because the engine runs the workflow.
/// </summary>
public sealed class InterruptWorkflowOptions : IValidatableOptions
{
    public const string SectionName = "Server";

    /// <summary>Hard time budget for one interrupt (roast + voice), after which the fallback roast goes out.</summary>
    public double InterruptBudgetSeconds { get; set; } = 20;

    public IEnumerable<string> Validate()
    {
        if (!(InterruptBudgetSeconds is >= 1 and <= 300))
        {
            yield return $"{SectionName}:{nameof(InterruptBudgetSeconds)} must be between 1 and 300 seconds (was {InterruptBudgetSeconds}).";
        }
    }
}
