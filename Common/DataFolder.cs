namespace RiskConsole.Hosting;

/// <summary>
/// The console's own data folder (riskconsole/ under the user's local application data) and how things are kept in it:
/// folders owner-only, new files owner-only and never through an existing name, and a write probe that says in one line
/// why a folder cannot be used. The audio cache and the signal journal both live here. Compiled into each project that
/// keeps files (linked from Common/, like ValidatedOptions).
/// </summary>
internal static class DataFolder
{
    /// <summary>
    /// Folders are the owner's alone: nobody else may read what was said or recorded, and above all nobody else may plant
    /// a file (or a link) under a name the console would serve or open.
    /// </summary>
    public const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// riskconsole/<paramref name="name"/> under the user's local application data folder (Linux: $XDG_DATA_HOME or
    /// ~/.local/share; macOS: ~/Library/Application Support; Windows: %LOCALAPPDATA%). A user without one (a service
    /// account with no home) gets riskconsole/<paramref name="name"/> beside the application instead. Never the shared
    /// temp folder, where any local user could plant a file or a link under a name the console uses.
    /// </summary>
    public static string Default(string name)
    {
        var data = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        return Path.Combine(string.IsNullOrEmpty(data) ? AppContext.BaseDirectory : data, "riskconsole", name);
    }

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
