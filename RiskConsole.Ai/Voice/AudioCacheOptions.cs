using RiskConsole.Core;

namespace RiskConsole.Ai.Voice;

/// <summary>Where generated roast audio is kept and how much of it; bound from the configuration section "Ai:AudioCache".</summary>
public sealed class AudioCacheOptions : IValidatableOptions
{
    public const string SectionName = "Ai:AudioCache";

    /// <summary>
    /// The cache directory. A relative path is resolved against the process's current directory (for example
    /// "audio-cache"). Default: <see cref="DefaultDirectory"/>, never the shared temp folder, where any local user could
    /// plant a file or a link under a name the cache serves.
    /// </summary>
    public string Directory { get; set; } = DefaultDirectory();

    /// <summary>
    /// riskconsole/audio under the user's local application data folder (Linux: $XDG_DATA_HOME or ~/.local/share;
    /// macOS: ~/Library/Application Support; Windows: %LOCALAPPDATA%). A user without one (a service account with no
    /// home) gets riskconsole/audio beside the application instead.
    /// </summary>
    public static string DefaultDirectory()
    {
        var data = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        return Path.Combine(string.IsNullOrEmpty(data) ? AppContext.BaseDirectory : data, "riskconsole", "audio");
    }

    /// <summary>Files kept at most; the oldest are deleted beyond this, so a long-running server cannot fill the disk.</summary>
    public int MaxFiles { get; set; } = 200;

    /// <summary>Bytes kept at most (default 50 MB, about 500 roasts at 128 kbit/s); the oldest files go first beyond it.</summary>
    public long MaxBytes { get; set; } = 50L * 1024 * 1024;

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Directory))
        {
            yield return $"{SectionName}:{nameof(Directory)} must be a directory path (was empty).";
        }
        else if (Directory.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            yield return $"{SectionName}:{nameof(Directory)} contains characters that are not valid in a path (was \"{Directory}\").";
        }

        if (MaxFiles is < 1 or > 100_000)
        {
            yield return $"{SectionName}:{nameof(MaxFiles)} must be between 1 and 100000 (was {MaxFiles}).";
        }

        if (MaxBytes is < 1024 or > 100L * 1024 * 1024 * 1024)
        {
            yield return $"{SectionName}:{nameof(MaxBytes)} must be between 1024 and 107374182400 (was {MaxBytes}).";
        }
    }
}
