using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RiskConsole.Ai.Roasts;
using RiskConsole.Ai.Voice;
using RiskConsole.Hosting;

namespace RiskConsole.Ai;

public static class AiRegistration
{
    /// <summary>
    /// Registers the AI: roasts from OpenAI when Ai:OpenAI:ApiKey is set, else offline; no synthesized voice; the audio cache bound from
    /// "Ai:AudioCache" and validated at start (its folder made owner-only and written once), plus the provider settings ("Ai:OpenAI", "Ai:ElevenLabs") that status
    /// and /config report. Everything is TryAdd, so registering an OpenAI writer or an
    /// ElevenLabs synthesizer before this call wins. <see cref="TimeProvider"/> is left to the host.
    /// </summary>
    public static IServiceCollection AddOfflineAi(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddValidatedOptions<AudioCacheOptions>(configuration, AudioCacheOptions.SectionName);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AudioCacheOptions>, AudioCacheFolderValidation>());
        services.AddValidatedOptions<OpenAIOptions>(configuration, OpenAIOptions.SectionName);
        services.AddValidatedOptions<ElevenLabsOptions>(configuration, ElevenLabsOptions.SectionName);

        // With a key, roasts come from OpenAI (or the compatible endpoint configured); without one, offline.
        services.TryAddSingleton<IRoastWriter>(provider => provider.GetRequiredService<IOptions<OpenAIOptions>>().Value is { KeyConfigured: true } openAI
            ? new OpenAIRoastWriter(openAI)
            : new OfflineRoastWriter());
        // With a key, ElevenLabs reads the roast; without one, no audio (the dashboard speaks the text itself).
        // The attempt timeout is read here because the resilience pipeline is built at registration; a bad value is
        // reported by the options' own validation at start, so it is only clamped here.
        var attempt = TimeSpan.FromSeconds(Math.Clamp(configuration.GetSection(ElevenLabsOptions.SectionName).Get<ElevenLabsOptions>()?.TimeoutSeconds ?? new ElevenLabsOptions().TimeoutSeconds, 1, 60));
        services.AddHttpClient(ElevenLabsSpeechSynthesizer.HttpClientName)
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan) // the resilience handler's timeouts bound every call
            .AddStandardResilienceHandler(resilience =>
            {
                resilience.AttemptTimeout.Timeout = attempt;
                resilience.Retry.MaxRetryAttempts = 1;
                resilience.Retry.Delay = TimeSpan.FromMilliseconds(200);
                resilience.TotalRequestTimeout.Timeout = (2 * attempt) + TimeSpan.FromSeconds(2);
                resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(Math.Max(30, 2 * attempt.TotalSeconds));
            });
        services.TryAddSingleton<ElevenLabsSpeechSynthesizer>();
        services.TryAddSingleton<ISpeechSynthesizer>(provider => provider.GetRequiredService<IOptions<ElevenLabsOptions>>().Value.KeyConfigured
            ? provider.GetRequiredService<ElevenLabsSpeechSynthesizer>()
            : new SilentSpeechSynthesizer());
        services.TryAddSingleton(provider => new AudioCache(
            provider.GetRequiredService<IOptions<AudioCacheOptions>>().Value,
            provider.GetRequiredService<TimeProvider>(),
            provider.GetService<ILogger<AudioCache>>()));
        services.TryAddSingleton<AiStatusBoard>();
        return services;
    }
}
