using RiskConsole.Bench.Load;

namespace RiskConsole.Tests.Bench;

/// <summary>
/// The load harness end to end, small: the real server in process with injected ingest, 50 real SignalR clients (in this
/// process, so the test needs no second executable) and one stalled client, 3 measured seconds. It checks only that the
/// harness works and that nothing is lost; speed is for the harness itself, never asserted here.
/// </summary>
[TestFixture]
[Category(TestCategories.EndToEnd)]
public sealed class LoadHarnessSmokeTests
{
    // Batches: clients opt into DataBatch as the dashboard does; updates: a DataUpdate per datum, as older clients get.
    [TestCase(true)]
    [TestCase(false)]
    public async Task A_small_run_connects_every_client_measures_latency_and_loses_nothing(bool dataBatches)
    {
        var options = new LoadOptions(Clients: 50, SignalsPerSecond: 500, Seconds: 3, StalledClients: 1, Workers: 0, Url: null, DataBatches: dataBatches, WarmUpSeconds: 3);

        var report = await new LoadRun(options, TextWriter.Null).RunAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Connected, Is.EqualTo(50), report.FirstConnectFailure);
            Assert.That(report.ConnectFailures, Is.Zero);
            Assert.That(report.Disconnects, Is.Zero);
            Assert.That(report.InjectedPerSecond, Is.GreaterThan(0));
            Assert.That(report.Rejected?.Values.Sum() ?? 0, Is.Zero, "the engine accepts every injected signal");
            Assert.That(report.DataLatency.Count, Is.GreaterThan(0), "data received while measuring");
            Assert.That(report.ScoreLatencyFromBarEnd.Count, Is.GreaterThan(0), "scores received while measuring");
            Assert.That(report.DataLost, Is.Zero, "the last value injected per key reached every subscribed client");
            Assert.That(report.ScoresLost, Is.Zero, "no gap in any client's score Seq");
            Assert.That(report.KilobytesPerIdleConnection, Is.Not.Null);
            Assert.That(report.Markdown(), Does.Contain(LoadReport.TableHeader.Split('\n')[0]));
            Assert.That(report.Markdown(), Does.Contain(dataBatches ? "as DataBatch" : "as DataUpdate"), "the report says how the clients took data");
        }
    }
}
