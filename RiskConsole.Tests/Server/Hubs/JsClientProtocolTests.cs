using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using RiskConsole.Core.Contracts;
using RiskConsole.Core.Signals;
using RiskConsole.Server.Hubs;
using RiskConsole.Tests.Server.Infrastructure;

namespace RiskConsole.Tests.Server.Hubs;

/// <summary>
/// The hub read by the official SignalR JavaScript client (RiskConsole.Tests/JsClient/hub-reader.js under Node), once
/// over JSON and once over MessagePack, at the same time against one real server: a JS client written against the JSON
/// names reads the same names, and the same values, over MessagePack. Live messages (first score, first data update of
/// each source, the answers of GetStatus, GetStatistics and Subscribe) prove the names on real traffic; payloads the
/// test pushes itself prove the values exactly. Needs Node and <c>npm ci</c> in RiskConsole.Tests/JsClient.
/// </summary>
[Category(TestCategories.EndToEnd)]
public sealed partial class JsClientProtocolTests
{
    private const string Json = "json";
    private const string MessagePack = "messagepack";
    private static readonly TimeSpan NodeTimeout = TimeSpan.FromSeconds(60);
    private static readonly string[] LiveKinds = ["riskScore", "dataUpdate:crypto", "dataUpdate:polymarket", "dataUpdate:reddit", "getStatus", "getStatistics", "subscribe", "dataBatch"];

