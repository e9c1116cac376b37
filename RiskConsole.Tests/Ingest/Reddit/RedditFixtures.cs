namespace RiskConsole.Tests.Ingest.Reddit;

/// <summary>
/// The recorded Reddit shapes in ../shared/fixtures/feeds (beside the repository), read where they are rather than
/// copied, so the tests follow the shared fixtures if they change.
/// </summary>
internal static class RedditFixtures
{
    public const string Listing = "reddit_new.json";
    public const string Token = "reddit_token.json";
    public const string TooManyRequests = "reddit_error_429.json";

    public static byte[] Bytes(string file) => File.ReadAllBytes(PathOf(file));

    public static string Text(string file) => File.ReadAllText(PathOf(file));

    private static string PathOf(string file)
    {
        for (var folder = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "RiskConsole.sln")))
            {
                var path = Path.Combine(folder.FullName, "..", "shared", "fixtures", "feeds", file);
                if (!File.Exists(path))
                {
                    Assert.Fail($"{file} not found at {Path.GetFullPath(path)}: the tests expect ../shared beside the repository");
                }

                return path;
            }
        }

        Assert.Fail("RiskConsole.sln not found above the test directory");
        return "";
    }
}
