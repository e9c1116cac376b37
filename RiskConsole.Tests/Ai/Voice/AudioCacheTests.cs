using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using RiskConsole.Ai.Voice;
using RiskConsole.Tests.Engine.Publishing;

namespace RiskConsole.Tests.Ai.Voice;

public sealed class AudioCacheTests
{
    private static readonly byte[] Mp3 = [0x49, 0x44, 0x33, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x21];

    private string _directory = string.Empty;
    private FakeTimeProvider _time = null!;

    [SetUp]
    public void CreateFreshDirectory()
    {
        _directory = Path.Combine(Path.GetTempPath(), "riskconsole-audio-test-" + Guid.NewGuid().ToString("N"));
        _time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    }

    [TearDown]
    public void DeleteDirectory()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private AudioCache Cache(int maxFiles = 200) => new(new AudioCacheOptions { Directory = _directory, MaxFiles = maxFiles }, _time);

    [Test]
    public void FileNameIsTheFirstSixteenHexDigitsOfTheVoiceAndTextHash()
    {
        var expected = "roast_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("voice-a\nRisk at 81/100."))).Substring(0, 16) + ".mp3";

        Assert.Multiple(() =>
        {
            Assert.That(AudioCache.FileNameFor("Risk at 81/100.", "voice-a"), Is.EqualTo(expected));
            Assert.That(AudioCache.FileNameFor("Risk at 81/100.", "voice-b"), Is.Not.EqualTo(expected));
            Assert.That(AudioCache.FileNameFor("Risk at 82/100.", "voice-a"), Is.Not.EqualTo(expected));
            Assert.That(AudioCache.FileNameFor("Risk at 81/100.", "voice-a"), Does.Match(@"\Aroast_[0-9a-f]{16}\.mp3\z"));
        });
    }

