using System.Net;
using Microsoft.AspNetCore.Http;
using RiskConsole.Server.Configuration;
using RiskConsole.Server.Observability;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace RiskConsole.Tests.Server.Observability;

/// <summary>
/// Who may scrape /metrics, decided on the service the endpoint uses: a caller from another machine (which the real
/// server only sees once the forwarded headers are applied) needs the admin key, and cannot guess it quickly.
/// </summary>
public sealed class MetricsScrapeAccessTests
{
    private const string Key = "scrape-key-0123456789";
    private static readonly IPAddress Remote = IPAddress.Parse("203.0.113.7");

    [TestCase("127.0.0.1")]
    [TestCase("127.0.0.42")]
    [TestCase("::1")]
    [TestCase("::ffff:127.0.0.1")]
    public void LoopbackCallersNeedNoKey(string caller)
    {
        using var access = Access(Key);
        Assert.That(access.Decide(IPAddress.Parse(caller), presentedKey: null), Is.EqualTo(MetricsScrapeDecision.Allowed));
    }

    [Test]
    public void ARemoteCallerNeedsTheRightKey()
    {
        using var access = Access(Key);
        Assert.Multiple(() =>
        {
            Assert.That(access.Decide(Remote, presentedKey: null), Is.EqualTo(MetricsScrapeDecision.Forbidden));
            Assert.That(access.Decide(Remote, "wrong"), Is.EqualTo(MetricsScrapeDecision.Forbidden));
            Assert.That(access.Decide(Remote, Key), Is.EqualTo(MetricsScrapeDecision.Allowed));
            Assert.That(access.Decide(IPAddress.Parse("::ffff:203.0.113.7"), Key), Is.EqualTo(MetricsScrapeDecision.Allowed));
            Assert.That(access.Decide(caller: null, presentedKey: null), Is.EqualTo(MetricsScrapeDecision.Forbidden), "an unknown caller is not loopback");
        });
    }

    [Test]
    public void WithoutAConfiguredKeyNoRemoteCallerIsLetIn()
    {
        using var access = Access(adminKey: null);
        Assert.Multiple(() =>
        {
            Assert.That(access.Decide(Remote, presentedKey: ""), Is.EqualTo(MetricsScrapeDecision.Forbidden));
            Assert.That(access.Decide(Remote, "anything"), Is.EqualTo(MetricsScrapeDecision.Forbidden));
        });
    }

    [Test]
    public void AfterTooManyWrongKeysEvenTheRightOneIsRefusedButOnlyForThatAddress()
    {
        using var access = Access(Key);
        for (var i = 0; i < MetricsScrapeAccess.WrongKeysPerMinute; i++)
        {
            Assert.That(access.Decide(Remote, $"guess-{i}"), Is.EqualTo(MetricsScrapeDecision.Forbidden));
        }

        Assert.Multiple(() =>
        {
            Assert.That(access.Decide(Remote, Key), Is.EqualTo(MetricsScrapeDecision.TooManyAttempts));
            Assert.That(access.Decide(IPAddress.Parse("198.51.100.9"), Key), Is.EqualTo(MetricsScrapeDecision.Allowed));
            Assert.That(access.Decide(IPAddress.Loopback, presentedKey: null), Is.EqualTo(MetricsScrapeDecision.Allowed));
        });
    }

    [Test]
    public void TheKeyIsReadFromTheHeaderOnlyNeverTheQueryString()
    {
        using var access = Access(Key);
        var header = new DefaultHttpContext();
        header.Connection.RemoteIpAddress = Remote;
        header.Request.Headers["X-Admin-Key"] = Key;
        var query = new DefaultHttpContext();
        query.Connection.RemoteIpAddress = Remote;
        query.Request.QueryString = new QueryString($"?adminKey={Key}");

        Assert.Multiple(() =>
        {
            Assert.That(access.Decide(header), Is.EqualTo(MetricsScrapeDecision.Allowed));
            Assert.That(access.Decide(query), Is.EqualTo(MetricsScrapeDecision.Forbidden), "a key in a scrape URL ends up in proxy logs");
        });
    }

    private static MetricsScrapeAccess Access(string? adminKey) => new(MsOptions.Create(new ServerOptions { AdminKey = adminKey }));
}
