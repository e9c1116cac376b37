namespace RiskConsole.Ai.Voice;

/// <summary>Reads a roast aloud. ElevenLabs implements it; without a key the silent synthesizer returns null and the page speaks the text itself.</summary>
public interface ISpeechSynthesizer
{
    string Name { get; }

    /// <summary>The audio's URL under /audio/, or null when this synthesizer produces no audio.</summary>
    Task<string?> SynthesizeAsync(string text, CancellationToken cancellationToken);
}
