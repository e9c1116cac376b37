using System.Text.Json;

namespace RiskConsole.Tests.Ingest.Binance;

/// <summary>
/// The recorded Binance message shapes in ../shared/fixtures/feeds (beside the repository, as in CI), read as the bytes
/// a socket would deliver.
/// </summary>
public static class BinanceFixtures
{
    /// <summary>The fixtures folder: ../shared/fixtures/feeds from the repository root (the folder holding RiskConsole.sln).</summary>
    public static string Folder { get; } = FindFolder();

    /// <summary>The whole file <paramref name="name"/>, as UTF-8 bytes.</summary>
    public static byte[] File(string name) => System.IO.File.ReadAllBytes(Path.Combine(Folder, name));

    /// <summary>One member of a fixture that holds several messages (binance_control_messages.json), re-serialized compactly.</summary>
    public static byte[] Member(string file, string member)
    {
        using var document = JsonDocument.Parse(File(file));
        return JsonSerializer.SerializeToUtf8Bytes(document.RootElement.GetProperty(member));
    }

    /// <summary>The file compacted to one line, as a socket would send it.</summary>
    public static string Compact(string name)
    {
        using var document = JsonDocument.Parse(File(name));
        return JsonSerializer.Serialize(document.RootElement);
    }

    private static string FindFolder()
    {
        for (var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); directory is not null; directory = directory.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(directory.FullName, "RiskConsole.sln")))
            {
                var folder = Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "fixtures", "feeds"));
                return Directory.Exists(folder)
                    ? folder
                    : throw new DirectoryNotFoundException($"the Binance fixtures are read from {folder} (../shared beside the repository, as CI lays it out), which does not exist");
            }
        }

        throw new DirectoryNotFoundException($"no RiskConsole.sln above {TestContext.CurrentContext.TestDirectory}: cannot find ../shared/fixtures/feeds");
    }
}
