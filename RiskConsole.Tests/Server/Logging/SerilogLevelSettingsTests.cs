using Microsoft.Extensions.Configuration;
using RiskConsole.Server.Logging;

namespace RiskConsole.Tests.Server.Logging;

/// <summary>Every place the "Serilog" section sets a level is checked, so a bad one is a line naming its key, not a crash.</summary>
public sealed class SerilogLevelSettingsTests
{
    private const string Levels = "Verbose, Debug, Information, Warning, Error, Fatal";

    [Test]
    public void TheShippedSettingsAreValid()
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(TestContext.CurrentContext.TestDirectory, "appsettings.json"))
            .AddJsonFile(Path.Combine(TestContext.CurrentContext.TestDirectory, "appsettings.Development.json"))
            .Build();

        Assert.That(SerilogLevelSettings.Read(configuration).Validate(), Is.Empty);
    }

    [Test]
    public void LevelsAreMatchedByNameIgnoringCaseAndSwitchesByDeclaration()
    {
        var settings = Read(new()
        {
            ["Serilog:LevelSwitches:$console"] = "Warning",
            ["Serilog:MinimumLevel:Default"] = "information",
            ["Serilog:MinimumLevel:ControlledBy"] = "$console",
            ["Serilog:MinimumLevel:Override:Microsoft"] = "$console",
            ["Serilog:MinimumLevel:Override:System"] = "console",
            ["Serilog:MinimumLevel:Override:Empty"] = "",
            ["Serilog:WriteTo:0:Args:restrictedToMinimumLevel"] = "Error",
        });

        Assert.That(settings.Validate(), Is.Empty);
    }

    [Test]
    public void EachBadLevelIsOneLineNamingItsKey()
    {
        var settings = Read(new()
        {
            ["Serilog:MinimumLevel:Default"] = "Loud",
            ["Serilog:MinimumLevel:Override:Microsoft.AspNetCore"] = "Quiet",
            ["Serilog:MinimumLevel:ControlledBy"] = "$missing",
            ["Serilog:LevelSwitches:$console"] = "Chatty",
            ["Serilog:WriteTo:0:Args:restrictedToMinimumLevel"] = "$console",
        });

        Assert.That(settings.Validate(), Is.EquivalentTo(new[]
        {
            $"Serilog:MinimumLevel:Default must be one of {Levels}, or a switch declared under Serilog:LevelSwitches (was 'Loud').",
            $"Serilog:MinimumLevel:Override:Microsoft.AspNetCore must be one of {Levels}, or a switch declared under Serilog:LevelSwitches (was 'Quiet').",
            "Serilog:MinimumLevel:ControlledBy must name a switch declared under Serilog:LevelSwitches (was '$missing').",
            $"Serilog:LevelSwitches:$console must be one of {Levels} (was 'Chatty').",
            $"Serilog:WriteTo:0:Args:restrictedToMinimumLevel must be one of {Levels} (was '$console').",
        }));
    }

    [TestCase("Debug,Error")]
    [TestCase("3")]
    [TestCase("")]
    public void OnlyALevelNameIsALevel(string value) =>
        Assert.That(Read(new() { ["Serilog:MinimumLevel"] = value }).Validate().Single(), Does.StartWith("Serilog:MinimumLevel must be one of"));

    private static SerilogLevelSettings Read(Dictionary<string, string?> values) =>
        SerilogLevelSettings.Read(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
}
