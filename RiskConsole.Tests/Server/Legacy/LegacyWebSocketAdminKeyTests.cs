using System.Net;
using System.Net.WebSockets;
using RiskConsole.Tests.Server.Infrastructure;

namespace RiskConsole.Tests.Server.Legacy;

/// <summary>/ws on a Production server with Server:AdminKey and one allowed foreign origin.</summary>
[Category(TestCategories.EndToEnd)]
public sealed class LegacyWebSocketAdminKeyTests : LegacySocketFixture
{
    private const string AdminKey = "test-admin-key-5f1c";
    private const string TrustedOrigin = "https://trusted.example";

    protected override string Environment => "Production";

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Server:AdminKey"] = AdminKey,
        ["Server:AllowedOrigins:0"] = TrustedOrigin,
    };

    [Test]
    public async Task ForceInterruptWithTheAdminKeyInTheQueryReachesEverySocket()
    {
        var asker = await ConnectAsync(AdminKey);
        var other = await ConnectAsync();
        await asker.SendTypeAsync("FORCE_INTERRUPT");
        await AssertForcedInterruptReaches(asker, other);
    }

    [Test]
    public async Task AWrongAdminKeyIsRefused()
    {
        var asker = await ConnectAsync(AdminKey + "x");
        await asker.SendTypeAsync("FORCE_INTERRUPT");
        var refusal = await asker.NextAsync("ALERT");
        Assert.Multiple(() =>
        {
            Assert.That(AlertType(refusal), Is.EqualTo("error"));
            Assert.That(refusal.Payload.GetProperty("message").GetString(), Does.Contain("admin key"));
        });
    }

    [Test]
    public async Task AConfiguredOriginConnects()
    {
        await using var socket = await LegacySocketClient.ConnectAsync(Server.WebSocketUri(), o => o.SetRequestHeader("Origin", TrustedOrigin));
        Assert.That((await socket.NextFrameAsync()).Type, Is.EqualTo("CONNECTED"));
    }

    [Test]
    public async Task AnOriginNotConfiguredIsStillRefused()
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Origin", "https://evil.example");
        using var timeout = new CancellationTokenSource(LegacySocketClient.DefaultTimeout);
        Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(Server.WebSocketUri(), timeout.Token));
        Assert.That(socket.HttpStatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }
}
