using System.Reflection;
using RiskConsole.Ai;
using RiskConsole.Ai.Voice;
using RiskConsole.Core.Interrupts;
using RiskConsole.Core.Risk;
using RiskConsole.Engine.Interrupts;
using RiskConsole.Engine.Journal;
using RiskConsole.Engine.Publishing;
using RiskConsole.Ingest;
using RiskConsole.Ingest.Mock;
using RiskConsole.Server.Configuration;
using RiskConsole.Server.Logging;
using RiskConsole.Server.Observability;

namespace RiskConsole.Tests.Server.Configuration;

/// <summary>The committed .env.example lists only settings the server really reads, each bound by some options class.</summary>
public sealed class DotEnvExampleTests
{
    private static readonly Dictionary<string, Type[]> OptionsBySection = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Risk"] = [typeof(RiskModelOptions), typeof(InterruptPolicyOptions), typeof(RiskPublishOptions)],
        ["Server"] = [typeof(ServerOptions), typeof(InterruptWorkflowOptions)],
        ["Ingest"] = [typeof(IngestOptions)],
        ["Ingest:Mock"] = [typeof(MockFeedOptions)],
        ["Ai:OpenAI"] = [typeof(OpenAIOptions)],
        ["Ai:ElevenLabs"] = [typeof(ElevenLabsOptions)],
        ["Ai:AudioCache"] = [typeof(AudioCacheOptions)],
        ["Telemetry"] = [typeof(TelemetryOptions)],
        ["Telemetry:LogBudget"] = [typeof(ClientLogBudgetOptions)],
        ["Journal"] = [typeof(JournalOptions)],
    };

    [Test]
    public void EveryKeyInTheExampleIsOneTheServerReads()
    {
        var path = Path.Combine(RepositoryRoot(), ".env.example");
        var lines = SeedEnvironment.ParseDotEnv(File.ReadLines(path));
        var keys = SeedEnvironment.Map(lines, _ => null).Keys.ToList();
        Assert.That(keys, Has.Count.GreaterThanOrEqualTo(SeedEnvironment.Aliases.Count), "every seed variable is listed");
        Assert.That(SeedEnvironment.Aliases.Keys, Is.SubsetOf(lines.Select(l => l.Key)), "every seed alias has a line");
        foreach (var key in keys)
        {
            var split = key.LastIndexOf(':');
            var section = key[..split];
            var property = key[(split + 1)..];
            Assert.That(OptionsBySection.TryGetValue(section, out var types), Is.True, $"{key}: no options class binds section {section}");
            Assert.That(types!.Any(t => t.GetProperty(property, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)?.CanWrite == true), Is.True, $"{key}: no bindable property {property}");
        }
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "RiskConsole.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new DirectoryNotFoundException("RiskConsole.sln not found above the test directory");
    }
}
