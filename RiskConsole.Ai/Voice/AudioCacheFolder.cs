namespace RiskConsole.Ai.Voice;

/// <summary>
/// Making the audio cache folder and proving it can be written: once at start (so an unusable folder stops the server
/// with one line naming Ai:AudioCache:Directory) and again by the cache's readiness probe while it runs.
/// </summary>
internal static class AudioCacheFolder
{
    /// <summary>
    /// The folder is the owner's alone: nobody else may read what was said, and above all nobody else may plant a file
    /// (or a link) under a name the cache would serve.
    /// </summary>
    public const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates the folder when it is missing, owner-only on Unix. A folder that exists keeps the mode its owner gave it.</summary>
    public static void Create(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, OwnerOnlyFolder);
        }
    }

    /// <summary>Options for a new file in the folder: never an existing one (so never through a planted link), owner-only on Unix.</summary>
    public static FileStreamOptions NewFile(FileOptions options)
    {
        var stream = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            BufferSize = 81920,
            Options = options,
        };
        if (!OperatingSystem.IsWindows())
        {
            stream.UnixCreateMode = OwnerOnlyFile;
        }

        return stream;
    }

    /// <summary>
    /// Creates the folder if needed and writes one byte to a new file in it (deleted again); null when that worked,
    /// otherwise why not, on one line. A byte rather than an empty file, so a full disk fails the probe too.
    /// </summary>
    public static string? TryMakeWritable(string directory)
    {
        try
        {
            Create(directory);
            using var probe = new FileStream(Path.Combine(directory, $".probe-{Guid.NewGuid():N}.tmp"), NewFile(FileOptions.DeleteOnClose));
            probe.WriteByte(0);
            probe.Flush();
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return ex.Message.ReplaceLineEndings(" ");
        }
    }
}
