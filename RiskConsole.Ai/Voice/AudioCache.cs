using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RiskConsole.Hosting;

namespace RiskConsole.Ai.Voice;

/// <summary>
/// The directory of generated roast MP3s that <c>GET /audio/{file}</c> serves. File names are derived from
/// the voice and the text, so the same roast in the same voice maps to the same file and costs no second
/// synthesis call. <see cref="TryGetPath"/> is the security boundary of the audio endpoint: it accepts only
/// names this cache itself generates, only regular files (never a link, wherever it points) and only while the folder
/// still resolves where it did at start. The folder is created owner-only (0700 on Unix) and its files 0600. It also
/// knows whether it can still write: <see cref="CheckWritable"/> feeds the readiness check.
/// </summary>
public sealed partial class AudioCache : IDisposable
{
    /// <summary>The URL prefix under which the server maps this directory.</summary>
    public const string UrlPrefix = "/audio/";

    private const string FilePrefix = "roast_";
    private const string FileExtension = ".mp3";

    private readonly string _directory;
    private readonly int _maxFiles;
    private readonly long _maxBytes;
    private readonly TimeProvider _time;
    private readonly ILogger<AudioCache> _logger;

    // Where the folder resolved at start. If it later resolves elsewhere, someone swapped it for a link.
    private readonly string _folderTarget;

    private readonly Lock _writabilityGate = new();
    private AudioCacheWriteFailure? _lastWriteFailure;
    private DateTimeOffset? _lastProbeSucceededAt;

