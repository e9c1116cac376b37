using RiskConsole.Ai.Voice;

namespace RiskConsole.Tests.Ai.Voice;

public sealed class SilentSpeechSynthesizerTests
{
    [Test]
    public async Task ProducesNoAudioSoThePageSpeaksTheRoastItself()
    {
        var synthesizer = new SilentSpeechSynthesizer();

        Assert.That(synthesizer.Name, Is.EqualTo("none"));
        Assert.That(await synthesizer.SynthesizeAsync("Risk at 81/100.", CancellationToken.None), Is.Null);
    }
}
