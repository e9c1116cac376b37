namespace RiskConsole.Ai.Voice;

/// <summary>
/// The synthesizer used when no voice key is configured: it produces no audio, so the interrupt carries a
/// null audio URL and the dashboard speaks the roast with the browser's own speech synthesis.
/// </summary>
public sealed class SilentSpeechSynthesizer : ISpeechSynthesizer
{
    private static readonly Task<string?> NoAudio = Task.FromResult<string?>(null);

    public string Name => "none";

    public Task<string?> SynthesizeAsync(string text, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return NoAudio;
    }
}
