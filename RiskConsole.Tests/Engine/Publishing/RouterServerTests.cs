using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RiskConsole.Core.Signals;
using RiskConsole.Ingest;
using RiskConsole.Tests.Server.Infrastructure;

namespace RiskConsole.Tests.Engine.Publishing;

/// <summary>The router's fault handling and scoring health through the real server on Kestrel, fed by its mock feeds.</summary>
[Category(TestCategories.EndToEnd)]
public sealed class RouterServerTests
{
    [Test]
    public async Task AMarketWithoutAQuestionDoesNotStopDataUpdatesOrReadiness()
    {
        await using var server = RiskConsoleServer.Start();
        await using var hub = server.CreateHub();
        var recorder = new HubRecorder(hub);
        await hub.StartAsync();
        await recorder.Score();

        var channel = server.Services.GetRequiredService<SignalChannel>();
        var now = server.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        await channel.Writer.WriteAsync(new MarketProbability("market-without-question", null!, 0.5, now));
        await channel.Writer.WriteAsync(new PriceTick("TESTUSDT", 42, now));
        await channel.Writer.WriteAsync(new MarketProbability("market-after", "Will it hold?", 0.3, now));

        // Only accepted signals are published, so these prove the reader went on after the bad signal.
        var price = await recorder.Data(d => d.Data is PriceTick { Symbol: "TESTUSDT" });
        var market = await recorder.Data(d => d.Data is MarketProbability { MarketId: "market-after" });
        var before = (await recorder.Score()).Seq;
        var after = await recorder.Score(s => s.Seq > before);

        using var readiness = await server.Http.GetAsync("/health/ready");
        var engine = (await ReadJson(readiness)).GetProperty("checks").GetProperty("engine");
        var stats = await ReadJson(await server.Http.GetAsync("/stats"));
        var readFaults = long.Parse(engine.GetProperty("data").GetProperty("readFaults").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var logs = server.Logs.Lines;
        var faultLogged = logs.Any(l => l.StartsWith("Error Event router read loop:", StringComparison.Ordinal) && l.Contains("Key=\"market-without-question\"", StringComparison.Ordinal));
        var rejectedLogged = logs.Any(l => l.StartsWith("Debug Rejected", StringComparison.Ordinal) && l.Contains("Key=\"market-without-question\"", StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            Assert.That(price.Mock, Is.False);
            Assert.That(market.Mock, Is.False);
            Assert.That(after.Seq, Is.GreaterThan(before), "scores are still published");
            Assert.That(readiness.StatusCode, Is.EqualTo(HttpStatusCode.OK), "one bad signal is no stall");
            Assert.That(engine.GetProperty("status").GetString(), Is.Not.EqualTo("Unhealthy"));
            Assert.That(faultLogged || rejectedLogged, Is.True, "the bad signal was either rejected or a logged fault");
            Assert.That(readFaults, Is.EqualTo(faultLogged ? 1 : 0));
            Assert.That(stats.GetProperty("routerFaults").GetProperty("read").GetInt64(), Is.EqualTo(readFaults));
        });
    }

    [Test]
    public async Task TheEngineHealthEntryShowsWhatTheRouterDid()
    {
        await using var server = RiskConsoleServer.Start();
        await using var hub = server.CreateHub();
        var recorder = new HubRecorder(hub);
        await hub.StartAsync();
        await recorder.Score(s => s.Seq > 2);

        using var response = await server.Http.GetAsync("/health");
        var engine = (await ReadJson(response)).GetProperty("checks").GetProperty("engine");
        var data = engine.GetProperty("data");
        var stats = await ReadJson(await server.Http.GetAsync("/stats"));
        Assert.Multiple(() =>
        {
            Assert.That(engine.GetProperty("status").GetString(), Is.EqualTo("Healthy"));
            Assert.That(engine.GetProperty("description").GetString(), Does.Match(@"^event router running: [\d,]+ signals accepted, last bar evaluated at \d\d:\d\d:\d\dZ$"));
            Assert.That(data.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[]
            {
                "running", "signalsRead", "signalsAccepted", "readFaults", "tickFaults", "sendFaults", "backlog", "barsEvaluated", "lastEvaluationAt", "stallAfterSeconds",
            }));
            Assert.That(long.Parse(data.GetProperty("signalsAccepted").GetString()!, System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThan(0));
            Assert.That(long.Parse(data.GetProperty("barsEvaluated").GetString()!, System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThan(0));
            Assert.That(data.GetProperty("lastEvaluationAt").GetString(), Does.Match(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"));
            Assert.That(data.GetProperty("readFaults").GetString(), Is.EqualTo("0"));
            Assert.That(stats.GetProperty("routerFaults").GetProperty("send").GetInt64(), Is.Zero);
        });
    }

    private static async Task<JsonElement> ReadJson(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
}
