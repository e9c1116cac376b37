using RiskConsole.Server.Configuration;

namespace RiskConsole.Tests.Server.Configuration;

/// <summary>The rules ServerOptions.Validate applies at start: listen host, admin key strength, trusted proxies, client limits and timeouts.</summary>
public sealed class ServerOptionsTests
{
    [TestCase("0.0.0.0")]
    [TestCase("127.0.0.1")]
    [TestCase("::")]
    [TestCase("::1")]
    [TestCase("[::1]")]
    [TestCase("localhost")]
    [TestCase("*")]
    [TestCase("+")]
    [TestCase("console.example.com")]
    [TestCase("risk-console")]
    [TestCase("xn--bcher-kva.example")]
    public void AListenHostThatKestrelCanUsePasses(string host) =>
        Assert.That(new ServerOptions { Host = host }.Validate(), Is.Empty);

    [TestCase("not a host")]
    [TestCase("http://example.com")]
    [TestCase("example.com:8000")]
    [TestCase("example.com/path")]
    [TestCase("-starts-with-dash.example")]
    [TestCase("ends-with-dash-.example")]
    [TestCase("under_score.example")]
    [TestCase("a..b")]
    [TestCase("256.1.1.1")]
    [TestCase("1.2.3")]
    [TestCase("12345")]
    [TestCase("[::1")]
    [TestCase("**")]
    [TestCase("")]
    public void AnyOtherListenHostIsRefusedNamingTheKey(string host) =>
        Assert.That(new ServerOptions { Host = host }.Validate(), Has.One.StartsWith("Server:Host (HOST) must be"));

    [Test]
    public void ALabelLongerThanSixtyThreeCharactersIsRefused() =>
        Assert.That(new ServerOptions { Host = new string('a', 64) + ".example" }.Validate(), Has.One.StartsWith("Server:Host (HOST) must be"));

    [TestCase(null)]
    [TestCase("")]
    [TestCase("0123456789abcdef")]
    public void NoAdminKeyOrOneOfSixteenCharactersPasses(string? key) =>
        Assert.That(new ServerOptions { AdminKey = key }.Validate(), Is.Empty);

    [TestCase("short-key-1234")]
    [TestCase("0123456789abcde")]
    [TestCase("                    ")]
    public void AShortAdminKeyIsRefusedWithoutRepeatingIt(string key)
    {
        var problems = new ServerOptions { AdminKey = key }.Validate().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(problems, Has.One.StartsWith("Server:AdminKey must be at least 16 characters"));
            Assert.That(string.Concat(problems), Does.Not.Contain(key), "the problem line never shows the key");
        });
    }

    [Test]
    public void NoKnownProxiesIsTheDefault() =>
        Assert.That(new ServerOptions().KnownProxies, Is.Empty);

    [TestCase("10.0.0.1")]
    [TestCase("10.0.0.0/8")]
    [TestCase("::1")]
    [TestCase("fd00::/8")]
    public void AKnownProxyIsAnAddressOrANetwork(string proxy) =>
        Assert.That(new ServerOptions { KnownProxies = [proxy] }.Validate(), Is.Empty);

    [TestCase("nginx")]
    [TestCase("10.0.0.0/33")]
    [TestCase("10.0.0.1/8")]
    [TestCase("10.0.0")]
    [TestCase("")]
    public void AnythingElseAsAKnownProxyIsRefusedNamingTheKey(string proxy) =>
        Assert.That(new ServerOptions { KnownProxies = [proxy] }.Validate(), Has.One.StartsWith("Server:KnownProxies entries must be IP addresses or CIDR networks"));

    [TestCase(nameof(ServerOptions.SlowClientTimeoutSeconds), double.NaN)]
    [TestCase(nameof(ServerOptions.SlowClientTimeoutSeconds), 0.0)]
    [TestCase(nameof(ServerOptions.SlowClientTimeoutSeconds), 1e-300)]
    [TestCase(nameof(ServerOptions.SlowClientTimeoutSeconds), double.PositiveInfinity)]
    [TestCase(nameof(ServerOptions.KeepAliveSeconds), double.NaN)]
    [TestCase(nameof(ServerOptions.KeepAliveSeconds), -1.0)]
    [TestCase(nameof(ServerOptions.ClientTimeoutSeconds), double.NaN)]
    [TestCase(nameof(ServerOptions.ClientTimeoutSeconds), 29.0)]
    [TestCase(nameof(ServerOptions.ClientTimeoutSeconds), 1e9)]
    [TestCase(nameof(ServerOptions.WebSocketPongTimeoutSeconds), double.NaN)]
    [TestCase(nameof(ServerOptions.WebSocketPongTimeoutSeconds), 0.0)]
    [TestCase(nameof(ServerOptions.HubClientBufferMessages), 0.0)]
    [TestCase(nameof(ServerOptions.HubClientBufferMessages), 1e6)]
    [TestCase(nameof(ServerOptions.MaxConnections), 0.0)]
    [TestCase(nameof(ServerOptions.ClientCallsPerSecond), -5.0)]
    [TestCase(nameof(ServerOptions.StatefulReconnectBufferBytes), 0.0)]
    [TestCase(nameof(ServerOptions.StatefulReconnectBufferBytes), 1e12)]
    public void AClientLimitOutOfItsRangeIsRefusedNamingTheKey(string key, double value)
    {
        var options = new ServerOptions();
        var property = typeof(ServerOptions).GetProperty(key)!;
        property.SetValue(options, Convert.ChangeType(value, property.PropertyType, System.Globalization.CultureInfo.InvariantCulture));

        Assert.That(options.Validate(), Has.One.StartsWith($"Server:{key} must be"));
    }

    [Test]
    public void TheClientLimitDefaultsPass() => Assert.That(new ServerOptions().Validate(), Is.Empty);
}
