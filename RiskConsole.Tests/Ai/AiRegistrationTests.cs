using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RiskConsole.Ai;
using RiskConsole.Ai.Roasts;
using RiskConsole.Ai.Voice;

namespace RiskConsole.Tests.Ai;

public sealed class AiRegistrationTests
{
    private string _directory = string.Empty;

    [SetUp]
    public void PickFreshDirectory() =>
        _directory = Path.Combine(Path.GetTempPath(), "riskconsole-audio-test-" + Guid.NewGuid().ToString("N"));

    [TearDown]
    public void DeleteDirectory()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private IConfiguration Configuration(string maxFiles = "7") => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ai:AudioCache:Directory"] = _directory,
            ["Ai:AudioCache:MaxFiles"] = maxFiles,
        })
        .Build();

    [Test]
    public void RegistersTheOfflineWriterTheSilentVoiceAndTheConfiguredCache()
    {
        var services = new ServiceCollection().AddSingleton<TimeProvider>(new FakeTimeProvider());
        services.AddOfflineAi(Configuration());
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var cache = provider.GetRequiredService<AudioCache>();
        var writer = provider.GetRequiredService<IRoastWriter>();
        Assert.Multiple(() =>
        {
            Assert.That(writer, Is.InstanceOf<OfflineRoastWriter>());
            Assert.That(provider.GetRequiredService<IRoastWriter>(), Is.SameAs(writer));
            Assert.That(provider.GetRequiredService<ISpeechSynthesizer>(), Is.InstanceOf<SilentSpeechSynthesizer>());
            Assert.That(cache, Is.SameAs(provider.GetRequiredService<AudioCache>()));
            Assert.That(cache.DirectoryPath, Is.EqualTo(_directory));
            Assert.That(cache.MaxFiles, Is.EqualTo(7));
        });
    }

    [Test]
    public void EarlierRegistrationsWin()
    {
        var writer = new OfflineRoastWriter(new Random(1));
        var synthesizer = new SilentSpeechSynthesizer();
        var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(new FakeTimeProvider())
            .AddSingleton<IRoastWriter>(writer)
            .AddSingleton<ISpeechSynthesizer>(synthesizer);
        services.AddOfflineAi(Configuration());
        using var provider = services.BuildServiceProvider();

        Assert.Multiple(() =>
        {
            Assert.That(provider.GetRequiredService<IRoastWriter>(), Is.SameAs(writer));
            Assert.That(provider.GetRequiredService<ISpeechSynthesizer>(), Is.SameAs(synthesizer));
            Assert.That(provider.GetServices<IRoastWriter>().Count(), Is.EqualTo(1));
        });
    }

    [Test]
    public void DoesNotRegisterTimeProvider()
    {
        var services = new ServiceCollection();
        services.AddOfflineAi(Configuration());
        Assert.That(services.Any(d => d.ServiceType == typeof(TimeProvider)), Is.False);
    }

    [Test]
    public void ABadValueFailsValidationNamingTheKey()
    {
        var services = new ServiceCollection().AddSingleton<TimeProvider>(new FakeTimeProvider());
        services.AddOfflineAi(Configuration(maxFiles: "0"));
        using var provider = services.BuildServiceProvider();

        Assert.That(
            () => provider.GetRequiredService<IOptions<AudioCacheOptions>>().Value,
            Throws.InstanceOf<OptionsValidationException>().With.Message.Contains("Ai:AudioCache:MaxFiles"));
    }
}
