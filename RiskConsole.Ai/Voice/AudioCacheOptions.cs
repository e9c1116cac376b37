using RiskConsole.Core;
using RiskConsole.Hosting;

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
    /// riskconsole/audio under the user's local application data folder (see <see cref="DataFolder.Default"/>; Linux:
    /// ~/.local/share/riskconsole/audio).
    /// </summary>
    public static string DefaultDirectory() => DataFolder.Default("audio");

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
