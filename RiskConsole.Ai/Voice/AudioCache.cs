using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace RiskConsole.Ai.Voice;

/// <summary>
/// The directory of generated roast MP3s that <c>GET /audio/{file}</c> serves. File names are derived from
/// the voice and the text, so the same roast in the same voice maps to the same file and costs no second
/// synthesis call. <see cref="TryGetPath"/> is the security boundary of the audio endpoint: it accepts only
/// names this cache itself generates and only files inside its directory.
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

    // Serializes store-and-evict so two stores cannot both count the directory and over-delete.
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    public AudioCache(AudioCacheOptions options, TimeProvider time)
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
        Directory.CreateDirectory(_directory);
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

    /// <summary>True when <paramref name="fileName"/> is a cache-generated name that exists in the cache directory.</summary>
    public bool TryGetPath(string? fileName, out string fullPath)
    {
        fullPath = string.Empty;
        if (!TryResolve(fileName, out var candidate) || !File.Exists(candidate))
        {
            return false;
        }

        fullPath = candidate;
        return true;
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
                await using (var stream = new FileStream(temporaryPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
                {
                    await stream.WriteAsync(mp3, cancellationToken).ConfigureAwait(false);
                    await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                }

                // Stamped from the TimeProvider so eviction order follows the app's clock, not the file system's.
                File.SetLastWriteTimeUtc(temporaryPath, _time.GetUtcNow().UtcDateTime);
                File.Move(temporaryPath, finalPath, overwrite: true);
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

    // \A and \z rather than ^ and $: $ also matches before a trailing newline.
    [GeneratedRegex(@"\Aroast_[0-9a-f]{16}\.mp3\z", RegexOptions.CultureInvariant)]
    private static partial Regex CacheFileName();

    public void Dispose() => _writeGate.Dispose();
}
