namespace RiskConsole.Core;

/// <summary>
/// An options class that checks itself: every bad value gives one message naming its configuration key and the rule
/// (for example "Risk:Threshold must be between 0 and 100 (was 150)."). The hosts turn these into start-up validation,
/// so a bad value stops the server with one clear line before it listens.
/// </summary>
public interface IValidatableOptions
{
    IEnumerable<string> Validate();
}
