using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using RiskConsole.Server.Logging;
using RiskConsole.Tests.Engine.Publishing;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace RiskConsole.Tests.Server.Logging;

/// <summary>The summary lines of the log budget: one per address and interval, on fake time, and a last one at shutdown.</summary>
public sealed class ClientLogBudgetReporterTests
{
    [Test]
    public async Task EachIntervalSaysHowManyLinesEachAddressLostAndAQuietIntervalSaysNothing()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var options = MsOptions.Create(new ClientLogBudgetOptions { LinesPerSecond = 0.01, Burst = 1, SummaryIntervalSeconds = 10 });
        var budget = new ClientLogBudget(options, time);
        var log = new RecordingLogger<ClientLogBudgetReporter>();
        using var reporter = new ClientLogBudgetReporter(budget, options, time, log);
        await reporter.StartAsync(CancellationToken.None);

        for (var i = 0; i < 6; i++)
        {
            budget.TryLog("203.0.113.7");
        }

        time.Advance(TimeSpan.FromSeconds(9));
        var beforeTheInterval = log.Entries.Count;
        time.Advance(TimeSpan.FromSeconds(1));
        var summary = await log.WaitFor(e => e.Level == LogLevel.Warning, "the first summary");

        budget.TryLog("203.0.113.7");
        time.Advance(TimeSpan.FromSeconds(10));
        var second = await log.WaitFor(e => e.Message.Contains(" 1 log line(s)", StringComparison.Ordinal), "the second summary");
        await reporter.StopAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(beforeTheInterval, Is.Zero);
            Assert.That(summary.Message, Is.EqualTo("Suppressed 5 log line(s) caused by 203.0.113.7 over 10 s: it went over its log budget (Telemetry:LogBudget)"));
            Assert.That(second.Message, Does.StartWith("Suppressed 1 log line(s) caused by 203.0.113.7"));
            Assert.That(log.Entries, Has.Count.EqualTo(2), "nothing to report at shutdown");
        });
    }

    [Test]
    public async Task WhatWasSuppressedSinceTheLastSummaryIsReportedAtShutdown()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var options = MsOptions.Create(new ClientLogBudgetOptions { Burst = 1, SummaryIntervalSeconds = 60 });
        var budget = new ClientLogBudget(options, time);
        var log = new RecordingLogger<ClientLogBudgetReporter>();
        using var reporter = new ClientLogBudgetReporter(budget, options, time, log);
        await reporter.StartAsync(CancellationToken.None);
        budget.TryLog("::1");
        budget.TryLog("::1");

        await reporter.StopAsync(CancellationToken.None);

        Assert.That(log.Entries.Single().Message, Does.StartWith("Suppressed 1 log line(s) caused by ::1"));
    }
}
