using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RiskConsole.Ai.Roasts;
using RiskConsole.Ai.Voice;
using RiskConsole.Hosting;

namespace RiskConsole.Ai;

public static class AiRegistration
{
    /// <summary>
    /// Registers the AI: roasts from OpenAI when Ai:OpenAI:ApiKey is set, else offline; no synthesized voice; the audio cache bound from
    /// "Ai:AudioCache" and validated at start, plus the provider settings ("Ai:OpenAI", "Ai:ElevenLabs") that status
    /// and /config report. Everything is TryAdd, so registering an OpenAI writer or an
    /// ElevenLabs synthesizer before this call wins. <see cref="TimeProvider"/> is left to the host.
    /// </summary>
    public static IServiceCollection AddOfflineAi(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddValidatedOptions<AudioCacheOptions>(configuration, AudioCacheOptions.SectionName);
        services.AddValidatedOptions<OpenAIOptions>(configuration, OpenAIOptions.SectionName);
        services.AddValidatedOptions<ElevenLabsOptions>(configuration, ElevenLabsOptions.SectionName);

        // With a key, roasts come from OpenAI (or the compatible endpoint configured); without one, offline.
        services.TryAddSingleton<IRoastWriter>(provider => provider.GetRequiredService<IOptions<OpenAIOptions>>().Value is { KeyConfigured: true } openAI
            ? new OpenAIRoastWriter(openAI)
            : new OfflineRoastWriter());
        services.TryAddSingleton<ISpeechSynthesizer, SilentSpeechSynthesizer>();
        services.TryAddSingleton(provider => new AudioCache(
            provider.GetRequiredService<IOptions<AudioCacheOptions>>().Value,
            provider.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<AiStatusBoard>();
        return services;
    }
}