    [Test]
    public async Task StoredAudioIsFoundAndItsBytesRoundTrip()
    {
        var cache = Cache();
        var fileName = AudioCache.FileNameFor("Your stop-losses are writing their wills.", "voice");
        Assert.That(cache.Contains(fileName), Is.False);

        var url = await cache.StoreAsync(fileName, Mp3, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(url, Is.EqualTo("/audio/" + fileName));
            Assert.That(cache.Contains(fileName), Is.True);
            Assert.That(cache.TryGetPath(fileName, out var path), Is.True);
            Assert.That(path, Is.EqualTo(Path.Combine(cache.DirectoryPath, fileName)));
            Assert.That(File.ReadAllBytes(path), Is.EqualTo(Mp3));
            Assert.That(Directory.GetFiles(_directory), Has.Length.EqualTo(1), "no temporary file is left behind");
        });
    }

    [Test]
    public async Task StoringTheSameNameAgainReplacesItAtomically()
    {
        var cache = Cache();
        var fileName = AudioCache.FileNameFor("again", "voice");
        await cache.StoreAsync(fileName, Mp3, CancellationToken.None);
        await cache.StoreAsync(fileName, new byte[] { 1, 2, 3 }, CancellationToken.None);

        Assert.That(cache.TryGetPath(fileName, out var path), Is.True);
        Assert.That(File.ReadAllBytes(path), Is.EqualTo(new byte[] { 1, 2, 3 }));
        Assert.That(Directory.GetFiles(_directory), Has.Length.EqualTo(1));
    }

    [TestCase("../x")]
    [TestCase("..%2Fx")]
    [TestCase("..\\x")]
    [TestCase("/etc/passwd")]
    [TestCase("roast_../../a.mp3")]
    [TestCase("ROAST_ABC.mp3")]
    [TestCase("ROAST_0123456789ABCDEF.MP3")]
    [TestCase("roast_0123456789ABCDEF.mp3")]
    [TestCase("roast_0123456789abcdef.wav")]
    [TestCase("roast_0123456789abcdef.mp3\n")]
    [TestCase("roast_0123456789abcdef.mp3.tmp")]
    [TestCase("roast_0123456789abcde.mp3")]
    [TestCase("roast_0123456789abcdef0.mp3")]
    [TestCase("sub/roast_0123456789abcdef.mp3")]
    [TestCase("roast_0123456789abcdef%2Emp3")]
    [TestCase("")]
    [TestCase(" ")]
    [TestCase(null)]
    public async Task NamesOutsideTheWhitelistAreRejectedEvenWhenTheFileExists(string? fileName)
    {
        var cache = Cache();

        // Plant a real file for each name the file system can hold, so a rejection is the whitelist's doing, not a missing file.
        await cache.StoreAsync("roast_0123456789abcdef.mp3", Mp3, CancellationToken.None);
        File.WriteAllBytes(Path.Combine(_directory, "roast_0123456789abcdef.wav"), Mp3);
        File.WriteAllBytes(Path.Combine(_directory, "ROAST_ABC.mp3"), Mp3);

        Assert.Multiple(() =>
        {
            Assert.That(cache.TryGetPath(fileName, out var path), Is.False);
            Assert.That(path, Is.Empty);
            Assert.That(cache.Contains(fileName), Is.False);
        });
    }

    [Test]
    public void AWellFormedNameThatWasNeverStoredIsNotFound()
    {
        var cache = Cache();
        Assert.That(cache.TryGetPath("roast_0123456789abcdef.mp3", out _), Is.False);
    }

    [TestCase("../roast_0123456789abcdef.mp3")]
    [TestCase("/tmp/roast_0123456789abcdef.mp3")]
    [TestCase("roast_0123456789abcdef.wav")]
    public void StoringUnderANameOutsideTheWhitelistThrows(string fileName)
    {
        var cache = Cache();
        Assert.That(async () => await cache.StoreAsync(fileName, Mp3, CancellationToken.None), Throws.ArgumentException);
        Assert.That(Directory.GetFiles(_directory), Is.Empty);
    }

    [Test]
    public void EmptyAudioIsNotCached()
    {
        var cache = Cache();
        Assert.That(
            async () => await cache.StoreAsync(AudioCache.FileNameFor("x", "v"), ReadOnlyMemory<byte>.Empty, CancellationToken.None),
            Throws.ArgumentException);
    }

    [Test]
    public async Task TheOldestFilesAreEvictedBeyondMaxFiles()
    {
        var cache = Cache(maxFiles: 3);
        var names = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var name = AudioCache.FileNameFor($"roast {i}", "voice");
            names.Add(name);
            await cache.StoreAsync(name, Mp3, CancellationToken.None);
            _time.Advance(TimeSpan.FromSeconds(10));
        }

        Assert.Multiple(() =>
        {
            Assert.That(Directory.GetFiles(_directory), Has.Length.EqualTo(3));
            Assert.That(cache.Contains(names[0]), Is.False);
            Assert.That(cache.Contains(names[1]), Is.False);
            Assert.That(names.Skip(2).All(cache.Contains), Is.True);
        });
    }

    [Test]
    public async Task TheOldestFilesAreEvictedBeyondMaxBytes()
    {
        var cache = new AudioCache(new AudioCacheOptions { Directory = _directory, MaxFiles = 100, MaxBytes = 2_500 }, _time);
        var audio = new byte[1_000];
        var names = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var name = AudioCache.FileNameFor($"long roast {i}", "voice");
            names.Add(name);
            await cache.StoreAsync(name, audio, CancellationToken.None);
            _time.Advance(TimeSpan.FromSeconds(10));
        }

        Assert.Multiple(() =>
        {
            Assert.That(Directory.GetFiles(_directory).Sum(f => new FileInfo(f).Length), Is.LessThanOrEqualTo(2_500));
            Assert.That(cache.Contains(names[0]) || cache.Contains(names[1]), Is.False, "the two oldest went");
            Assert.That(cache.Contains(names[2]) && cache.Contains(names[3]), Is.True);
        });
    }

    [Test]
    public async Task ANewCacheOnTheSameDirectoryReusesWhatIsThere()
    {
        var name = AudioCache.FileNameFor("kept across a restart", "voice");
        await Cache().StoreAsync(name, Mp3, CancellationToken.None);
        Assert.That(Cache().Contains(name), Is.True);
    }

    [Test]
    public async Task StoringAnOldNameAgainMakesItTheNewest()
    {
        var cache = Cache(maxFiles: 2);
        var first = AudioCache.FileNameFor("first", "voice");
        var second = AudioCache.FileNameFor("second", "voice");
        var third = AudioCache.FileNameFor("third", "voice");
        await cache.StoreAsync(first, Mp3, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(10));
        await cache.StoreAsync(second, Mp3, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(10));
        await cache.StoreAsync(first, Mp3, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(10));
        await cache.StoreAsync(third, Mp3, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(cache.Contains(first), Is.True);
            Assert.That(cache.Contains(second), Is.False);
            Assert.That(cache.Contains(third), Is.True);
        });
    }

    [Test]
    public void ARelativeDirectoryIsResolvedToAFullPathAndCreated()
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, _directory);
        var cache = new AudioCache(new AudioCacheOptions { Directory = relative }, _time);

        Assert.That(cache.DirectoryPath, Is.EqualTo(_directory));
        Assert.That(Directory.Exists(_directory), Is.True);
    }

    [Test]
    public void DefaultsAreValid()
    {
        var options = new AudioCacheOptions();
        Assert.Multiple(() =>
        {
            Assert.That(options.Validate(), Is.Empty);
            Assert.That(options.MaxFiles, Is.EqualTo(200));
            Assert.That(options.Directory, Is.EqualTo(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "riskconsole", "audio")));
            Assert.That(options.Directory, Does.Not.StartWith(Path.GetTempPath()), "never the shared temp folder, where anyone can plant files");
        });
    }

    [Test]
    [Platform(Exclude = "Win", Reason = "Unix permissions")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task TheFolderAndItsFilesAreForTheOwnerOnly()
    {
        var cache = Cache();
        var fileName = AudioCache.FileNameFor("private", "voice");
        await cache.StoreAsync(fileName, Mp3, CancellationToken.None);
        Assert.That(cache.TryGetPath(fileName, out var path), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(File.GetUnixFileMode(_directory), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
            Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        });
    }

    [Test]
    public void ASymlinkPlantedUnderACacheNameIsNeverServedAndIsLogged()
    {
        var logger = new RecordingLogger<AudioCache>();
        var cache = new AudioCache(new AudioCacheOptions { Directory = _directory }, _time, logger);
        var outside = Path.Combine(Path.GetTempPath(), "riskconsole-outside-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(outside, "not audio");
        const string Planted = "roast_0123456789abcdef.mp3";
        File.CreateSymbolicLink(Path.Combine(_directory, Planted), outside);
        try
        {
            Assert.Multiple(() =>
            {
                Assert.That(cache.TryGetPath(Planted, out var path), Is.False);
                Assert.That(path, Is.Empty);
                Assert.That(logger.Entries, Has.One.Matches<LogEntry>(e => e.Level == LogLevel.Warning && e.Message.Contains(Planted, StringComparison.Ordinal) && e.Message.Contains("symbolic link", StringComparison.Ordinal)));
            });
        }
        finally
        {
            File.Delete(outside);
        }
    }

    [Test]
    public async Task ASymlinkToAnotherCacheFileIsRefusedToo()
    {
        var cache = Cache();
        var real = AudioCache.FileNameFor("real", "voice");
        await cache.StoreAsync(real, Mp3, CancellationToken.None);
        var alias = AudioCache.FileNameFor("alias", "voice");
        File.CreateSymbolicLink(Path.Combine(_directory, alias), Path.Combine(_directory, real));
        Assert.Multiple(() =>
        {
            Assert.That(cache.TryGetPath(real, out _), Is.True);
            Assert.That(cache.TryGetPath(alias, out _), Is.False, "cache files are only ever regular files the cache wrote");
        });
    }

    [Test]
    public async Task AFolderSwappedForALinkElsewhereIsNotFollowed()
    {
        var logger = new RecordingLogger<AudioCache>();
        var cache = new AudioCache(new AudioCacheOptions { Directory = _directory }, _time, logger);
        var fileName = AudioCache.FileNameFor("swapped", "voice");
        await cache.StoreAsync(fileName, Mp3, CancellationToken.None);
        var elsewhere = _directory + "-elsewhere";
        Directory.Move(_directory, elsewhere);
        Directory.CreateSymbolicLink(_directory, elsewhere);
        try
        {
            Assert.Multiple(() =>
            {
                Assert.That(cache.TryGetPath(fileName, out _), Is.False, "the file now resolves outside the folder the cache owns");
                Assert.That(logger.Entries, Has.Some.Matches<LogEntry>(e => e.Level == LogLevel.Warning && e.Message.Contains(elsewhere, StringComparison.Ordinal)));
            });
        }
        finally
        {
            File.Delete(_directory);
            Directory.Delete(elsewhere, recursive: true);
        }
    }

    [Test]
    public async Task AFailedWriteIsReportedUntilTheFolderWorksAgain()
    {
        var cache = Cache();
        var fileName = AudioCache.FileNameFor("unwritable", "voice");
        Assert.That(cache.CheckWritable().Writable, Is.True);

        // A file where the folder was: not even root can write into it (the tests may run as root).
        Directory.Delete(_directory, recursive: true);
        File.WriteAllText(_directory, "in the way");
        try
        {
            Assert.CatchAsync<IOException>(() => cache.StoreAsync(fileName, Mp3, CancellationToken.None));
            var failure = cache.LastWriteFailure;
            var broken = cache.CheckWritable();
            Assert.Multiple(() =>
            {
                Assert.That(failure, Is.Not.Null);
                Assert.That(failure!.At, Is.EqualTo(_time.GetUtcNow()));
                Assert.That(broken.Writable, Is.False);
                Assert.That(broken.Problem, Is.Not.Empty);
            });
        }
        finally
        {
            File.Delete(_directory);
        }

        var repaired = cache.CheckWritable();
        Assert.Multiple(() =>
        {
            Assert.That(repaired.Writable, Is.True, "the probe makes the folder again");
            Assert.That(cache.LastWriteFailure, Is.Null);
            Assert.That(Directory.Exists(_directory), Is.True);
        });
    }

    [Test]
    public void AFolderThatBreaksWithoutAWriteIsFoundByTheNextProbe()
    {
        var cache = Cache();
        Assert.That(cache.CheckWritable().Writable, Is.True);
        Directory.Delete(_directory, recursive: true);
        File.WriteAllText(_directory, "in the way");
        try
        {
            var withinInterval = cache.CheckWritable();
            _time.Advance(AudioCache.WritabilityProbeInterval);
            var afterInterval = cache.CheckWritable();
            Assert.Multiple(() =>
            {
                Assert.That(withinInterval.Writable, Is.True, "a success is trusted for one probe interval, so health polls do not write every time");
                Assert.That(afterInterval.Writable, Is.False);
                Assert.That(afterInterval.FailedAt, Is.EqualTo(_time.GetUtcNow()));
            });
        }
        finally
        {
            File.Delete(_directory);
        }
    }

    [TestCase("", 200, "Ai:AudioCache:Directory")]
    [TestCase("  ", 200, "Ai:AudioCache:Directory")]
    [TestCase("audio-cache", 0, "Ai:AudioCache:MaxFiles")]
    [TestCase("audio-cache", 100_001, "Ai:AudioCache:MaxFiles")]
    public void BadOptionsNameTheKeyAndStopTheCache(string directory, int maxFiles, string key)
    {
        var options = new AudioCacheOptions { Directory = directory, MaxFiles = maxFiles };

        Assert.That(options.Validate().ToList(), Has.Count.EqualTo(1).And.One.StartsWith(key));
        Assert.That(() => new AudioCache(options, _time), Throws.ArgumentException.With.Message.Contains(key));
    }
}
