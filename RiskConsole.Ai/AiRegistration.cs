using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RiskConsole.Ai.Roasts;
using RiskConsole.Ai.Voice;

namespace RiskConsole.Ai;

public static class AiRegistration
{
    /// <summary>
    /// Registers the key-free AI: offline roasts, no synthesized voice, and the audio cache bound from
    /// "Ai:AudioCache" and validated at start. Everything is TryAdd, so registering an OpenAI writer or an
    /// ElevenLabs synthesizer before this call wins. <see cref="TimeProvider"/> is left to the host.
    /// </summary>
    public static IServiceCollection AddOfflineAi(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<AudioCacheOptions>()
            .Bind(configuration.GetSection(AudioCacheOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AudioCacheOptions>, AudioCacheOptionsValidator>());

        services.TryAddSingleton<IRoastWriter>(_ => new OfflineRoastWriter());
        services.TryAddSingleton<ISpeechSynthesizer, SilentSpeechSynthesizer>();
        services.TryAddSingleton(provider => new AudioCache(
            provider.GetRequiredService<IOptions<AudioCacheOptions>>().Value,
            provider.GetRequiredService<TimeProvider>()));
        return services;
    }
}

/// <summary>Turns <see cref="AudioCacheOptions.Validate"/> into start-up validation, so a bad value stops the server naming the key.</summary>
internal sealed class AudioCacheOptionsValidator : IValidateOptions<AudioCacheOptions>
{
    public ValidateOptionsResult Validate(string? name, AudioCacheOptions options)
    {
        var errors = options.Validate().ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
