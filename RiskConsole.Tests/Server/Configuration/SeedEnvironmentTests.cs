using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using RiskConsole.Server.Configuration;

namespace RiskConsole.Tests.Server.Configuration;

public sealed class SeedEnvironmentTests
{
    [Test]
    public void DotEnvLinesAreParsedLikeAShellWould()
    {
        var pairs = SeedEnvironment.ParseDotEnv(
        [
            "# a comment",
            "",
            "OPENAI_API_KEY=sk-abc",
            "export RISK_THRESHOLD = 80",
            "HOST=\"127.0.0.1\"",
            "PORT='9000'",
            "REDDIT_MA_WINDOW=12 # trailing comment",
            "not a setting",
            "=nothing",
        ]);
        Assert.That(pairs, Is.EqualTo(new[]
        {
            new KeyValuePair<string, string>("OPENAI_API_KEY", "sk-abc"),
            new KeyValuePair<string, string>("RISK_THRESHOLD", "80"),
            new KeyValuePair<string, string>("HOST", "127.0.0.1"),
            new KeyValuePair<string, string>("PORT", "9000"),
            new KeyValuePair<string, string>("REDDIT_MA_WINDOW", "12"),
        }));
    }

    [Test]
    public void AliasesMapToConfigurationKeysAndTheProcessEnvironmentWins()
    {
        var environment = new Dictionary<string, string> { ["RISK_THRESHOLD"] = "90", ["INTERRUPT_COOLDOWN_SECONDS"] = "30" };
        var mapped = SeedEnvironment.Map(
        [
            new("RISK_THRESHOLD", "80"),
            new("CRYPTO_MA_WINDOW", "25"),
            new("Risk__PublishIntervalMs", "250"),
            new("UNRELATED", "x"),
        ],
            name => environment.GetValueOrDefault(name));
        Assert.Multiple(() =>
        {
            Assert.That(mapped["Risk:Threshold"], Is.EqualTo("90"), "the process environment beats .env");
            Assert.That(mapped["Risk:CooldownSeconds"], Is.EqualTo("30"));
            Assert.That(mapped["Risk:CryptoWindow"], Is.EqualTo("25"));
            Assert.That(mapped["Risk:PublishIntervalMs"], Is.EqualTo("250"), "native names work in .env too");
            Assert.That(mapped.ContainsKey("UNRELATED"), Is.False);
        });
    }

    [Test]
    public void EverySeedVariableHasAnAlias() =>
        Assert.That(SeedEnvironment.Aliases.Keys, Is.EquivalentTo(new[]
        {
            "OPENAI_API_KEY", "ELEVENLABS_API_KEY", "OPENAI_MODEL", "ELEVENLABS_VOICE_ID", "RISK_THRESHOLD", "INTERRUPT_COOLDOWN_SECONDS",
            "CRYPTO_MA_WINDOW", "POLYMARKET_MA_WINDOW", "REDDIT_MA_WINDOW", "HOST", "PORT",
        }));
}
