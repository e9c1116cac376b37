using System.Diagnostics.Metrics;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RiskConsole.Core.Contracts;
using RiskConsole.Core.Signals;
using RiskConsole.Server.Delivery;
using RiskConsole.Server.Observability;

namespace RiskConsole.Tests.Server.Delivery;

/// <summary>
/// What gives way in one connection's outbox while its client does not read: a real SignalR connection object over
/// an in-memory pipe that the test reads only when it chooses (the pipe pauses the writer after a few bytes).
/// </summary>
public sealed class HubConnectionOutboxTests
{
    private static readonly DateTimeOffset At = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private FakeTimeProvider _time = null!;
    private Pipe _toClient = null!;
    private HubConnectionContext _connection = null!;
    private List<string> _cutOff = null!;
    private ServiceProvider _services = null!;

    [SetUp]
    public void SetUp()
    {
        _time = new FakeTimeProvider(At);
        _toClient = new Pipe(new PipeOptions(pauseWriterThreshold: 64, resumeWriterThreshold: 32, useSynchronizationContext: false));
        var fromClient = new Pipe();
        var transport = new DefaultConnectionContext("test", new DuplexPipe(fromClient.Reader, _toClient.Writer), new DuplexPipe(_toClient.Reader, fromClient.Writer));
        _connection = new HubConnectionContext(transport, new HubConnectionContextOptions { KeepAliveInterval = TimeSpan.FromMinutes(1), ClientTimeoutInterval = TimeSpan.FromMinutes(2) }, NullLoggerFactory.Instance)
        {
            Protocol = new JsonHubProtocol(),
        };
        _cutOff = [];
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    }

    [TearDown]
    public void TearDown() => _services.Dispose();

    [Test]
    public void TheQueueDepthIsRecordedForAConnectionThatIsBehind()
    {
        using var depths = new MetricCollector<int>(Meters, DeliveryMetrics.MeterName, "riskconsole.connection.queue_depth");
        var outbox = Outbox(capacity: 16);
        for (var i = 0; i < 5; i++)
        {
            outbox.Enqueue(Alert($"alert {i}"));
        }

        // The first message starts the drain and is recorded by nobody; the ones queued behind it are.
        Assert.That(depths.GetMeasurementSnapshot().Select(m => m.Value), Is.Not.Empty.And.All.InRange(1, 5));
    }

    [Test]
    public async Task ABehindClientGetsTheNewestScoreAndDatumOnceEachAndEveryAlert()
    {
        var outbox = Outbox(capacity: 16);
        for (var seq = 1; seq <= 5; seq++)
        {
            outbox.Enqueue(Score(seq));
        }

        for (var price = 1; price <= 3; price++)
        {
            outbox.Enqueue(Price("BTCUSDT", price));
        }

        outbox.Enqueue(Alert("the alert"));
        outbox.Enqueue(Score(6));

        var received = await ReadAsync(expectedLast: "score 6");

        Assert.Multiple(() =>
        {
            Assert.That(received, Is.Unique, "nothing twice");
            Assert.That(received[^1], Is.EqualTo("score 6"), "the newest score is the last thing sent");
            Assert.That(received, Does.Contain("alert the alert"), "an alert is never dropped");
            Assert.That(received, Does.Contain("price BTCUSDT 3"), "the newest datum of the key arrives");
            Assert.That(received.Count(r => r.StartsWith("price", StringComparison.Ordinal)), Is.LessThanOrEqualTo(2), "older data of the key gave way (one may have been in flight)");
            Assert.That(received.IndexOf("alert the alert"), Is.LessThan(received.IndexOf("score 6")), "broadcast order kept");
            Assert.That(outbox.Dropped, Is.EqualTo(10 - received.Count), "every message not sent is counted as dropped");
            Assert.That(_cutOff, Is.Empty);
        });
    }