    /// <summary>Two hours east of UTC with sub-millisecond ticks, so offset handling and precision both show.</summary>
    private static readonly DateTimeOffset PushedAt = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.FromHours(2)).AddTicks(1_234_567);

    private readonly string _marker = "wire-check-" + Guid.NewGuid().ToString("N")[..8];
    private readonly Dictionary<string, Dictionary<string, JsonElement>> _read = new(StringComparer.Ordinal);
    private RiskConsoleServer? _server;

    [OneTimeSetUp]
    public async Task ReadTheHubFromJavaScriptWithBothProtocols()
    {
        var node = JsHubReader.RequireNode();
        _server = RiskConsoleServer.Start();
        var hubUrl = new Uri(_server.BaseAddress, IRiskHub.Path);
        await using var json = JsHubReader.Start(node, hubUrl, Json, _marker);
        await using var messagePack = JsHubReader.Start(node, hubUrl, MessagePack, _marker);
        JsHubReader[] readers = [json, messagePack];

        // Both clients are in every topic before anything is pushed, so each receives every pushed message.
        foreach (var reader in readers)
        {
            await reader.Line("ready", NodeTimeout);
        }

        var hub = _server.Services.GetRequiredService<IHubContext<RiskHub, IRiskClient>>();
        foreach (var pushed in Pushed())
        {
            await pushed.Push(hub.Clients.Group(pushed.Topic));
        }

        var kinds = LiveKinds.Concat(PushedKinds()).ToList();
        foreach (var reader in readers)
        {
            var exitCode = await reader.ExitCode(NodeTimeout);
            if (exitCode != 0)
            {
                // hub-reader.js prints what it never read before it gives up: a field it looks for by its JSON name was undefined.
                var missing = exitCode == 2 ? (await reader.Line("timeout", NodeTimeout)).GetProperty("missing").ToString() : "(no list)";
                Assert.Fail($"{reader.Protocol}: hub-reader.js exited with {exitCode}; never read {missing}. stderr: {reader.Stderr}");
            }

            _read[reader.Protocol] = [];
            foreach (var kind in kinds)
            {
                _read[reader.Protocol][kind] = await reader.Line(kind, NodeTimeout);
            }
        }
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [TestCaseSource(nameof(LiveKinds))]
    public void LiveMessagesHaveTheSameFieldNamesOnBothProtocols(string kind)
    {
        var json = Fields(_read[Json][kind]);
        var messagePack = Fields(_read[MessagePack][kind]);
        Assert.Multiple(() =>
        {
            Assert.That(messagePack.Keys, Is.EquivalentTo(json.Keys), "field paths read by the JS client");
            foreach (var (path, type) in json.Where(f => f.Value != "null" && messagePack.GetValueOrDefault(f.Key) is not null and not "null"))
            {
                Assert.That(messagePack[path], Is.EqualTo(type), $"kind of value at {path}");
            }
        });
    }

    [TestCase(Json)]
    [TestCase(MessagePack)]
    public void LiveMessagesReadThroughTheJsonNamesAreDefined(string protocol)
    {
        var read = _read[protocol];
        var score = read["riskScore"];
        var crypto = read["dataUpdate:crypto"];
        var status = read["getStatus"];
        Assert.Multiple(() =>
        {
            Assert.That(score.GetProperty("score").GetDouble(), Is.InRange(0.0, 100.0));
            Assert.That(score.GetProperty("seq").GetInt64(), Is.GreaterThanOrEqualTo(0));
            Assert.That(score.GetProperty("components").GetProperty("raw").GetDouble(), Is.InRange(0.0, 1.0));
            Assert.That(score.GetProperty("components").GetProperty("warmingUp").ValueKind, Is.AnyOf(JsonValueKind.True, JsonValueKind.False));
            Assert.That(Instant(score.GetProperty("at")), Is.Not.Null, "at is a timestamp");
            Assert.That(crypto.GetProperty("source").GetString(), Is.EqualTo(DataSources.Crypto));
            Assert.That(crypto.GetProperty("mock").GetBoolean(), Is.True);
            Assert.That(crypto.GetProperty("price").GetProperty("symbol").GetString(), Is.Not.Empty);
            Assert.That(crypto.GetProperty("price").GetProperty("price").GetDouble(), Is.GreaterThan(0));
            Assert.That(Instant(crypto.GetProperty("price").GetProperty("timestamp")), Is.Not.Null);
            Assert.That(read["dataUpdate:polymarket"].GetProperty("probability").GetProperty("question").GetString(), Is.Not.Empty);
            Assert.That(read["dataUpdate:reddit"].GetProperty("sentiment").GetProperty("text").GetString(), Is.Not.Empty);
            Assert.That(status.GetProperty("isRunning").GetBoolean(), Is.True);
            Assert.That(status.GetProperty("sources").EnumerateArray().Select(s => s.GetProperty("mode").GetString()), Is.All.EqualTo(SourceModes.Mock));
            Assert.That(status.GetProperty("statistics").GetProperty("normalizerStats").GetProperty("historySize").GetInt32(), Is.GreaterThan(0));
            Assert.That(read["getStatistics"].GetProperty("totalUpdates").GetInt64(), Is.GreaterThan(0));
            Assert.That(read["subscribe"].GetProperty("topics").EnumerateArray().Select(t => t.GetString()), Is.EquivalentTo(RiskTopics.All));
            Assert.That(Instant(read["dataBatch"].GetProperty("at")), Is.Not.Null, "a batch's at is a timestamp");
            Assert.That(
                read["dataBatch"].GetProperty("updates").EnumerateArray().Select(u => u.GetProperty("source").GetString()).Distinct(),
                Is.EquivalentTo(DataSources.All),
                "a batch's updates carry their source under the DataUpdate names");
        });
    }

    [TestCaseSource(nameof(PushedKinds))]
    public void PushedPayloadsReadTheSameOnBothProtocolsAsTheServerSent(string kind)
    {
        var sent = Pushed().Single(p => p.Kind == kind).Sent;
        var expected = Canonical(JsonSerializer.SerializeToElement(sent, HubJsonContext.Default.GetTypeInfo(sent.GetType())!));
        Assert.Multiple(() =>
        {
            Assert.That(Canonical(_read[Json][kind]), Is.EqualTo(expected), "JSON protocol");
            Assert.That(Canonical(_read[MessagePack][kind]), Is.EqualTo(expected), "MessagePack protocol");
        });
    }

    [Test]
    public void ATimestampIsAnIsoStringOverJsonAndADateWithAnOffsetOverMessagePack()
    {
        var json = _read[Json]["markedAlert"].GetProperty("at");
        var messagePack = _read[MessagePack]["markedAlert"].GetProperty("at");
        Assert.Multiple(() =>
        {
            Assert.That(json.GetString(), Is.EqualTo("2024-05-06T07:08:09.1234567+02:00"), "JSON: the server's ISO 8601 string, offset and 100 ns ticks kept");
            Assert.That(messagePack.ValueKind, Is.EqualTo(JsonValueKind.Array));
            Assert.That(messagePack.GetArrayLength(), Is.EqualTo(2));

            // MessagePack-CSharp writes the local clock reading as if it were UTC, then the offset in minutes: the Date is
            // 07:08:09.123Z, two hours after the real instant (05:08:09.123Z), and milliseconds are all a Date keeps.
            Assert.That(messagePack[0].GetProperty("$date").GetString(), Is.EqualTo("2024-05-06T07:08:09.123Z"), "a JS Date");
            Assert.That(messagePack[1].GetInt32(), Is.EqualTo(120), "offset in minutes");
            Assert.That(Instant(messagePack), Is.EqualTo(Instant(json)), "Date minus offset is the same instant");
        });
    }

    public static IEnumerable<string> PushedKinds() => Pushed("any marker").Select(p => p.Kind);

    /// <summary>What the test sends through the hub, each message carrying the marker where hub-reader.js looks for it.</summary>
    private static IEnumerable<(string Kind, string Topic, object Sent, Func<IRiskClient, Task> Push)> Pushed(string marker)
    {
        var score = new RiskScoreUpdate(61.5, new RiskComponents(0.25, null, 0.75, 0.5, 1.2, 2, marker, 0.8, null, 0.1, -0.3, false, true, false, true), 5_000_000_001, PushedAt);
        var price = DataUpdate.From(new PriceTick(marker, 64_000.5, PushedAt, IsMock: true));
        var market = DataUpdate.From(new MarketProbability(marker, "Will the wire check pass?", 0.42, PushedAt));
        var post = DataUpdate.From(new SentimentSample(marker, -0.5, PushedAt, "same names on both protocols", IsMock: true));
        var interrupt = new InterruptNotice(marker, "/audio/wire-check.mp3", 88.5, true, PushedAt);
        var alert = new AlertNotice(AlertTypes.Warning, marker, PushedAt);
        yield return ("markedRiskScore", RiskTopics.Risk, score, c => c.RiskScore(score));
        yield return ("markedDataUpdate:crypto", RiskTopics.ForSource(DataSources.Crypto), price, c => c.DataUpdate(price));
        yield return ("markedDataUpdate:polymarket", RiskTopics.ForSource(DataSources.Polymarket), market, c => c.DataUpdate(market));
        yield return ("markedDataUpdate:reddit", RiskTopics.ForSource(DataSources.Reddit), post, c => c.DataUpdate(post));
        yield return ("markedInterrupt", RiskTopics.Risk, interrupt, c => c.Interrupt(interrupt));
        yield return ("markedAlert", RiskTopics.Risk, alert, c => c.Alert(alert));
    }

    private IEnumerable<(string Kind, string Topic, object Sent, Func<IRiskClient, Task> Push)> Pushed() => Pushed(_marker);

    /// <summary>Every field path (arrays as []) with the kind of its value; a timestamp in either protocol's form is "timestamp".</summary>
    private static Dictionary<string, string> Fields(JsonElement element)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        Walk(element, "$", fields);
        return fields;

        static void Walk(JsonElement value, string path, Dictionary<string, string> fields)
        {
            if (Instant(value) is not null)
            {
                fields[path] = "timestamp";
                return;
            }

            // A dictionary's keys are data, not field names (which signals were rejected differs from one call to the next).
            if (value.ValueKind == JsonValueKind.Object && !path.EndsWith(".rejectedSignals", StringComparison.Ordinal))
            {
                foreach (var property in value.EnumerateObject())
                {
                    Walk(property.Value, path + "." + property.Name, fields);
                }
            }
            else if (value.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in value.EnumerateArray())
                {
                    Walk(item, path + "[]", fields);
                }
            }

            // Array items share one path; a null item or field does not hide the kind another one shows.
            if (path != "$" && (!fields.TryGetValue(path, out var known) || known == "null"))
            {
                fields[path] = value.ValueKind switch
                {
                    JsonValueKind.True or JsonValueKind.False => "bool",
                    _ => value.ValueKind.ToString().ToLowerInvariant(),
                };
            }
        }
    }

    /// <summary>The value as one comparable string: keys sorted, numbers round-tripped, timestamps as their UTC instant to the millisecond.</summary>
    private static string Canonical(JsonElement element) => Normalize(element)?.ToJsonString() ?? "null";

    private static JsonNode? Normalize(JsonElement value)
    {
        if (Instant(value) is { } instant)
        {
            return JsonValue.Create("instant " + instant.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
        }

        return value.ValueKind switch
        {
            JsonValueKind.Object => new JsonObject(value.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal)
                .Select(p => KeyValuePair.Create(p.Name, Normalize(p.Value)))),
            JsonValueKind.Array => new JsonArray([.. value.EnumerateArray().Select(Normalize)]),
            JsonValueKind.Number => JsonValue.Create(value.GetDouble()),
            JsonValueKind.Null => null,
            _ => JsonNode.Parse(value.GetRawText()),
        };
    }

    /// <summary>
    /// The UTC instant (milliseconds, as a JS Date holds it) of a timestamp as the JS client reads it: an ISO 8601 string
    /// with an offset (JSON), or a two-element array of a Date (printed as {"$date": ...}) and the offset in minutes
    /// (MessagePack). Null for any other value.
    /// </summary>
    private static DateTime? Instant(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.String && IsoTimestamp().IsMatch(value.GetString()!))
        {
            return Milliseconds(DateTimeOffset.Parse(value.GetString()!, CultureInfo.InvariantCulture).UtcDateTime);
        }

        if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 2
            && value[0].ValueKind == JsonValueKind.Object && value[0].TryGetProperty("$date", out var date)
            && value[1].ValueKind == JsonValueKind.Number)
        {
            var clock = DateTime.Parse(date.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
            return Milliseconds(clock.AddMinutes(-value[1].GetInt32()));
        }

        return null;
    }

    private static DateTime Milliseconds(DateTime utc) => new(utc.Ticks - utc.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex IsoTimestamp();
}
