using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Authentication;
using RiskConsole.Ingest.Polymarket;

namespace RiskConsole.Tests.Ingest.Polymarket;

/// <summary>What .NET throws for a failed connection, in the plain words a user reads as the source's last error.</summary>
public sealed class UpstreamFailureTests
{
    private static readonly Uri Gamma = new("https://gamma-api.polymarket.com/markets");
    private static readonly Uri Local = new("ws://127.0.0.1:9100/ws/market");

    [Test]
    public void AHostThatDoesNotResolveIsADnsFailureNamingTheHost()
    {
        var failure = new HttpRequestException(HttpRequestError.NameResolutionError, "Name or service not known (gamma-api.polymarket.com:443)", new SocketException((int)SocketError.HostNotFound));

        Assert.That(UpstreamFailure.Describe(failure, Gamma), Is.EqualTo("DNS: no such host gamma-api.polymarket.com"));
    }

    [Test]
    public void ANameErrorWithoutASocketErrorIsStillADnsFailure()
    {
        var failure = new HttpRequestException(HttpRequestError.NameResolutionError, "resolution failed");

        Assert.That(UpstreamFailure.Describe(failure, Gamma), Is.EqualTo("DNS: no such host gamma-api.polymarket.com"));
    }

    [Test]
    public void ARefusedConnectionNamesHostAndPort()
    {
        var failure = new WebSocketException(WebSocketError.Faulted, "Unable to connect", new HttpRequestException("refused", new SocketException((int)SocketError.ConnectionRefused)));

        Assert.That(UpstreamFailure.Describe(failure, Local), Is.EqualTo("connection refused by 127.0.0.1:9100"));
    }

    [Test]
    public void ATlsFailureSaysSo()
    {
        var failure = new HttpRequestException(HttpRequestError.SecureConnectionError, "The SSL connection could not be established", new AuthenticationException("The remote certificate is invalid."));

        Assert.That(UpstreamFailure.Describe(failure, Gamma), Is.EqualTo("TLS handshake with gamma-api.polymarket.com failed: The remote certificate is invalid."));
    }

    [Test]
    public void AConnectionDroppedWithoutACloseFrameSaysSo()
    {
        var failure = new WebSocketException(WebSocketError.ConnectionClosedPrematurely);

        Assert.That(UpstreamFailure.Describe(failure, Local), Is.EqualTo("the server dropped the connection without a close frame"));
    }

    [Test]
    public void AnythingElseKeepsItsOwnMessage()
    {
        Assert.That(UpstreamFailure.Describe(new InvalidOperationException("odd"), Local), Is.EqualTo("odd"));
    }

    [TestCase("30", 30)]
    [TestCase("0", 0)]
    [TestCase("999999", 3600)]
    [TestCase(null, 30)]
    [TestCase("soon", 30)]
    [TestCase("Thu, 01 Jan 2026 12:02:00 GMT", 120)]
    [TestCase("Thu, 01 Jan 2026 11:00:00 GMT", 0)]
    public void RetryAfterIsSecondsOrADateWithADefaultAndACap(string? header, int seconds)
    {
        Assert.That(UpstreamFailure.RetryAfter(header, IngestTestClock.Start), Is.EqualTo(TimeSpan.FromSeconds(seconds)));
    }

    [TestCase(WebSocketCloseStatus.EndpointUnavailable, "restarting", "1001 going away (restarting)")]
    [TestCase(WebSocketCloseStatus.NormalClosure, "", "1000 normal closure")]
    [TestCase(WebSocketCloseStatus.PolicyViolation, " too many subscriptions ", "1008 policy violation (too many subscriptions)")]
    [TestCase((WebSocketCloseStatus)4000, "custom", "4000 (custom)")]
    public void ACloseIsItsCodeItsMeaningAndTheServersWords(WebSocketCloseStatus status, string description, string words)
    {
        Assert.That(ClobConnection.CloseWords(status, description), Is.EqualTo(words));
    }

    [Test]
    public void ACloseWithoutAStatusSaysSo()
    {
        Assert.That(ClobConnection.CloseWords(null, null), Is.EqualTo("no status"));
    }
}