    [Test]
    public void AClientThatTakesNothingForTheSlowClientTimeoutIsCutOffWithTheReason()
    {
        var outbox = Outbox(capacity: 16);
        outbox.Enqueue(Score(1));
        _time.Advance(TimeSpan.FromSeconds(9.9));
        outbox.Enqueue(Score(2));
        Assert.That(_cutOff, Is.Empty, "not before Server:SlowClientTimeoutSeconds");

        _time.Advance(TimeSpan.FromSeconds(0.1));
        outbox.Enqueue(Score(3));

        Assert.That(_cutOff, Has.One.StartsWith("it has not taken a message for 10.0 s"));
    }

    [Test]
    public void AQueueFullOfAlertsThatCannotGiveWayCutsTheClientOff()
    {
        var outbox = Outbox(capacity: 16);
        for (var i = 0; i < 40 && _cutOff.Count == 0; i++)
        {
            outbox.Enqueue(Alert($"alert {i}"));
        }

        Assert.That(_cutOff, Has.One.StartsWith("its queue is full (16 messages)"));
    }

    [Test]
    public void WhenTheQueueIsFullTheOldestDatumGivesWayToAnAlert()
    {
        var outbox = Outbox(capacity: 16);
        for (var i = 0; i < 20; i++)
        {
            outbox.Enqueue(Price($"SYM{i}", i));
        }

        outbox.Enqueue(Alert("still delivered"));

        Assert.Multiple(() =>
        {
            Assert.That(_cutOff, Is.Empty, "data gives way, nobody is cut off");
            Assert.That(outbox.Waiting, Is.LessThanOrEqualTo(16));
            Assert.That(outbox.Dropped, Is.GreaterThanOrEqualTo(4));
        });
    }

    [Test]
    public async Task ABehindBatchClientGetsTheNewestBatchAndEveryAlertInOrder()
    {
        var outbox = Outbox(capacity: 16);
        for (var tick = 1; tick <= 6; tick++)
        {
            outbox.Enqueue(Batch(tick));
            if (tick == 3)
            {
                outbox.Enqueue(Alert("between batches"));
            }
        }

        outbox.Enqueue(Score(7));
        var received = await ReadAsync(expectedLast: "score 7");

        Assert.Multiple(() =>
        {
            Assert.That(received, Does.Contain("batch 6"), "the newest batch arrives");
            Assert.That(received.Count(r => r.StartsWith("batch", StringComparison.Ordinal)), Is.LessThanOrEqualTo(2), "older batches gave way (one may have been in flight)");
            Assert.That(received, Does.Contain("alert between batches"));
            Assert.That(received.IndexOf("alert between batches"), Is.LessThan(received.IndexOf("batch 6")), "broadcast order kept");
            Assert.That(outbox.Dropped, Is.EqualTo(8 - received.Count), "every batch not sent is counted as dropped");
            Assert.That(_cutOff, Is.Empty);
        });
    }

