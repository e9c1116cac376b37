using Microsoft.Extensions.Options;
using RiskConsole.Core.Risk;

namespace RiskConsole.Engine.Publishing;

/// <summary>
/// Risk:StallAfterSeconds against Risk:BarSeconds: a bar is evaluated only once it has closed (and, with a lateness
/// allowance, a little later), so a stall window shorter than a few bars would fail readiness on a healthy engine.
/// </summary>
public sealed class StallWindowValidation(IOptions<RiskModelOptions> model) : IValidateOptions<RiskPublishOptions>
{
    public const int MinimumBars = 3;

    public ValidateOptionsResult Validate(string? name, RiskPublishOptions options)
    {
        double barSeconds;
        try
        {
            barSeconds = model.Value.BarSeconds;
        }
        catch (OptionsValidationException)
        {
            // The model's own validation reports its bad values at start; without a valid bar there is nothing to compare.
            return ValidateOptionsResult.Skip;
        }

        return options.StallAfterSeconds < MinimumBars * barSeconds
            ? ValidateOptionsResult.Fail($"Risk:{nameof(RiskPublishOptions.StallAfterSeconds)} must be at least {MinimumBars} bars ({MinimumBars * barSeconds} s for Risk:{nameof(RiskModelOptions.BarSeconds)}={barSeconds}; was {options.StallAfterSeconds}).")
            : ValidateOptionsResult.Success;
    }
}
