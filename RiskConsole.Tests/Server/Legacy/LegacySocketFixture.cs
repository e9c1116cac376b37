using System.Text.Json;
using RiskConsole.Tests.Server.Infrastructure;

namespace RiskConsole.Tests.Server.Legacy;

/// <summary>One server per fixture, sockets per test (closed after it), the seed's frames, and the shared checks.</summary>
[Category(TestCategories.EndToEnd)]
public abstract class LegacySocketFixture
{
    /// <summary>Server:MaxClientMessageBytes by default.</summary>
    protected const int MaxClientMessageBytes = 8 * 1024;

    /// <summary>How many further scores a bystander must see before "it did not get X" counts.</summary>
    protected const int BystanderScores = 3;

    private static readonly Lazy<JsonDocument> _fixture = new(() => JsonDocument.Parse(File.ReadAllText(
        Path.Combine(TestContext.CurrentContext.TestDirectory, "TestData", "feeds", "riskconsole_messages.json"))));

    private readonly List<LegacySocketClient> _sockets = [];

    protected RiskConsoleServer Server { get; private set; } = null!;

    protected virtual string Environment => "Development";

    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    [OneTimeSetUp]
    public void StartServer()
    {
        var settings = new Dictionary<string, string?>(Settings)
        {
            // Natural interrupts would cross the forced ones under test; a score of 100 is the only way left.
            ["Risk:Threshold"] = "100",
        };
        Server = RiskConsoleServer.Start(Environment, settings);
    }

    [OneTimeTearDown]
    public async Task StopServer() => await Server.DisposeAsync();

    [TearDown]
    public async Task CloseSockets()
    {
        foreach (var socket in _sockets)
        {
            await socket.DisposeAsync();
        }

        _sockets.Clear();
    }

    protected static JsonElement Fixture(string key) => _fixture.Value.RootElement.GetProperty("server_to_client").GetProperty(key);

    /// <summary>The frame has every key of the fixture frame, recursively, with the same kind of value; additions are allowed.</summary>
    protected static void AssertMatchesFixture(string fixtureKey, LegacyFrame frame, params string[] nullable)
    {
        var expected = Fixture(fixtureKey);
        Assert.That(frame.Type, Is.EqualTo(expected.GetProperty("type").GetString()), $"{fixtureKey}: {frame}");
        Assert.That(JsonShape.Differences(expected, frame.Root, nullable), Is.Empty, $"{fixtureKey} shape of {frame}");
    }

    protected static long Seq(LegacyFrame riskScore) => riskScore.Payload.GetProperty("seq").GetInt64();

    /// <summary>Every given socket gets the forced INTERRUPT and the ALERT of type interrupt, in the seed's shapes.</summary>
    protected static async Task AssertForcedInterruptReaches(params LegacySocketClient[] sockets)
    {
        foreach (var socket in sockets)
        {
            var interrupt = await socket.NextAsync("INTERRUPT");
            var alert = await socket.NextAsync("ALERT", f => AlertType(f) == "interrupt");
            Assert.Multiple(() =>
            {
                // No voice is configured, so audio_url is null; the key itself must be there.
                AssertMatchesFixture("INTERRUPT", interrupt, "$.payload.audio_url");
                Assert.That(interrupt.Payload.GetProperty("forced").GetBoolean(), Is.True, "the forced interrupt, not a natural one");
                Assert.That(interrupt.Payload.GetProperty("roast").GetString(), Is.Not.Empty);
                Assert.That(interrupt.Payload.GetProperty("risk_score").GetDouble(), Is.InRange(0.0, 100.0));
                AssertMatchesFixture("ALERT_interrupt", alert);
                Assert.That(alert.Payload.GetProperty("message").GetString(), Does.StartWith("Forced interrupt"));
            });
        }
    }

    protected static string? AlertType(LegacyFrame alert) => alert.Payload.GetProperty("alert_type").GetString();

    /// <summary>Opens a socket (optionally presenting the admin key as ?adminKey=) and reads its CONNECTED, after which it gets broadcasts.</summary>
    protected async Task<LegacySocketClient> ConnectAsync(string? adminKey = null)
    {
        var uri = Server.WebSocketUri();
        if (adminKey is not null)
        {
            uri = new UriBuilder(uri) { Query = "adminKey=" + Uri.EscapeDataString(adminKey) }.Uri;
        }

        var socket = await LegacySocketClient.ConnectAsync(uri);
        _sockets.Add(socket);
        var connected = await socket.NextFrameAsync();
        Assert.That(connected.Type, Is.EqualTo("CONNECTED"));
        return socket;
    }

    /// <summary>
    /// Every frame the bystander has received, up to <see cref="BystanderScores"/> scores past one the asker
    /// received after its answers. Anything the server wrongly broadcast while answering was queued to the
    /// bystander before that score, so it is among these frames.
    /// </summary>
    protected static async Task<IReadOnlyList<LegacyFrame>> ReadBystanderPastAsync(LegacySocketClient asker, LegacySocketClient bystander)
    {
        var mark = Seq(await asker.NextAsync("RISK_SCORE"));
        return await bystander.ReadThroughAsync(f => f.Type == "RISK_SCORE" && Seq(f) >= mark + BystanderScores);
    }
}
