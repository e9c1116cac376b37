using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Authentication;
using RiskConsole.Ingest.Live;

namespace RiskConsole.Tests.Ingest.Live;

public sealed class UpstreamFailureTests
{
    [Test]
    public void AListenersOwnWordsAreKeptAndASocketOrTlsCauseTheyDoNotNameIsAdded()
    {
        Assert.Multiple(() =>
        {
            Assert.That(UpstreamFailure.Describe(new HttpRequestException("Name or service not known (stream.binance.com:443)", new SocketException((int)SocketError.HostNotFound))),
                Is.EqualTo("Name or service not known (stream.binance.com:443) (DNS: the host name could not be resolved)"));
            Assert.That(UpstreamFailure.Describe(new InvalidOperationException("DNS: no such host www.reddit.com", new SocketException((int)SocketError.HostNotFound))),
                Is.EqualTo("DNS: no such host www.reddit.com"), "a message that already says it is not repeated");
            Assert.That(UpstreamFailure.Describe(new WebSocketException("Unable to connect to the remote server", new HttpRequestException("Connection refused (127.0.0.1:9)", new SocketException((int)SocketError.ConnectionRefused)))),
                Is.EqualTo("Connection refused (127.0.0.1:9)"), "the WebSocket's generic words give way to what lies under them");
            Assert.That(UpstreamFailure.Describe(new HttpRequestException("The SSL connection could not be established, see inner exception.", new AuthenticationException("remote certificate is invalid"))),
                Is.EqualTo("The SSL connection could not be established, see inner exception. (TLS handshake failed: remote certificate is invalid)"));
            Assert.That(UpstreamFailure.Describe(new InvalidOperationException("401 unauthorized: check Ingest:Reddit:ClientId/ClientSecret")),
                Is.EqualTo("401 unauthorized: check Ingest:Reddit:ClientId/ClientSecret"));
            Assert.That(UpstreamFailure.Describe(new HttpRequestException("Response status code does not indicate success: 451 (Unavailable For Legal Reasons).", null, HttpStatusCode.UnavailableForLegalReasons)),
                Is.EqualTo("Response status code does not indicate success: 451 (Unavailable For Legal Reasons)."));
            Assert.That(UpstreamFailure.Describe(new InvalidOperationException("handshake failed", new SocketException((int)SocketError.ConnectionReset))),
                Is.EqualTo("handshake failed (connection reset by the peer)"));
        });
    }
}
