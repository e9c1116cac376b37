using RiskConsole.Ai;

namespace RiskConsole.Tests.Ai;

/// <summary>The AI provider settings validate themselves and never need the key to be shown to say whether one is set.</summary>
public sealed class ProviderOptionsTests
{
    [Test]
    public void TheDefaultsAreValidAndHaveNoKey()
    {
        Assert.Multiple(() =>
        {
            Assert.That(new OpenAIOptions().Validate(), Is.Empty);
            Assert.That(new ElevenLabsOptions().Validate(), Is.Empty);
            Assert.That(new OpenAIOptions().KeyConfigured, Is.False);
            Assert.That(new ElevenLabsOptions { ApiKey = "  " }.KeyConfigured, Is.False, "whitespace is no key");
            Assert.That(new OpenAIOptions { ApiKey = "sk-test" }.KeyConfigured, Is.True);
        });
    }

    [Test]
    public void BadValuesAreNamedByTheirKeys()
    {
        var openAI = new OpenAIOptions { Endpoint = "ftp://models.example", Model = " " }.Validate().ToList();
        var elevenLabs = new ElevenLabsOptions { BaseUrl = "not a url", VoiceId = "", ModelId = "" }.Validate().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(openAI, Is.EqualTo(new[]
            {
                "Ai:OpenAI:Endpoint must be an absolute http(s) URL (was 'ftp://models.example').",
                "Ai:OpenAI:Model must not be empty.",
            }));
            Assert.That(elevenLabs, Has.Count.EqualTo(3).And.Some.StartsWith("Ai:ElevenLabs:BaseUrl").And.Some.StartsWith("Ai:ElevenLabs:VoiceId").And.Some.StartsWith("Ai:ElevenLabs:ModelId"));
        });
    }
}