    [Test]
    public async Task ASmallQueueThatIsBehindForManyTicksKeepsOrderAndCountsEveryDrop()
    {
        // Room for the 7 that can wait at once (4 alerts, a score, 2 keys): the ring of 8 slots fills with the slots of
        // superseded messages every few ticks and is squeezed again and again.
        var outbox = Outbox(capacity: 8);
        var enqueued = 0;
        for (var tick = 1; tick <= 40; tick++)
        {
            outbox.Enqueue(Score(tick));
            outbox.Enqueue(Price(tick % 2 == 0 ? "BTCUSDT" : "ETHUSDT", tick));
            enqueued += 2;
            if (tick % 10 == 0)
            {
                outbox.Enqueue(Alert($"tick {tick}"));
                enqueued++;
            }
        }

        outbox.Enqueue(Score(41));
        enqueued++;
        var received = await ReadAsync(expectedLast: "score 41");
        var scores = received.Where(r => r.StartsWith("score", StringComparison.Ordinal)).Select(r => long.Parse(r[6..], CultureInfo.InvariantCulture)).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(_cutOff, Is.Empty);
            Assert.That(received, Is.Unique);
            Assert.That(scores, Is.Ordered, "scores in order");
            Assert.That(received.Where(r => r.StartsWith("alert", StringComparison.Ordinal)), Is.EqualTo(new[] { "alert tick 10", "alert tick 20", "alert tick 30", "alert tick 40" }), "alerts never dropped, in order");
            Assert.That(received, Does.Contain("price BTCUSDT 40").And.Contain("price ETHUSDT 39"), "the newest datum of each key");
            Assert.That(outbox.Dropped, Is.EqualTo(enqueued - received.Count));
            Assert.That(outbox.Waiting, Is.Zero);
        });
    }

    private IMeterFactory Meters => _services.GetRequiredService<IMeterFactory>();

    private HubConnectionOutbox Outbox(int capacity) =>
        new(
            _connection,
            webSocketRequest: null,
            "203.0.113.9",
            "websockets",
            new OutboxLimits(capacity, TimeSpan.FromSeconds(10)),
            _time,
            new DeliveryMetrics(Meters),
            (_, reason) => _cutOff.Add(reason));

    /// <summary>Reads what the connection wrote, one hub message per record, up to <paramref name="expectedLast"/>.</summary>
    private async Task<List<string>> ReadAsync(string expectedLast)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var received = new List<string>();
        var text = new StringBuilder();
        while (received.Count == 0 || received[^1] != expectedLast)
        {
            var result = await _toClient.Reader.ReadAsync(timeout.Token);
            foreach (var segment in result.Buffer)
            {
                text.Append(Encoding.UTF8.GetString(segment.Span));
            }

            _toClient.Reader.AdvanceTo(result.Buffer.End);
            var records = text.ToString().Split('\u001e');
            text.Clear().Append(records[^1]);
            received.AddRange(records[..^1].Select(Describe));
        }

        return received;
    }

    private static string Describe(string record)
    {
        using var message = JsonDocument.Parse(record);
        var argument = message.RootElement.GetProperty("arguments")[0];
        return message.RootElement.GetProperty("target").GetString() switch
        {
            nameof(IRiskClient.RiskScore) => $"score {argument.GetProperty("seq").GetInt64()}",
            nameof(IRiskClient.DataUpdate) => $"price {argument.GetProperty("price").GetProperty("symbol").GetString()} {argument.GetProperty("price").GetProperty("price").GetDouble()}",
            nameof(IRiskClient.Alert) => $"alert {argument.GetProperty("message").GetString()}",
            nameof(IRiskClient.DataBatch) => $"batch {argument.GetProperty("updates")[0].GetProperty("price").GetProperty("price").GetDouble()}",
            var other => other ?? "?",
        };
    }

    private static OutboxEntry Score(long seq) => OutboxEntry.For(
        nameof(IRiskClient.RiskScore),
        [new RiskScoreUpdate(10, new RiskComponents(null, null, null, 0, 1, 0, null, null, null, null, null, true, false, false, false), seq, At)]);

    private static OutboxEntry Price(string symbol, double price) =>
        OutboxEntry.For(nameof(IRiskClient.DataUpdate), [DataUpdate.From(new PriceTick(symbol, price, At, IsMock: true))]);

    private static OutboxEntry Batch(int tick) =>
        OutboxEntry.For(nameof(IRiskClient.DataBatch), [new DataBatch([DataUpdate.From(new PriceTick("BTCUSDT", tick, At, IsMock: true))], At.AddSeconds(tick))]);

    private static OutboxEntry Alert(string message) => OutboxEntry.For(nameof(IRiskClient.Alert), [new AlertNotice(AlertTypes.Info, message, At)]);

    private sealed record DuplexPipe(PipeReader Input, PipeWriter Output) : IDuplexPipe;
}
