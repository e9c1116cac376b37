using Microsoft.AspNetCore.SignalR.Client;
using RiskConsole.Core.Contracts;
using RiskConsole.Tests.Server.Infrastructure;

namespace RiskConsole.Tests.Ai.Voice;

/// <summary>With an ElevenLabs key, a forced interrupt's AudioUrl downloads as the very bytes the voice service returned.</summary>
[Category(TestCategories.EndToEnd)]
public sealed class ElevenLabsEndToEndTests
{
    [Test]
    public async Task AForcedInterruptCarriesAudioThatDownloadsAsTheServiceReturnedIt()
    {
        await using var voice = await FakeElevenLabsServer.StartAsync();
        await using var server = RiskConsoleServer.Start(settings: new Dictionary<string, string?>
        {
            ["Ai:ElevenLabs:ApiKey"] = "xi-e2e-key",
            ["Ai:ElevenLabs:BaseUrl"] = voice.BaseUrl,
        });
        await using var connection = server.CreateHub();
        var recorder = new HubRecorder(connection);
        await connection.StartAsync();

        using var response = await server.Http.PostAsync("/test-interrupt", null);
        var interrupt = await recorder.Interrupt();
        Assert.That(interrupt.AudioUrl, Does.StartWith("/audio/"));
        using var audio = await server.Http.GetAsync(interrupt.AudioUrl);
        var bytes = await audio.Content.ReadAsByteArrayAsync();
        using var range = new HttpRequestMessage(HttpMethod.Get, interrupt.AudioUrl);
        range.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(0, 3);
        using var partial = await server.Http.SendAsync(range);
        var status = await connection.InvokeAsync<RiskStatus>(nameof(IRiskHub.GetStatus));
        Assert.Multiple(() =>
        {
            Assert.That(audio.Content.Headers.ContentType?.MediaType, Is.EqualTo("audio/mpeg"));
            Assert.That(bytes, Is.EqualTo(FakeElevenLabsServer.Mp3));
            Assert.That(audio.Headers.CacheControl?.ToString(), Does.Contain("immutable"));
            Assert.That((int)partial.StatusCode, Is.EqualTo(206), "range requests, so a player can seek");
            Assert.That(status.Ai.Single(a => a.Service == AiServices.Voice).LastSuccessAt, Is.Not.Null);
        });
    }

    [Test]
    public async Task WithoutAVoiceTheInterruptPointsAtTheConfiguredFallbackAudio()
    {
        await using var server = RiskConsoleServer.Start(settings: new Dictionary<string, string?>
        {
            ["Ai:ElevenLabs:FallbackAudioUrl"] = "/audio/fallback_roast.mp3",
        });
        await using var connection = server.CreateHub();
        var recorder = new HubRecorder(connection);
        await connection.StartAsync();

        using var response = await server.Http.PostAsync("/test-interrupt", null);
        var interrupt = await recorder.Interrupt();
        Assert.That(interrupt.AudioUrl, Is.EqualTo("/audio/fallback_roast.mp3"));
    }

    [Test]
    public void AFallbackThatIsNeitherAPathNorAUrlIsRefused() =>
        Assert.That(new RiskConsole.Ai.ElevenLabsOptions { FallbackAudioUrl = "fallback.mp3" }.Validate(), Has.One.StartsWith("Ai:ElevenLabs:FallbackAudioUrl must be a path"));
}
