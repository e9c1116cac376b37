using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using RiskConsole.Tests.Server.Infrastructure;

namespace RiskConsole.Tests.Server.Legacy;

/// <summary>
/// /ws end to end with a raw <see cref="ClientWebSocket"/>, frame by frame, against the seed's frames in
/// TestData/feeds/riskconsole_messages.json: every fixture key must be there with the same kind of value;
/// extra keys are additions a seed client ignores. Server in Development (test interrupts allowed).
/// </summary>
[Category(TestCategories.EndToEnd)]
public sealed class LegacyWebSocketTests : LegacySocketFixture
{
    [Test]
    public void TheShapeCheckCatchesAMissingKeyAWrongKindAndAcceptsAdditions()
    {
        using var expected = JsonDocument.Parse("""{"a": 1, "b": {"c": "x", "d": true}}""");
        using var missing = JsonDocument.Parse("""{"a": 1, "b": {"c": "x"}}""");
        using var wrongKind = JsonDocument.Parse("""{"a": "1", "b": {"c": "x", "d": false}}""");
        using var extra = JsonDocument.Parse("""{"a": 2.5, "b": {"c": "y", "d": false, "e": null}, "f": []}""");
        Assert.Multiple(() =>
        {
            Assert.That(JsonShape.Differences(expected.RootElement, missing.RootElement), Is.EqualTo(new[] { "$.b.d: missing" }));
            Assert.That(JsonShape.Differences(expected.RootElement, wrongKind.RootElement), Is.EqualTo(new[] { "$.a: expected number, was string" }));
            Assert.That(JsonShape.Differences(expected.RootElement, extra.RootElement), Is.Empty);
        });
    }

    [Test]
    public async Task TheFirstFrameIsConnectedWithTheSeedsStatistics()
    {
        await using var socket = await LegacySocketClient.ConnectAsync(Server.WebSocketUri());
        var first = await socket.NextFrameAsync();
        var second = await socket.NextFrameAsync();
        var third = await socket.NextAsync("RISK_SCORE");
        Assert.Multiple(() =>
        {
            Assert.That(first.Type, Is.EqualTo("CONNECTED"), "the first frame on open");
            Assert.That(second.Type, Is.EqualTo("RISK_SCORE"), "then the latest score, without waiting for a change");
            Assert.That(third.Payload.GetProperty("seq").GetInt64(), Is.EqualTo(second.Payload.GetProperty("seq").GetInt64() + 1), "no gap after the initial score");
            AssertMatchesFixture("CONNECTED", first);
            Assert.That(first.Payload.GetProperty("message").GetString(), Is.EqualTo("Connected to Risk Console"));
        });
    }

    [Test]
    public async Task RiskScoresArePushedInTheSeedShapeWithSeqRisingByOne()
    {
        var socket = await ConnectAsync();
        var scores = new List<LegacyFrame>();
        for (var i = 0; i < 5; i++)
        {
            scores.Add(await socket.NextAsync("RISK_SCORE"));
        }

        Assert.Multiple(() =>
        {
            foreach (var score in scores)
            {
                AssertMatchesFixture("RISK_SCORE", score);
                Assert.That(score.Payload.GetProperty("score").GetDouble(), Is.InRange(0.0, 100.0));
            }

            for (var i = 1; i < scores.Count; i++)
            {
                Assert.That(Seq(scores[i]), Is.EqualTo(Seq(scores[i - 1]) + 1), "seq (an addition) rises by one per published score");
            }
        });
    }

    [TestCase("crypto", "DATA_UPDATE_crypto")]
    [TestCase("polymarket", "DATA_UPDATE_polymarket")]
    [TestCase("reddit", "DATA_UPDATE_reddit")]
    public async Task DataUpdatesArePushedInTheSeedsPerSourceShape(string source, string fixtureKey)
    {
        var socket = await ConnectAsync();
        var update = await socket.NextAsync("DATA_UPDATE", f => f.Payload.GetProperty("source").GetString() == source);
        Assert.Multiple(() =>
        {
            AssertMatchesFixture(fixtureKey, update);
            Assert.That(update.Payload.GetProperty("mock").GetBoolean(), Is.True, "mock feeds say so (an addition)");
        });
    }

