using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RiskConsole.Ingest.Reddit;

namespace RiskConsole.Tests.Ingest.Reddit;

public sealed class RedditOptionsTests
{
    [Test]
    public void DefaultsAreTheDocumentedOnesAndValid()
    {
        var options = new RedditOptions();

        Assert.Multiple(() =>
        {
            Assert.That(options.BaseUrl, Is.EqualTo("https://www.reddit.com"));
            Assert.That(options.OAuthUrl, Is.EqualTo("https://oauth.reddit.com"));
            Assert.That(options.ClientId, Is.Null);
            Assert.That(options.ClientSecret, Is.Null);
            Assert.That(options.UsesOAuth, Is.False);
            Assert.That(options.EffectiveSubreddits, Is.EqualTo(new[] { "CryptoCurrency", "Bitcoin", "wallstreetbets" }));
            Assert.That(options.UserAgent, Is.EqualTo("dotnet:riskconsole:0.1.0 (by /u/riskconsole)"));
            Assert.That(options.PollInterval, Is.EqualTo(TimeSpan.FromSeconds(10)));
            Assert.That(new RedditOptions { ClientId = "id", ClientSecret = "secret" }.PollInterval, Is.EqualTo(TimeSpan.FromSeconds(2)));
            Assert.That(options.PostsPerRequest, Is.EqualTo(25));
            Assert.That(options.MaxPostAgeSeconds, Is.EqualTo(3600));
            Assert.That(options.MaxResponseBytes, Is.EqualTo(2 * 1024 * 1024));
            Assert.That(options.MaxExcerptLength, Is.EqualTo(200));
            Assert.That(options.SeenPostsCapacity, Is.EqualTo(10_000));
            Assert.That(options.MaxRateLimitWaitSeconds, Is.EqualTo(20));
            Assert.That(options.TokenRefreshMarginSeconds, Is.EqualTo(60));
            Assert.That(options.Validate(), Is.Empty);
            Assert.That(new RedditOptions { ClientId = "id", ClientSecret = "secret" }.Validate(), Is.Empty);
        });
    }

