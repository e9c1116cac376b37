using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RiskConsole.Ai;
using RiskConsole.Ai.Voice;

namespace RiskConsole.Tests.Ai.Voice;

/// <summary>The hand-written ElevenLabs client, registered as the server registers it, against a local TTS server.</summary>
public sealed class ElevenLabsSpeechSynthesizerTests
{
    private const string Key = "xi-test-key-123";
    private FakeElevenLabsServer _server = null!;
    private ServiceProvider _services = null!;
    private string _directory = null!;

    [SetUp]
    public async Task SetUp()
    {
        _server = await FakeElevenLabsServer.StartAsync();
        _directory = Path.Combine(Path.GetTempPath(), "riskconsole-voice-" + Guid.NewGuid().ToString("N"));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ai:ElevenLabs:ApiKey"] = Key,
            ["Ai:ElevenLabs:BaseUrl"] = _server.BaseUrl,
            ["Ai:ElevenLabs:TimeoutSeconds"] = "2",
            ["Ai:AudioCache:Directory"] = _directory,
        }).Build();
        _services = new ServiceCollection().AddSingleton(TimeProvider.System).AddLogging().AddOfflineAi(configuration).BuildServiceProvider();
    }

    [TearDown]
    public async Task TearDown()
    {
        await _services.DisposeAsync();
        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private ISpeechSynthesizer Voice => _services.GetRequiredService<ISpeechSynthesizer>();

    [Test]
    public async Task TheRequestCarriesVoiceModelFormatAndKeyAndTheMp3IsCachedAndReused()
    {
        var url = await Voice.SynthesizeAsync("Risk at 87/100.", CancellationToken.None);
        var again = await Voice.SynthesizeAsync("Risk at 87/100.", CancellationToken.None);
        Assert.That(_server.Requests.TryPeek(out var request), Is.True);
        var cache = _services.GetRequiredService<AudioCache>();
        Assert.Multiple(() =>
        {
            Assert.That(Voice, Is.TypeOf<ElevenLabsSpeechSynthesizer>());
            Assert.That(request.Path, Is.EqualTo("/v1/text-to-speech/21m00Tcm4TlvDq8ikWAM"));
            Assert.That(request.Query, Is.EqualTo("?output_format=mp3_44100_128"));
            Assert.That(request.Key, Is.EqualTo(Key));
            Assert.That(request.Body.RootElement.GetProperty("text").GetString(), Is.EqualTo("Risk at 87/100."));
            Assert.That(request.Body.RootElement.GetProperty("model_id").GetString(), Is.EqualTo("eleven_turbo_v2_5"));
            Assert.That(url, Does.StartWith(AudioCache.UrlPrefix));
            Assert.That(again, Is.EqualTo(url));
            Assert.That(_server.Requests, Has.Count.EqualTo(1), "the second call came from the cache");
            Assert.That(cache.TryGetPath(url![AudioCache.UrlPrefix.Length..], out var path) && File.ReadAllBytes(path).SequenceEqual(FakeElevenLabsServer.Mp3), Is.True);
        });
    }

    [Test]
    public async Task ConcurrentRequestsForOneTextMakeOneCall()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.Default = FakeElevenLabsServer.Audio(release.Task);
        var calls = Enumerable.Range(0, 5).Select(_ => Voice.SynthesizeAsync("same roast", CancellationToken.None)).ToList();
        release.SetResult();
        var urls = await Task.WhenAll(calls);
        Assert.Multiple(() =>
        {
            Assert.That(urls.Distinct().Count(), Is.EqualTo(1));
            Assert.That(_server.Requests, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task AServerErrorIsRetriedOnce()
    {
        _server.Then(FakeElevenLabsServer.Status(500));
        var url = await Voice.SynthesizeAsync("retry me", CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(url, Is.Not.Null);
            Assert.That(_server.Requests, Has.Count.EqualTo(2));
        });
    }

    [Test]
    public void ARejectedKeyFailsOnceAndStopsFurtherCalls()
    {
        _server.Default = FakeElevenLabsServer.Status(401);
        var first = Assert.ThrowsAsync<InvalidOperationException>(() => Voice.SynthesizeAsync("one", CancellationToken.None));
        var second = Assert.ThrowsAsync<InvalidOperationException>(() => Voice.SynthesizeAsync("two", CancellationToken.None));
        Assert.Multiple(() =>
        {
            Assert.That(first!.Message, Does.Contain("refused the key (401)").And.Not.Contain(Key));
            Assert.That(second!.Message, Is.EqualTo(first.Message));
            Assert.That(_server.Requests, Has.Count.EqualTo(1), "no second request with a key known to be rejected");
        });
    }

    [Test]
    public void AnAnswerThatIsNotAudioIsAFailureAndIsNotCached()
    {
        _server.Default = FakeElevenLabsServer.JsonWith200();
        var error = Assert.ThrowsAsync<InvalidOperationException>(() => Voice.SynthesizeAsync("quota", CancellationToken.None));
        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.StartWith("ElevenLabs returned no audio (application/json"));
            Assert.That(Directory.EnumerateFiles(_directory, "*.mp3"), Is.Empty);
        });
    }

    [Test]
    public void AnEmptyOrTruncatedAnswerIsAFailureAndNothingIsCached([Values("empty", "truncated")] string kind)
    {
        _server.Default = kind == "empty" ? FakeElevenLabsServer.EmptyAudio() : FakeElevenLabsServer.Truncated();
        Assert.That(async () => await Voice.SynthesizeAsync($"broken {kind}", CancellationToken.None), Throws.InstanceOf<Exception>());
        Assert.That(Directory.EnumerateFiles(_directory), Is.Empty, "no partial or empty file is left behind");
    }

    [Test]
    public void AHangIsCutOffByTheAttemptTimeoutWithOneRetry()
    {
        _server.Default = FakeElevenLabsServer.Hang();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Assert.That(async () => await Voice.SynthesizeAsync("hang", CancellationToken.None), Throws.InstanceOf<Exception>());
        watch.Stop();
        Assert.Multiple(() =>
        {
            Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(8)), "two attempts of 2 s and the total timeout of 6 s");
            Assert.That(_server.Requests, Has.Count.LessThanOrEqualTo(2));
        });
    }

    [Test]
    public void TheCallersBudgetEndsItsWaitAtOnce()
    {
        _server.Default = FakeElevenLabsServer.Hang();
        using var budget = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        Assert.That(async () => await Voice.SynthesizeAsync("budget", budget.Token), Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public void AnAnswerFarLargerThanARoastIsRefusedAndNotCached([Values(false, true)] bool chunked)
    {
        _server.Default = FakeElevenLabsServer.Huge(ElevenLabsSpeechSynthesizer.MaxAudioBytes + 2 * 1024 * 1024, chunked);
        var error = Assert.ThrowsAsync<InvalidOperationException>(() => Voice.SynthesizeAsync($"huge {chunked}", CancellationToken.None));
        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.Contain("more than"));
            Assert.That(Directory.EnumerateFiles(_directory), Is.Empty);
        });
    }
}