    [TestCase("GET_STATUS", "STATUS")]
    [TestCase("GET_STATISTICS", "STATISTICS")]
    public async Task ARequestIsAnsweredToTheAskingSocketOnly(string request, string answer)
    {
        var asker = await ConnectAsync();
        var bystander = await ConnectAsync();
        const int Requests = 4;
        for (var i = 0; i < Requests; i++)
        {
            await asker.SendTypeAsync(request);
        }

        var answers = new List<LegacyFrame>();
        for (var i = 0; i < Requests; i++)
        {
            answers.Add(await asker.NextAsync(answer));
        }

        var seen = await ReadBystanderPastAsync(asker, bystander);
        Assert.Multiple(() =>
        {
            foreach (var frame in answers)
            {
                AssertMatchesFixture(answer, frame);
            }

            if (answer == "STATUS")
            {
                Assert.That(answers[0].Payload.GetProperty("connections").GetInt32(), Is.GreaterThanOrEqualTo(2), "both sockets count as connections");
                Assert.That(answers[0].Payload.GetProperty("is_running").GetBoolean(), Is.True);
            }

            Assert.That(seen.Where(f => f.Type == answer), Is.Empty, $"the bystander must not receive {answer}");
            Assert.That(seen.Count(f => f.Type == "RISK_SCORE"), Is.GreaterThanOrEqualTo(BystanderScores), "the bystander keeps receiving scores");
        });
    }

    [Test]
    public async Task ForceInterruptReachesEverySocketAsInterruptAndAlert()
    {
        var asker = await ConnectAsync();
        var other = await ConnectAsync();
        await asker.SendTypeAsync("FORCE_INTERRUPT");

        await AssertForcedInterruptReaches(asker, other);
    }