    [Test]
    public void ConfiguredSubredditsReplaceTheDefaults()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ingest:Reddit:Subreddits:0"] = "Bitcoin",
            ["Ingest:Reddit:Subreddits:1"] = "ethereum",
        }).Build();

        var options = configuration.GetSection(RedditOptions.SectionName).Get<RedditOptions>()!;

        Assert.That(options.EffectiveSubreddits, Is.EqualTo(new[] { "Bitcoin", "ethereum" }));
    }

    private static IEnumerable<TestCaseData> BadValues()
    {
        TestCaseData Case(string name, Action<RedditOptions> change, string expected) => new TestCaseData(change, expected).SetName($"{{m}}({name})");

        yield return Case("BaseUrl", o => o.BaseUrl = "www.reddit.com", "Ingest:Reddit:BaseUrl must be an absolute http(s) URL (was 'www.reddit.com').");
        yield return Case("OAuthUrl", o => o.OAuthUrl = "ftp://oauth.reddit.com", "Ingest:Reddit:OAuthUrl must be an absolute http(s) URL (was 'ftp://oauth.reddit.com').");
        yield return Case("ClientId alone", o => o.ClientId = "id", "Ingest:Reddit:ClientId and Ingest:Reddit:ClientSecret go together: set both for OAuth, or neither for the public JSON pages.");
        yield return Case("ClientSecret alone", o => o.ClientSecret = "secret", "Ingest:Reddit:ClientId and Ingest:Reddit:ClientSecret go together: set both for OAuth, or neither for the public JSON pages.");
        yield return Case("r/ prefix", o => o.Subreddits = ["r/Bitcoin"], "Ingest:Reddit:Subreddits entries must be subreddit names without 'r/': 2 to 21 letters, digits or underscores (was 'r/Bitcoin').");
        yield return Case("space in a name", o => o.Subreddits = ["wall street"], "Ingest:Reddit:Subreddits entries must be subreddit names without 'r/': 2 to 21 letters, digits or underscores (was 'wall street').");
        yield return Case("plus in a name", o => o.Subreddits = ["a+b"], "Ingest:Reddit:Subreddits entries must be subreddit names without 'r/': 2 to 21 letters, digits or underscores (was 'a+b').");
        yield return Case("twice", o => o.Subreddits = ["Bitcoin", "bitcoin"], "Ingest:Reddit:Subreddits lists 'bitcoin' twice.");
        yield return Case("browser", o => o.UserAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
            "Ingest:Reddit:UserAgent must identify this app, never a browser (Reddit blocks API clients that pose as one): use '<platform>:<app id>:<version> (by /u/<reddit user>)', e.g. 'dotnet:riskconsole:1.0 (by /u/yourname)' (was 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36').");
        yield return Case("generic", o => o.UserAgent = "python-requests/2.31", "Ingest:Reddit:UserAgent is not in Reddit's required form: use '<platform>:<app id>:<version> (by /u/<reddit user>)', e.g. 'dotnet:riskconsole:1.0 (by /u/yourname)' (was 'python-requests/2.31').");
        yield return Case("no user", o => o.UserAgent = "dotnet:riskconsole:1.0", "Ingest:Reddit:UserAgent is not in Reddit's required form: use '<platform>:<app id>:<version> (by /u/<reddit user>)', e.g. 'dotnet:riskconsole:1.0 (by /u/yourname)' (was 'dotnet:riskconsole:1.0').");
        yield return Case("empty agent", o => o.UserAgent = " ", "Ingest:Reddit:UserAgent must not be empty: use '<platform>:<app id>:<version> (by /u/<reddit user>)', e.g. 'dotnet:riskconsole:1.0 (by /u/yourname)' (was ' ').");
        yield return Case("public too fast", o => o.PollIntervalSeconds = 1, "Ingest:Reddit:PollIntervalSeconds must be between 6 and 3600 seconds (Reddit allows 10 requests/min without OAuth) (was 1).");
        yield return Case("OAuth too fast", o => { o.ClientId = "id"; o.ClientSecret = "s"; o.PollIntervalSeconds = 0.5; }, "Ingest:Reddit:PollIntervalSeconds must be between 0.6 and 3600 seconds (Reddit allows 100 requests/min with OAuth) (was 0.5).");
        yield return Case("local too fast", o => { o.BaseUrl = "http://127.0.0.1:5000"; o.PollIntervalSeconds = 0; }, "Ingest:Reddit:PollIntervalSeconds must be between 0.01 and 3600 seconds (was 0).");
        yield return Case("interval NaN", o => { o.BaseUrl = "http://127.0.0.1:5000"; o.PollIntervalSeconds = double.NaN; }, "Ingest:Reddit:PollIntervalSeconds must be between 0.01 and 3600 seconds (was NaN).");
        yield return Case("limit", o => o.PostsPerRequest = 101, "Ingest:Reddit:PostsPerRequest must be between 1 and 100, Reddit's largest page (was 101).");
        yield return Case("age", o => o.MaxPostAgeSeconds = 0, "Ingest:Reddit:MaxPostAgeSeconds must be between 1 and 604800 seconds (7 days) (was 0).");
        yield return Case("bytes", o => o.MaxResponseBytes = 1000, "Ingest:Reddit:MaxResponseBytes must be between 16384 and 67108864 bytes (was 1000).");
        yield return Case("excerpt", o => o.MaxExcerptLength = 5, "Ingest:Reddit:MaxExcerptLength must be between 20 and 2000 characters (was 5).");
        yield return Case("seen", o => o.SeenPostsCapacity = 99, "Ingest:Reddit:SeenPostsCapacity must be between 4 × PostsPerRequest (100) and 1000000, so a post still listed is never forgotten and published twice (was 99).");
        yield return Case("wait", o => o.MaxRateLimitWaitSeconds = -1, "Ingest:Reddit:MaxRateLimitWaitSeconds must be between 0 and 600 seconds (was -1).");
        yield return Case("margin", o => o.TokenRefreshMarginSeconds = double.PositiveInfinity, "Ingest:Reddit:TokenRefreshMarginSeconds must be between 0 and 3600 seconds (was Infinity).");
    }

    [TestCaseSource(nameof(BadValues))]
    public void EachBadValueIsReportedByItsKey(Action<RedditOptions> change, string expected)
    {
        var options = new RedditOptions();
        change(options);

        Assert.That(options.Validate(), Is.EqualTo(new[] { expected }));
    }

    [TestCase("dotnet:riskconsole:0.1.0 (by /u/riskconsole)")]
    [TestCase("linux:com.example.risk:v2.3.1 (by /u/some_user)")]
    [TestCase("android:my-app:1.0-beta+2 (by /u/abc)")]
    public void UserAgentsInRedditsFormAreAccepted(string userAgent) =>
        Assert.That(RedditOptions.UserAgentProblem(userAgent), Is.Null);

    [Test]
    public void AddRedditFeedValidatesAtStartNamingTheKeyAndRegistersOnce()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ingest:Reddit:UserAgent"] = "Mozilla/5.0",
        }).Build();
        var services = new ServiceCollection().AddSingleton(TimeProvider.System).AddLogging();
        services.AddRedditFeed(configuration).AddRedditFeed(configuration);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<RedditListener>());
        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.StartWith("Ingest:Reddit:UserAgent must identify this app, never a browser"));
            Assert.That(services.Count(d => d.ServiceType == typeof(RedditListener)), Is.EqualTo(1));
            Assert.That(services.Any(d => d.ServiceType == typeof(Microsoft.Extensions.Hosting.IHostedService)), Is.False, "nothing hosted: LiveSource runs the listener");
        });
    }

    [Test]
    public void TheListenerDescribesItsEndpointAndAllowsSeveralPollsOfSilence()
    {
        var services = new ServiceCollection().AddSingleton(TimeProvider.System).AddLogging();
        services.AddRedditFeed(new ConfigurationBuilder().Build());
        using var provider = services.BuildServiceProvider();
        var listener = provider.GetRequiredService<RedditListener>();

        Assert.Multiple(() =>
        {
            Assert.That(listener, Is.SameAs(provider.GetRequiredService<RedditListener>()), "a singleton: the seen posts and the token live in it");
            Assert.That(listener.Source, Is.EqualTo("reddit"));
            Assert.That(listener.Endpoint, Is.EqualTo("https://www.reddit.com"));
            // The longest wait (20 s rate-limit wait > 10 s poll) + two answers of 10 s + one poll interval.
            Assert.That(listener.SilenceTimeout, Is.EqualTo(TimeSpan.FromSeconds(50)));
            Assert.That(listener.ConnectedDetail, Is.EqualTo("public JSON https://www.reddit.com/r/CryptoCurrency+Bitcoin+wallstreetbets/new.json every 10 s (no Ingest:Reddit:ClientId, 10 requests/min)"));
        });
    }
}
