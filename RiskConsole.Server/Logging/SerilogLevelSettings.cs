using Microsoft.Extensions.Options;
using RiskConsole.Core;
using Serilog.Events;

namespace RiskConsole.Server.Logging;

/// <summary>
/// Every level the "Serilog" section sets (MinimumLevel, its Default, ControlledBy and Overrides, the LevelSwitches, a
/// sink's restrictedToMinimumLevel), checked before Serilog reads them: Serilog throws on a bad one while the host is
/// being built, which killed the process with a stack trace (exit 134) and made systemd restart it in a loop. Checked
/// here, a bad level is one line naming the key and exit code 1, like every other setting.
/// </summary>
public sealed class SerilogLevelSettings : IValidatableOptions
{
    public const string SectionName = "Serilog";

    private static readonly string[] LevelNames = Enum.GetNames<LogEventLevel>();

    /// <summary>Configuration key → value, for every key that must hold a level (or name a level switch).</summary>
    public Dictionary<string, string> Levels { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Keys that must name a declared level switch.</summary>
    public Dictionary<string, string> SwitchReferences { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Keys that must hold a level and cannot name a switch (a sink's restrictedToMinimumLevel).</summary>
    public Dictionary<string, string> StrictLevels { get; } = new(StringComparer.OrdinalIgnoreCase);

    public HashSet<string> DeclaredSwitches { get; } = new(StringComparer.Ordinal);

    /// <summary>What Serilog itself reported when it could not read its section, although every level was valid.</summary>
    public string? ReadFailure { get; set; }

    public static SerilogLevelSettings Read(IConfiguration configuration)
    {
        var settings = new SerilogLevelSettings();
        settings.Load(configuration);
        return settings;
    }

    public void Load(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        Levels.Clear();
        SwitchReferences.Clear();
        StrictLevels.Clear();
        DeclaredSwitches.Clear();
        var serilog = configuration.GetSection(SectionName);
        foreach (var declaration in serilog.GetSection("LevelSwitches").GetChildren())
        {
            DeclaredSwitches.Add(declaration.Key);
            if (!string.IsNullOrEmpty(declaration.Value))
            {
                StrictLevels[declaration.Path] = declaration.Value;
            }
        }

        var minimum = serilog.GetSection("MinimumLevel");
        foreach (var level in new[] { minimum, minimum.GetSection("Default") })
        {
            if (level.Value is not null)
            {
                Levels[level.Path] = level.Value;
            }
        }

        if (minimum.GetSection("ControlledBy").Value is { } controlledBy)
        {
            SwitchReferences[minimum.GetSection("ControlledBy").Path] = controlledBy;
        }

        foreach (var levelOverride in minimum.GetSection("Override").GetChildren())
        {
            // Serilog skips an empty override.
            if (!string.IsNullOrEmpty(levelOverride.Value))
            {
                Levels[levelOverride.Path] = levelOverride.Value;
            }
        }

        foreach (var sinks in new[] { serilog.GetSection("WriteTo"), serilog.GetSection("AuditTo") })
        {
            foreach (var sink in sinks.GetChildren())
            {
                var restricted = sink.GetSection("Args:restrictedToMinimumLevel");
                if (restricted.Value is not null)
                {
                    StrictLevels[restricted.Path] = restricted.Value;
                }
            }
        }
    }

    public IEnumerable<string> Validate()
    {
        var levels = string.Join(", ", LevelNames);
        foreach (var (key, value) in StrictLevels.Where(p => !IsLevel(p.Value)))
        {
            yield return $"{key} must be one of {levels} (was '{value}').";
        }

        foreach (var (key, value) in Levels.Where(p => !IsLevel(p.Value) && !IsDeclaredSwitch(p.Value)))
        {
            yield return $"{key} must be one of {levels}, or a switch declared under Serilog:LevelSwitches (was '{value}').";
        }

        foreach (var (key, value) in SwitchReferences.Where(p => !IsDeclaredSwitch(p.Value)))
        {
            yield return $"{key} must name a switch declared under Serilog:LevelSwitches (was '{value}').";
        }

        if (ReadFailure is not null)
        {
            yield return $"{SectionName}: {ReadFailure}";
        }
    }

    private static bool IsLevel(string value) => LevelNames.Contains(value.Trim(), StringComparer.OrdinalIgnoreCase);

    // Declared as "$name" by convention; Serilog also accepts a reference without the "$".
    private bool IsDeclaredSwitch(string value) =>
        DeclaredSwitches.Contains(value) || DeclaredSwitches.Contains("$" + value) || (value.StartsWith('$') && DeclaredSwitches.Contains(value[1..]));

    /// <summary>Runs <see cref="Validate"/> with the start-up check; the settings are read once, when first asked for.</summary>
    internal sealed class Validation : IValidateOptions<SerilogLevelSettings>
    {
        public ValidateOptionsResult Validate(string? name, SerilogLevelSettings options)
        {
            var problems = options.Validate().ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