    // Serializes store-and-evict so two stores cannot both count the directory and over-delete.
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    public AudioCache(AudioCacheOptions options, TimeProvider time, ILogger<AudioCache>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        var errors = options.Validate().ToList();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(options));
        }

        _directory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.Directory));
        _maxFiles = options.MaxFiles;
        _maxBytes = options.MaxBytes;
        _time = time;
        _logger = logger ?? NullLogger<AudioCache>.Instance;

        // A folder that cannot be made is reported by readiness, not thrown here: the server validated it at start, and
        // a folder that broke since must not turn /audio into a 500.
        if (DataFolder.TryMakeWritable(_directory) is { } problem)
        {
            RecordWriteFailure(problem);
        }

        _folderTarget = FolderTarget();
    }

    /// <summary>How long a successful write probe is trusted, so a load balancer polling readiness does not write every time.</summary>
    public static TimeSpan WritabilityProbeInterval { get; } = TimeSpan.FromSeconds(30);

    /// <summary>The last failed store or probe, until a store or probe succeeds again.</summary>
    public AudioCacheWriteFailure? LastWriteFailure
    {
        get
        {
            lock (_writabilityGate)
            {
                return _lastWriteFailure;
            }
        }
    }

    /// <summary>The absolute path of the cache directory.</summary>
    public string DirectoryPath => _directory;

    public int MaxFiles => _maxFiles;

    /// <summary>
    /// <c>roast_&lt;first 16 hex digits of SHA-256(voiceId + "\n" + text)&gt;.mp3</c>: deterministic, so a
    /// repeated roast finds its audio, and different per voice, so changing voice does not replay the old one.
    /// </summary>
    public static string FileNameFor(string text, string voiceId)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(voiceId);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(voiceId + "\n" + text));
        return FilePrefix + Convert.ToHexStringLower(hash.AsSpan(0, 8)) + FileExtension;
    }

    /// <summary>
    /// True when <paramref name="fileName"/> is a cache-generated name of a regular file in the cache directory. A link
    /// under a cache name, or a folder that now resolves somewhere else, is refused with a warning: the cache only ever
    /// writes regular files, so either is something planted.
    /// </summary>
    public bool TryGetPath(string? fileName, out string fullPath)
    {
        fullPath = string.Empty;
        if (!TryResolve(fileName, out var candidate))
        {
            return false;
        }

        var file = new FileInfo(candidate);
        if (file.LinkTarget is { } target)
        {
            LogRefusedLink(_logger, fileName!, target);
            return false;
        }

        if (!file.Exists)
        {
            return false;
        }

        var folderNow = FolderTarget();
        if (!string.Equals(folderNow, _folderTarget, StringComparison.Ordinal))
        {
            LogRefusedMovedFolder(_logger, fileName!, _directory, folderNow, _folderTarget);
            return false;
        }

        fullPath = candidate;
        return true;
    }

    /// <summary>
    /// Whether the folder can be written: the last failed store or probe, or a fresh probe (which also makes the folder
    /// again if it was deleted). A success is trusted for <see cref="WritabilityProbeInterval"/>; a failure is probed
    /// again at the next call, so a repaired folder is seen at once.
    /// </summary>
    public AudioCacheWritability CheckWritable()
    {
        var now = _time.GetUtcNow();
        lock (_writabilityGate)
        {
            if (_lastWriteFailure is null && _lastProbeSucceededAt is { } succeeded && now - succeeded < WritabilityProbeInterval)
            {
                return AudioCacheWritability.Ok;
            }
        }

        if (DataFolder.TryMakeWritable(_directory) is { } problem)
        {
            RecordWriteFailure(problem);
        }
        else
        {
            RecordWriteSuccess(probed: true);
        }

        lock (_writabilityGate)
        {
            return _lastWriteFailure is { } failure ? new AudioCacheWritability(false, failure.Reason, failure.At) : AudioCacheWritability.Ok;
        }
    }

    public bool Contains(string? fileName) => TryGetPath(fileName, out _);

    /// <summary>
    /// Writes <paramref name="mp3"/> under <paramref name="fileName"/> atomically (a reader never sees a
    /// half-written file), evicts the oldest files beyond <see cref="MaxFiles"/>, and returns the public URL.
    /// </summary>
    public async Task<string> StoreAsync(string fileName, ReadOnlyMemory<byte> mp3, CancellationToken cancellationToken)
    {
        if (!TryResolve(fileName, out var finalPath))
        {
            throw new ArgumentException($"\"{fileName}\" is not an audio cache file name (expected roast_<16 hex>.mp3).", nameof(fileName));
        }

        if (mp3.IsEmpty)
        {
            throw new ArgumentException("Refusing to cache empty audio: the browser would play silence instead of speaking the roast.", nameof(mp3));
        }

        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // The temporary name cannot match the whitelist, so it is never served while incomplete.
            var temporaryPath = Path.Combine(_directory, $".{fileName}.{Guid.NewGuid():N}.tmp");
            try
            {
                // Made again if someone deleted it (a temp cleaner, an operator); a folder that cannot be made is a failed write.
                DataFolder.Create(_directory);
                await using (var stream = new FileStream(temporaryPath, DataFolder.NewFile(FileOptions.Asynchronous)))
                {
                    await stream.WriteAsync(mp3, cancellationToken).ConfigureAwait(false);
                    await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                }

                // Stamped from the TimeProvider so eviction order follows the app's clock, not the file system's.
                File.SetLastWriteTimeUtc(temporaryPath, _time.GetUtcNow().UtcDateTime);

                // A rename replaces a link planted under the final name; it never writes through it.
                File.Move(temporaryPath, finalPath, overwrite: true);
                RecordWriteSuccess(probed: false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                RecordWriteFailure(ex.Message.ReplaceLineEndings(" "));
                throw;
            }
            finally
            {
                if (File.Exists(temporaryPath))
                {
                    File.Delete(temporaryPath);
                }
            }

            EvictBeyondLimit(keep: finalPath);
        }
        finally
        {
            _writeGate.Release();
        }

        return UrlPrefix + fileName;
    }

    private void EvictBeyondLimit(string keep)
    {
        var files = new DirectoryInfo(_directory)
            .EnumerateFiles(FilePrefix + "*" + FileExtension)
            .Where(f => CacheFileName().IsMatch(f.Name))
            .ToList();
        var count = files.Count;
        var bytes = files.Sum(f => f.Length);
        if (count <= _maxFiles && bytes <= _maxBytes)
        {
            return;
        }

        // Oldest first, until both bounds hold; the file just stored is never the one evicted.
        foreach (var file in files
                     .Where(f => !string.Equals(f.FullName, keep, StringComparison.Ordinal))
                     .OrderBy(f => f.LastWriteTimeUtc)
                     .ThenBy(f => f.Name, StringComparer.Ordinal))
        {
            if (count <= _maxFiles && bytes <= _maxBytes)
            {
                break;
            }

            try
            {
                var length = file.Length;
                file.Delete();
                count--;
                bytes -= length;
            }
            catch (IOException)
            {
                // A reader still holds the file open on a platform that locks open files; the next store
                // counts it again and retries, so the directory overshoots by at most a few files.
                continue;
            }
        }
    }

    /// <summary>Whitelist first, then a containment check, so neither a clever name nor a path quirk escapes the directory.</summary>
    private bool TryResolve(string? fileName, out string fullPath)
    {
        fullPath = string.Empty;
        if (fileName is null || !CacheFileName().IsMatch(fileName))
        {
            return false;
        }

        var candidate = Path.GetFullPath(Path.Combine(_directory, fileName));
        if (!string.Equals(Path.GetDirectoryName(candidate), _directory, StringComparison.Ordinal))
        {
            return false;
        }

        fullPath = candidate;
        return true;
    }

    private void RecordWriteFailure(string reason)
    {
        bool wasWritable;
        lock (_writabilityGate)
        {
            wasWritable = _lastWriteFailure is null;
            _lastWriteFailure = new AudioCacheWriteFailure(_time.GetUtcNow(), reason);
        }

        // Once per breakage, not once per readiness poll.
        if (wasWritable)
        {
            LogNotWritable(_logger, _directory, reason);
        }
    }

    private void RecordWriteSuccess(bool probed)
    {
        AudioCacheWriteFailure? repaired;
        lock (_writabilityGate)
        {
            repaired = _lastWriteFailure;
            _lastWriteFailure = null;
            if (probed)
            {
                _lastProbeSucceededAt = _time.GetUtcNow();
            }
        }

        if (repaired is not null)
        {
            LogWritableAgain(_logger, _directory);
        }
    }

    /// <summary>The folder's final target if it is a link, else its own path (also when it cannot be read just now).</summary>
    private string FolderTarget()
    {
        try
        {
            return Directory.ResolveLinkTarget(_directory, returnFinalTarget: true)?.FullName ?? _directory;
        }
        catch (IOException)
        {
            return _directory;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused to serve audio cache file {FileName}: it is a symbolic link (to {Target}); the cache only writes regular files, so this one was planted")]
    private static partial void LogRefusedLink(ILogger logger, string fileName, string target);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused to serve audio cache file {FileName}: the cache folder {Directory} now resolves to {Target}, not {StartTarget} as at start")]
    private static partial void LogRefusedMovedFolder(ILogger logger, string fileName, string directory, string target, string startTarget);

    [LoggerMessage(Level = LogLevel.Error, Message = "Audio cache folder {Directory} (Ai:AudioCache:Directory) cannot be written: {Reason}; interrupts go out without audio and readiness fails until it can")]
    private static partial void LogNotWritable(ILogger logger, string directory, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Audio cache folder {Directory} can be written again")]
    private static partial void LogWritableAgain(ILogger logger, string directory);

    // \A and \z rather than ^ and $: $ also matches before a trailing newline.
    [GeneratedRegex(@"\Aroast_[0-9a-f]{16}\.mp3\z", RegexOptions.CultureInvariant)]
    private static partial Regex CacheFileName();

    public void Dispose() => _writeGate.Dispose();
}

/// <summary>A store or probe of the audio cache folder that failed, and why (one line).</summary>
public sealed record AudioCacheWriteFailure(DateTimeOffset At, string Reason);

/// <summary>What the readiness check reports for the audio cache folder.</summary>
public sealed record AudioCacheWritability(bool Writable, string? Problem, DateTimeOffset? FailedAt)
{
    public static AudioCacheWritability Ok { get; } = new(true, null, null);
}
