using System.Text.Json.Nodes;

namespace RiskConsole.Tests.Ingest.Polymarket;

/// <summary>
/// The recorded Polymarket and Gamma shapes in ../shared/fixtures/feeds (beside the repository), and the ids they hold.
/// A copy in the tests' own TestData/feeds wins when there is one, so the tests also run from a published folder.
/// </summary>
public static class PolymarketFixtures
{
    /// <summary>"Will Bitcoin reach $100,000 by December 31, 2025?": the most active market of gamma_markets.json.</summary>
    public const string ReachConditionId = "0x924e4a9fb356366d65e80338aef57c2e97d7a56efefefb7ac5dfd697998e2d66";

    public const string ReachQuestion = "Will Bitcoin reach $100,000 by December 31, 2025?";

    public const string ReachYesToken = "22586091624300841708386579686116578368902049561104846842600721634113146426130";

    public const string ReachNoToken = "39470791700688824157529319432079332560132125168310771675101323092006066881452";

    /// <summary>"Will Bitcoin dip to $70,000 by December 31, 2025?": the second market of gamma_markets.json.</summary>
    public const string DipConditionId = "0xa5d78b10903c2cb6c2f6c754623748f4044cb52ec7f1bf80fd16307e2cc7d773";

    public const string DipQuestion = "Will Bitcoin dip to $70,000 by December 31, 2025?";

    public const string DipYesToken = "33693219045014976780625335577012738533842080485230200925887412147805429176121";

    public const string DipNoToken = "59266012876821310751781846536416375062318335258465961222724415451312228754299";

    private static readonly Lazy<string> Folder = new(FindFolder);

    /// <summary>The text of one fixture file, e.g. "polymarket_book.json".</summary>
    public static string Text(string file) => File.ReadAllText(Path.Combine(Folder.Value, file));

    public static byte[] Bytes(string file) => File.ReadAllBytes(Path.Combine(Folder.Value, file));

    /// <summary>The fixture as compact JSON, property order kept: what a frame must equal to have exactly its shape.</summary>
    public static string Compact(string file) => JsonNode.Parse(Text(file))!.ToJsonString();

    private static string FindFolder()
    {
        var copied = Path.Combine(TestContext.CurrentContext.TestDirectory, "TestData", "feeds");
        if (File.Exists(Path.Combine(copied, "gamma_markets.json")))
        {
            return copied;
        }

        // From bin/<configuration>/<framework> up to the repository (the folder with RiskConsole.sln), then ../shared.
        for (var folder = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "RiskConsole.sln")))
            {
                var shared = Path.GetFullPath(Path.Combine(folder.FullName, "..", "shared", "fixtures", "feeds"));
                if (Directory.Exists(shared))
                {
                    return shared;
                }

                throw new DirectoryNotFoundException($"The Polymarket fixtures are read from {shared} (../shared beside the repository); it is missing.");
            }
        }

        throw new DirectoryNotFoundException($"No RiskConsole.sln above {TestContext.CurrentContext.TestDirectory}, so ../shared/fixtures/feeds cannot be found.");
    }
}
