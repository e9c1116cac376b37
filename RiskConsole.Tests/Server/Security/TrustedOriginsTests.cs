using Microsoft.AspNetCore.HostFiltering;
using Microsoft.Extensions.Options;
using RiskConsole.Server.Configuration;
using RiskConsole.Server.Security;

namespace RiskConsole.Tests.Server.Security;

/// <summary>
/// Which browser origins may change state or open a WebSocket: configured ones only. The request's own Host header is
/// never the measure, because a DNS-rebinding page sends a Host equal to its Origin.
/// </summary>
public sealed class TrustedOriginsTests
{
    private static TrustedOrigins Trust(string[]? allowedOrigins = null, string allowedHosts = "*") => new(
        Options.Create(new ServerOptions { AllowedOrigins = allowedOrigins ?? [] }),
        Options.Create(new HostFilteringOptions { AllowedHosts = allowedHosts.Split(';') }));

    [TestCase("http://127.0.0.1:8000")]
    [TestCase("http://10.1.2.3")]
    [TestCase("https://[::1]:8443")]
    [TestCase("http://localhost:8000")]
    [TestCase("http://LOCALHOST")]
    public void IpLiteralsAndLocalhostAreTrustedBecauseTheyCannotBeRebound(string origin) =>
        Assert.That(Trust().IsTrusted(origin), Is.True);

    [TestCase("https://evil.example")]
    [TestCase("http://rebind.evil.example:8000")]
    [TestCase("http://localhost.evil.example")]
    [TestCase("http://127.0.0.1.nip.io")]
    [TestCase("null")]
    [TestCase("")]
    [TestCase(null)]
    [TestCase("file://")]
    [TestCase("ftp://127.0.0.1")]
    [TestCase("https://trusted.example/path")]
    [TestCase("https://user@trusted.example")]
    public void AnythingElseIsNotTrustedWhenAllowedHostsIsAStar(string? origin) =>
        Assert.That(Trust(["https://trusted.example"]).IsTrusted(origin), Is.False);

    [TestCase("https://trusted.example")]
    [TestCase("https://TRUSTED.example")]
    [TestCase("https://trusted.example:443")]
    public void AConfiguredOriginIsTrusted(string origin) =>
        Assert.That(Trust(["https://trusted.example/"]).IsTrusted(origin), Is.True);

    [TestCase("http://trusted.example")]
    [TestCase("https://trusted.example:8443")]
    [TestCase("https://sub.trusted.example")]
    public void AConfiguredOriginMatchesSchemeHostAndPortExactly(string origin) =>
        Assert.That(Trust(["https://trusted.example"]).IsTrusted(origin), Is.False);

    [TestCase("https://console.example.com", true)]
    [TestCase("http://console.example.com:8000", true)]
    [TestCase("https://ops.example.org", false)]
    [TestCase("https://a.ops.example.org", true)]
    [TestCase("https://example.com", false)]
    [TestCase("https://console.example.com.evil.example", false)]
    public void AHostListedInAllowedHostsIsTrusted(string origin, bool trusted) =>
        Assert.That(Trust(allowedHosts: "console.example.com;*.ops.example.org").IsTrusted(origin), Is.EqualTo(trusted));

    [Test]
    public void AStarAmongTheAllowedHostsTrustsNoHostByName() =>
        Assert.That(Trust(allowedHosts: "console.example.com;*").IsTrusted("https://evil.example"), Is.False);
}
