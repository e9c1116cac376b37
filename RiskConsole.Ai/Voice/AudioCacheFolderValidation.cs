using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using RiskConsole.Hosting;

namespace RiskConsole.Ai.Voice;

/// <summary>
/// Part of the options validation at start: the configured folder is created (owner-only) and written once, so a folder
/// that cannot be used stops the server with one line naming Ai:AudioCache:Directory instead of starting "healthy" and
/// answering /audio with 500.
/// </summary>
internal sealed class AudioCacheFolderValidation : IValidateOptions<AudioCacheOptions>
{
    // Options are validated again whenever they are built (IOptions on first use, IOptionsMonitor, every snapshot), and a
    // folder that broke after start must not throw out of the request that first asks for the options: it is readiness'
    // job then (AudioCache.CheckWritable). So the folder is tried once per path, at start, and that answer is kept.
    private readonly ConcurrentDictionary<string, string?> _problemByFolder = new(StringComparer.Ordinal);

    public ValidateOptionsResult Validate(string? name, AudioCacheOptions options)
    {
        // A path that breaks the options' own rules is reported by them; trying to create it would only add noise.
        if (options.Validate().Any())
        {
            return ValidateOptionsResult.Skip;
        }

        var directory = Path.GetFullPath(options.Directory);
        return _problemByFolder.GetOrAdd(directory, DataFolder.TryMakeWritable) is { } problem
            ? ValidateOptionsResult.Fail($"{AudioCacheOptions.SectionName}:{nameof(AudioCacheOptions.Directory)} '{directory}' cannot be created or written: {problem}")
            : ValidateOptionsResult.Success;
    }
}
