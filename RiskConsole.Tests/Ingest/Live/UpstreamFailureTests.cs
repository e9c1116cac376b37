using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Authentication;
using RiskConsole.Ingest.Live;

namespace RiskConsole.Tests.Ingest.Live;

public sealed class UpstreamFailureTests
{
    [Test]
    public void EachCommonFailureIsSaidInPlainWords()
    {
        Assert.Multiple(() =>
        {
            Assert.That(UpstreamFailure.Describe(new HttpRequestException("Name or service not known (stream.binance.com:443)", new SocketException((int)SocketError.HostNotFound))),
                Is.EqualTo("DNS: the host name could not be resolved"));
            Assert.That(UpstreamFailure.Describe(new WebSocketException("Unable to connect to the remote server", new HttpRequestException("x", new SocketException((int)SocketError.ConnectionRefused)))),
                Is.EqualTo("connection refused (nothing listens there)"));
            Assert.That(UpstreamFailure.Describe(new HttpRequestException("The SSL connection could not be established", new AuthenticationException("remote certificate is invalid"))),
                Is.EqualTo("TLS handshake failed: remote certificate is invalid"));
            Assert.That(UpstreamFailure.Describe(new HttpRequestException("Response status code does not indicate success: 451", null, HttpStatusCode.UnavailableForLegalReasons)),
                Is.EqualTo("HTTP 451 unavailable for legal reasons (the service refuses this region)"));
            Assert.That(UpstreamFailure.Describe(new InvalidOperationException("stream refused: HTTP 403")), Is.EqualTo("stream refused: HTTP 403"), "a listener's own words are kept");
            Assert.That(UpstreamFailure.Describe(new TimeoutException("no handshake within 10 s")), Is.EqualTo("no handshake within 10 s"));
            Assert.That(UpstreamFailure.Describe(new InvalidOperationException("handshake failed", new SocketException((int)SocketError.ConnectionReset))),
                Is.EqualTo("handshake failed (connection reset by the peer)"));
        });
    }
}
