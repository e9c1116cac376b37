using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.SignalR.Client;
using RiskConsole.Core.Contracts;
using RiskConsole.Server.Hubs;
using RiskConsole.Tests.Server.Infrastructure;

namespace RiskConsole.Tests.Server.Logging;

public sealed class QueryStringSecretRedactorTests
{
    [TestCase("?adminKey=abc123", "?adminKey=***")]
    [TestCase("?id=7&adminkey=abc&x=1", "?id=7&adminkey=***&x=1")]
    [TestCase("/hubs/risk?id=q&access_token=eyJhbGci.x.y", "/hubs/risk?id=q&access_token=***")]
    [TestCase("?api_key=k&token=t", "?api_key=***&token=***")]
    [TestCase("?symbol=BTCUSDT", "?symbol=BTCUSDT")]
    public void RedactsSensitiveQueryParameters(string input, string expected) =>
        Assert.That(RiskConsole.Server.Logging.QueryStringSecretRedactor.Redact(input), Is.EqualTo(expected));
}
