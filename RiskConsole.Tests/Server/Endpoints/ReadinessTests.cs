using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RiskConsole.Core.Signals;
using RiskConsole.Ingest;
using RiskConsole.Tests.Server.Infrastructure;
using Serilog.Core;
using Serilog.Events;

namespace RiskConsole.Tests.Server.Endpoints;

/// <summary>
/// /health/ready on the real server follows whether scores flow, not whether a task exists: a log sink that blocks
/// (a full pipe, a stuck disk) freezes the router's reader while the feeds keep writing, scores stop, and readiness
/// fails with the reason until the reader runs again.
/// </summary>
[Category(TestCategories.EndToEnd)]
public sealed class ReadinessTests
{
    [Test]
    public async Task ReadinessFailsWhileScoresStopFlowingAndRecoversWhenTheyFlowAgain()
    {
        using var sink = new BlockingSink("HOLD-READER");
        await using var server = RiskConsoleServer.Start(
            settings: new Dictionary<string, string?> { ["Risk:StallAfterSeconds"] = "1" },
            services: s => s.AddSingleton<ILogEventSink>(sink));
        await using var hub = server.CreateHub();
        var recorder = new HubRecorder(hub);
        await hub.StartAsync();
        await recorder.Score();
        using var before = await server.Http.GetAsync("/health/ready");

        try
        {
            // Refused (price -1), so the reader logs it at Debug, and the sink holds the reader right there.
            var channel = server.Services.GetRequiredService<SignalChannel>();
            await channel.Writer.WriteAsync(new PriceTick("HOLD-READER", -1, server.Services.GetRequiredService<TimeProvider>().GetUtcNow()));
            await sink.Holding.Task.WaitAsync(InMemoryLogSink.DefaultTimeout);

            await server.Logs.WaitForLine(l => l.StartsWith("Error Scoring unhealthy, readiness fails:", StringComparison.Ordinal), "readiness failing");
            using var stalled = await server.Http.GetAsync("/health/ready");
            var engine = await Engine(stalled);
            Assert.Multiple(() =>
            {
                Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.OK));
                Assert.That(stalled.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
                Assert.That(engine.GetProperty("status").GetString(), Is.EqualTo("Unhealthy"));
                Assert.That(engine.GetProperty("description").GetString(), Does.Contain("signal reader stalled"));
            });
        }
        finally
        {
            sink.Release();
        }

        await server.Logs.WaitForLine(l => l.StartsWith("Information Scoring healthy again", StringComparison.Ordinal), "readiness recovering");
        var last = await recorder.Score();
        await recorder.Score(s => s.Seq > last.Seq);
        using var after = await server.Http.GetAsync("/health/ready");
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.OK), "scores flow again");
    }

    private static async Task<JsonElement> Engine(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("checks").GetProperty("engine").Clone();
    }

    /// <summary>Blocks the thread that logs an event mentioning <paramref name="marker"/>, as a sink on a full pipe does.</summary>
    private sealed class BlockingSink(string marker) : ILogEventSink, IDisposable
    {
        private readonly ManualResetEventSlim _released = new(initialState: false);

        public TaskCompletionSource Holding { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Emit(LogEvent logEvent)
        {
            if (!_released.IsSet && logEvent.Properties.Values.Any(v => v.ToString().Contains(marker, StringComparison.Ordinal)))
            {
                Holding.TrySetResult();

                // Bounded, so a failing test cannot hang the run; the test releases it long before.
                _released.Wait(TimeSpan.FromSeconds(60));
            }
        }

        public void Release() => _released.Set();

        public void Dispose() => _released.Dispose();
    }
}
