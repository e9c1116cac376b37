using System.Text;
using System.Text.Json.Nodes;
using RiskConsole.Ingest.Reddit;

namespace RiskConsole.Tests.Ingest.Reddit;

/// <summary>The listing parser on the shared fixture (reddit_new.json) and on every way a listing can be wrong.</summary>
public sealed class RedditListingParserTests
{
    /// <summary>Just after the fixture's newest post (created_utc 1763799800).</summary>
    private static readonly DateTimeOffset FixtureNow = DateTimeOffset.FromUnixTimeSeconds(1_763_799_860);

    private static readonly RedditListingParser DefaultParser = new(RedditOptions.DefaultSubreddits);

    [Test]
    public void TheFixtureListingGivesItsThreePostsWithTheirFields()
    {
        var json = RedditFixtures.Bytes(RedditFixtures.Listing);
        var entries = new List<RedditListingEntry>();

        var problem = DefaultParser.Parse(json, FixtureNow, entries);

        Assert.That(problem, Is.Null);
        Assert.That(entries, Has.Count.EqualTo(3));
        Assert.Multiple(() =>
        {
            Assert.That(entries.Select(e => e.Rejection), Is.All.Null);
            Assert.That(entries.Select(e => e.Name.Decode(json)), Is.EqualTo(new[] { "t3_1p3w7qa", "t3_1p3w7q3", "t3_1p3w7pw" }));
            // Default order: CryptoCurrency, Bitcoin, wallstreetbets.
            Assert.That(entries.Select(e => e.SubredditIndex), Is.EqualTo(new[] { 1, 0, 2 }));
            Assert.That(entries[0].Title.Decode(json), Is.EqualTo("BTC just lost 85k, this is getting ugly"));
            Assert.That(entries[0].SelfText.Decode(json), Does.StartWith("Liquidations everywhere."));
            Assert.That(entries[2].SelfText.Decode(json), Is.Empty);
            Assert.That(entries.Select(e => e.CreatedUtc), Is.EqualTo(new[] { 1763799800.0, 1763799705.0, 1763799610.0 }));
            Assert.That(entries[0].Created, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(1_763_799_800)));
            Assert.That(entries.Select(e => e.Position), Is.EqualTo(new[] { 0, 1, 2 }));
        });
    }

    [Test]
    public void SubredditsMatchWhateverTheCaseOfTheConfiguration()
    {
        var parser = new RedditListingParser(["bitcoin", "WALLSTREETBETS", "cryptocurrency"]);
        var entries = new List<RedditListingEntry>();

        Assert.That(parser.Parse(RedditFixtures.Bytes(RedditFixtures.Listing), FixtureNow, entries), Is.Null);
        Assert.That(entries.Select(e => e.SubredditIndex), Is.EqualTo(new[] { 0, 2, 1 }));
    }

    [Test]
    public void APostFromASubredditThatIsNotConfiguredIsRejectedAndTheOthersAreKept()
    {
        var parser = new RedditListingParser(["Bitcoin"]);
        var json = RedditFixtures.Bytes(RedditFixtures.Listing);
        var entries = new List<RedditListingEntry>();

        Assert.That(parser.Parse(json, FixtureNow, entries), Is.Null);
        Assert.Multiple(() =>
        {
            Assert.That(entries[0].IsPost, Is.True);
            Assert.That(entries[1].Rejection, Is.EqualTo("post t3_1p3w7q3 is from a subreddit that is not configured (Ingest:Reddit:Subreddits)"));
            Assert.That(entries[2].Rejection, Is.EqualTo("post t3_1p3w7pw is from a subreddit that is not configured (Ingest:Reddit:Subreddits)"));
            Assert.That(entries[1].Name.Decode(json), Is.EqualTo("t3_1p3w7q3"), "a rejected post keeps its name, so it is reported once");
        });
    }

    [TestCase("", "invalid JSON (line 1, byte 1)")]
    [TestCase("{\"kind\": \"Listing\", \"data\": {\"children\": [", "invalid JSON")]
    [TestCase("not json at all", "invalid JSON (line 1, byte 2)")]
    [TestCase("{\"kind\": \"Listing\", \"data\": {\"children\": []}} trailing", "invalid JSON")]
    [TestCase("{\"kind\": \"Listing\", \"data\": {\"children\": []}}{}", "invalid JSON")]
    [TestCase("[1, 2, 3]", "not a Listing: the answer is a JSON array")]
    [TestCase("42", "not a Listing: the answer is a JSON number")]
    [TestCase("\"Listing\"", "not a Listing: the answer is a JSON string")]
    [TestCase("null", "not a Listing: the answer is a JSON null")]
    [TestCase("{\"data\": {\"children\": []}}", "not a Listing: no kind")]
    [TestCase("{\"kind\": \"t1\", \"data\": {\"children\": []}}", "not a Listing: kind is 't1'")]
    [TestCase("{\"kind\": 7, \"data\": {\"children\": []}}", "not a Listing: kind is a JSON number")]
    [TestCase("{\"kind\": \"Listing\"}", "not a Listing: no data")]
    [TestCase("{\"kind\": \"Listing\", \"data\": [1]}", "not a Listing: data is a JSON array")]
    [TestCase("{\"kind\": \"Listing\", \"data\": {\"after\": null}}", "not a Listing: data has no children array")]
    [TestCase("{\"kind\": \"Listing\", \"data\": {\"children\": {}}}", "not a Listing: children is a JSON object")]
    [TestCase("{\"message\": \"Forbidden\", \"error\": 403}", "not a Listing: Reddit sent an error object")]
    public void AnAnswerThatIsNotAListingIsRejectedAsAWhole(string body, string expected)
    {
        var entries = new List<RedditListingEntry>();

        var problem = DefaultParser.Parse(Encoding.UTF8.GetBytes(body), FixtureNow, entries);

        Assert.Multiple(() =>
        {
            Assert.That(problem, Does.StartWith(expected));
            Assert.That(entries, Is.Empty);
        });
    }

    [Test]
    public void DataBeforeKindIsReadTheSame()
    {
        var listing = JsonNode.Parse(RedditFixtures.Text(RedditFixtures.Listing))!.AsObject();
        var reordered = new JsonObject { ["data"] = listing["data"]!.DeepClone(), ["kind"] = "Listing" };
        var entries = new List<RedditListingEntry>();

        Assert.That(DefaultParser.Parse(Encoding.UTF8.GetBytes(reordered.ToJsonString()), FixtureNow, entries), Is.Null);
        Assert.That(entries.Count(e => e.IsPost), Is.EqualTo(3));
    }

    [Test]
    public void AListingWithMoreChildrenThanRedditPutsOnAPageIsRejected()
    {
        var child = """{"kind": "t3", "data": {}}""";
        var body = $$$"""{"kind": "Listing", "data": {"children": [{{{string.Join(",", Enumerable.Repeat(child, 101))}}}]}}""";
        var entries = new List<RedditListingEntry>();

        Assert.That(DefaultParser.Parse(Encoding.UTF8.GetBytes(body), FixtureNow, entries), Is.EqualTo("not a Listing: more than 100 children, more than Reddit puts on a page"));
        Assert.That(entries, Is.Empty);
    }

    private static IEnumerable<TestCaseData> BrokenFirstPosts()
    {
        TestCaseData Case(string name, Action<JsonObject> breakData, string? expected) =>
            new TestCaseData(breakData, expected).SetName($"{{m}}({name})");

        yield return Case("no name", d => d.Remove("name"), "post #1 has no name");
        yield return Case("name is a number", d => d["name"] = 42, "post #1 has a name that is a JSON number");
        yield return Case("name is not a t3 id", d => d["name"] = "t1_abc", "post #1 has a name that is not a t3 id");
        yield return Case("name with capitals", d => d["name"] = "t3_ABC", "post #1 has a name that is not a t3 id");
        yield return Case("no subreddit", d => d.Remove("subreddit"), "post t3_1p3w7qa has no subreddit");
        yield return Case("subreddit is an object", d => d["subreddit"] = new JsonObject(), "post t3_1p3w7qa has a subreddit that is a JSON object");
        yield return Case("no title", d => d.Remove("title"), "post t3_1p3w7qa has no title");
        yield return Case("title is a number", d => d["title"] = 5, "post t3_1p3w7qa has a title that is a JSON number");
        yield return Case("blank title", d => d["title"] = "  \n ", "post t3_1p3w7qa has an empty title");
        yield return Case("selftext is a number", d => d["selftext"] = 5, "post t3_1p3w7qa has a selftext that is a JSON number");
        yield return Case("selftext is null", d => d["selftext"] = null, null);
        yield return Case("no selftext", d => d.Remove("selftext"), null);
        yield return Case("no created_utc", d => d.Remove("created_utc"), "post t3_1p3w7qa has no created_utc");
        yield return Case("created_utc as a numeric string", d => d["created_utc"] = "1763799800.0", null);
        yield return Case("created_utc as a word", d => d["created_utc"] = "yesterday", "post t3_1p3w7qa has a created_utc that is not a number of seconds");
        yield return Case("created_utc NaN string", d => d["created_utc"] = "NaN", "post t3_1p3w7qa has a created_utc that is not a number of seconds");
        yield return Case("created_utc Infinity string", d => d["created_utc"] = "Infinity", "post t3_1p3w7qa has a created_utc that is not a number of seconds");
        yield return Case("created_utc boolean", d => d["created_utc"] = true, "post t3_1p3w7qa has a created_utc that is a JSON boolean");
        yield return Case("created_utc negative", d => d["created_utc"] = -1.5, "post t3_1p3w7qa has created_utc -1.5, before Reddit existed");
        yield return Case("created_utc zero", d => d["created_utc"] = 0, "post t3_1p3w7qa has created_utc 0, before Reddit existed");
        yield return Case("created_utc absurd", d => d["created_utc"] = 1e300, "post t3_1p3w7qa has created_utc 1E+300, more than a day in the future");
        yield return Case("created_utc in milliseconds", d => d["created_utc"] = 1763799800000.0, "post t3_1p3w7qa has created_utc 1763799800000, more than a day in the future");
    }

    [TestCaseSource(nameof(BrokenFirstPosts))]
    public void EachBrokenPostIsRejectedWithItsReasonAndTheOthersAreKept(Action<JsonObject> breakData, string? expected)
    {
        var listing = JsonNode.Parse(RedditFixtures.Text(RedditFixtures.Listing))!;
        breakData(listing["data"]!["children"]![0]!["data"]!.AsObject());
        var entries = new List<RedditListingEntry>();

        Assert.That(DefaultParser.Parse(Encoding.UTF8.GetBytes(listing.ToJsonString()), FixtureNow, entries), Is.Null);
        Assert.Multiple(() =>
        {
            Assert.That(entries[0].Rejection, Is.EqualTo(expected));
            Assert.That(entries.Skip(1).Select(e => e.IsPost), Is.All.True);
        });
    }

    private static IEnumerable<TestCaseData> BrokenChildren()
    {
        yield return new TestCaseData((Func<JsonNode, JsonNode?>)(c => 5), "child 1 is a JSON number, not a post").SetName("{m}(a number)");
        yield return new TestCaseData((Func<JsonNode, JsonNode?>)(c => new JsonArray()), "child 1 is a JSON array, not a post").SetName("{m}(an array)");
        yield return new TestCaseData((Func<JsonNode, JsonNode?>)(c => { c["kind"] = "t1"; return c; }), "child 1 is kind 't1', not a t3 post").SetName("{m}(a comment)");
        yield return new TestCaseData((Func<JsonNode, JsonNode?>)(c => { c.AsObject().Remove("kind"); return c; }), "child 1 has no kind").SetName("{m}(no kind)");
        yield return new TestCaseData((Func<JsonNode, JsonNode?>)(c => { c.AsObject().Remove("data"); return c; }), "child 1 has no data object").SetName("{m}(no data)");
        yield return new TestCaseData((Func<JsonNode, JsonNode?>)(c => { c["data"] = "text"; return c; }), "child 1 has no data object").SetName("{m}(data is a string)");
    }

    [TestCaseSource(nameof(BrokenChildren))]
    public void AChildThatIsNotAT3PostIsRejected(Func<JsonNode, JsonNode?> breakChild, string expected)
    {
        var listing = JsonNode.Parse(RedditFixtures.Text(RedditFixtures.Listing))!;
        var children = listing["data"]!["children"]!.AsArray();
        var first = children[0]!;
        children[0] = null;
        children[0] = breakChild(first);
        var entries = new List<RedditListingEntry>();

        Assert.That(DefaultParser.Parse(Encoding.UTF8.GetBytes(listing.ToJsonString()), FixtureNow, entries), Is.Null);
        Assert.Multiple(() =>
        {
            Assert.That(entries.Select(e => e.Rejection), Is.EqualTo(new[] { expected, null, null }));
        });
    }

    [Test]
    public void EscapedTextIsDecodedExactly()
    {
        var body = """
            {"kind": "Listing", "data": {"children": [{"kind": "t3", "data": {"name": "t3_abc1", "subreddit": "Bitcoin",
             "title": "To the moon \ud83d\ude80 \u0026 \"beyond\"\nnew line", "selftext": "caf\u00e9 \\o/", "created_utc": 1763799800}}]}}
            """u8.ToArray();
        var entries = new List<RedditListingEntry>();

        Assert.That(DefaultParser.Parse(body, FixtureNow, entries), Is.Null);
        var chars = new char[entries[0].Title.Utf8Length];
        var length = entries[0].Title.CopyTo(body, chars);
        Assert.Multiple(() =>
        {
            Assert.That(new string(chars, 0, length), Is.EqualTo("To the moon 🚀 & \"beyond\"\nnew line"));
            Assert.That(entries[0].SelfText.Decode(body), Is.EqualTo("café \\o/"));
        });
    }

    [Test]
    public void ParsingAListingOfPostsAllocatesNothing()
    {
        var json = RedditFixtures.Bytes(RedditFixtures.Listing);
        var entries = new List<RedditListingEntry>(RedditListingParser.MaxChildren);
        DefaultParser.Parse(json, FixtureNow, entries); // warm up

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            DefaultParser.Parse(json, FixtureNow, entries);
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero, "no string or object per post or field");
    }
}