    [TestCase("{\"type\":", "Malformed JSON")]
    [TestCase("", "Malformed JSON")]
    [TestCase("[1,2]", "Expected an object with a string \"type\"")]
    [TestCase("\"GET_STATUS\"", "Expected an object with a string \"type\"")]
    [TestCase("{\"payload\":{}}", "Expected an object with a string \"type\"")]
    [TestCase("{\"type\":42,\"payload\":{}}", "Expected an object with a string \"type\"")]
    [TestCase("{\"type\":\"DROP_TABLES\"}", "Unknown message type 'DROP_TABLES'")]
    [TestCase("{\"type\":\"get_status\",\"payload\":{}}", "Unknown message type 'get_status'")]
    [TestCase("{\"type\":\"GET_STATUS\",\"payload\":{}} and more", "Malformed JSON")]
    [TestCase("{\"type\":\"GET_STATUS\"}{\"type\":\"GET_STATUS\"}", "Malformed JSON")]
    [TestCase("{\"type\":\"\\ud800\"}", "Malformed JSON")]
    [TestCase("{\"type\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\ud83d\ude00tail\"}", "Unknown message type 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public async Task BadInputGetsAnErrorAlertOnThatSocketOnlyAndTheSocketKeepsWorking(string message, string expected) =>
        await AssertErrorAlertOnlyToSenderAsync(socket => socket.SendTextAsync(message), expected);

    [Test]
    public async Task ABinaryFrameGetsAnErrorAlertOnThatSocketOnlyAndTheSocketKeepsWorking() =>
        await AssertErrorAlertOnlyToSenderAsync(
            socket => socket.SendAsync(Encoding.UTF8.GetBytes("{\"type\":\"GET_STATUS\",\"payload\":{}}"), WebSocketMessageType.Binary),
            "Binary frames are not supported");

    /// <summary>RFC 6455 §8.1: a text frame that is not UTF-8 fails the connection (1007); the WebSocket stack does it before /ws sees the text.</summary>
    [Test]
    public async Task InvalidUtf8InATextFrameClosesThatSocketWith1007AndOthersKeepReceiving()
    {
        var sender = await ConnectAsync();
        var bystander = await ConnectAsync();
        await sender.SendAsync(new byte[] { 0x7b, 0x22, 0x74, 0x79, 0x70, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d }, WebSocketMessageType.Text);
        var status = await sender.Closed.WaitAsync(LegacySocketClient.DefaultTimeout);
        var before = Seq(await bystander.NextAsync("RISK_SCORE"));
        var after = Seq(await bystander.NextAsync("RISK_SCORE"));
        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(WebSocketCloseStatus.InvalidPayloadData));
            Assert.That(after, Is.GreaterThan(before), "the other socket keeps receiving");
        });
    }

    [Test]
    public async Task DeeplyNestedJsonGetsAnErrorAlertOnThatSocketOnlyAndTheSocketKeepsWorking() =>
        await AssertErrorAlertOnlyToSenderAsync(
            socket => socket.SendTextAsync(new string('[', 2000) + new string(']', 2000)),
            "Malformed JSON");

    [Test]
    public async Task AMessageOfExactlyTheLimitIsAccepted()
    {
        var socket = await ConnectAsync();
        await socket.SendAsync(PaddedGetStatus(MaxClientMessageBytes), WebSocketMessageType.Text);
        var status = await socket.NextAsync("STATUS");
        Assert.Multiple(() =>
        {
            AssertMatchesFixture("STATUS", status);
            Assert.That(socket.State, Is.EqualTo(WebSocketState.Open));
        });
    }

    [TestCase(MaxClientMessageBytes + 1, int.MaxValue)]
    [TestCase(MaxClientMessageBytes + 1, 1024)]
    [TestCase(64 * 1024, 4096)]
    public async Task AnOversizedMessageClosesThatSocketWith1009AndOthersKeepReceiving(int size, int fragmentBytes)
    {
        var sender = await ConnectAsync();
        var bystander = await ConnectAsync();
        var send = sender.SendAsync(PaddedGetStatus(size), WebSocketMessageType.Text, fragmentBytes);
        var status = await sender.Closed.WaitAsync(LegacySocketClient.DefaultTimeout);

        // The server may close while later fragments are still on their way; then sending them fails, which is the point.
        WebSocketException? sendFailure = null;
        try
        {
            await send;
        }
        catch (WebSocketException ex)
        {
            sendFailure = ex;
        }

        var before = Seq(await bystander.NextAsync("RISK_SCORE"));
        var after = Seq(await bystander.NextAsync("RISK_SCORE"));
        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(WebSocketCloseStatus.MessageTooBig), $"close status (send failure: {sendFailure?.Message ?? "none"})");
            Assert.That(sender.CloseDescription, Does.Contain(MaxClientMessageBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(after, Is.GreaterThan(before), "the other socket keeps receiving");
            Assert.That(bystander.State, Is.EqualTo(WebSocketState.Open));
        });
    }

    [Test]
    public async Task APlainHttpGetIsAnsweredWith400ProblemDetails()
    {
        using var response = await Server.Http.GetAsync(new Uri("/ws", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        using var problem = JsonDocument.Parse(body);
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(problem.RootElement.GetProperty("status").GetInt32(), Is.EqualTo(400));
            Assert.That(problem.RootElement.GetProperty("title").GetString(), Does.Contain("WebSocket"));
            Assert.That(problem.RootElement.GetProperty("detail").GetString(), Does.Contain("/hubs/risk"));
        });
    }

    [TestCase("/ws")]
    [TestCase("/hubs/risk")]
    public async Task AForeignOriginIsRefusedWith403(string path) =>
        await AssertRefusedAsync(Server.WebSocketUri(path), "https://evil.example");

    [Test]
    public async Task AnUnparseableOriginIsRefusedWith403() =>
        await AssertRefusedAsync(Server.WebSocketUri(), "null");

    [Test]
    public async Task TheServersOwnOriginConnects()
    {
        var origin = Server.BaseAddress.GetLeftPart(UriPartial.Authority);
        await using var socket = await LegacySocketClient.ConnectAsync(Server.WebSocketUri(), o => o.SetRequestHeader("Origin", origin));
        var first = await socket.NextFrameAsync();
        Assert.That(first.Type, Is.EqualTo("CONNECTED"), $"origin {origin}");
    }

    [Test]
    public async Task AClientWithoutAnOriginConnects()
    {
        await using var socket = await LegacySocketClient.ConnectAsync(Server.WebSocketUri());
        Assert.That((await socket.NextFrameAsync()).Type, Is.EqualTo("CONNECTED"), "non-browser clients send no Origin and pass");
    }

    private async Task AssertErrorAlertOnlyToSenderAsync(Func<LegacySocketClient, Task> sendBadInput, string expectedMessage)
    {
        var sender = await ConnectAsync();
        var bystander = await ConnectAsync();
        await sendBadInput(sender);
        var error = await sender.NextAsync("ALERT");

        // The socket stays open and keeps working.
        await sender.SendTypeAsync("GET_STATUS");
        var status = await sender.NextAsync("STATUS");

        var seen = await ReadBystanderPastAsync(sender, bystander);
        Assert.Multiple(() =>
        {
            AssertMatchesFixture("ALERT_error", error);
            Assert.That(AlertType(error), Is.EqualTo("error"));
            Assert.That(error.Payload.GetProperty("message").GetString(), Does.Contain(expectedMessage));
            AssertMatchesFixture("STATUS", status);
            Assert.That(sender.State, Is.EqualTo(WebSocketState.Open));
            Assert.That(seen.Where(f => f.Type == "ALERT" && AlertType(f) == "error"), Is.Empty, "the bystander must not receive the error");
        });
    }

    private static async Task AssertRefusedAsync(Uri uri, string origin)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Origin", origin);
        using var timeout = new CancellationTokenSource(LegacySocketClient.DefaultTimeout);
        Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(uri, timeout.Token));
        Assert.That(socket.HttpStatusCode, Is.EqualTo(HttpStatusCode.Forbidden), $"origin {origin} on {uri.AbsolutePath}");
    }

    /// <summary>{"type":"GET_STATUS","payload":{"pad":"xxx…"}} of exactly <paramref name="size"/> UTF-8 bytes.</summary>
    private static byte[] PaddedGetStatus(int size)
    {
        const string Head = "{\"type\":\"GET_STATUS\",\"payload\":{\"pad\":\"";
        const string Tail = "\"}}";
        var bytes = Encoding.UTF8.GetBytes(Head + new string('x', size - Head.Length - Tail.Length) + Tail);
        Assert.That(bytes, Has.Length.EqualTo(size));
        return bytes;
    }
}
