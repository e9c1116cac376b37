using System.Diagnostics;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using RiskConsole.Core.Contracts;
using RiskConsole.Server.Hubs;
using RiskConsole.Tests.Server.Infrastructure;

namespace RiskConsole.Tests.Server.Reliability;

/// <summary>
/// One connection can neither make the server answer calls without limit nor flood the log: calls beyond
/// Server:ClientCallsPerSecond are refused, and refused calls (HubExceptions) are Debug lines within the client's log
/// budget, never SignalR's Error line with a stack trace (which before this wrote thousands a second).
/// </summary>
[Category(TestCategories.EndToEnd)]
[Category(TestCategories.Attack)]
public sealed class HubCallGuardTests
{
    [Test]
    public async Task CallsBeyondTheConnectionsRateAreRefused()
    {
        await using var server = RiskConsoleServer.Start(settings: new Dictionary<string, string?> { ["Server:ClientCallsPerSecond"] = "5" });
        await using var hub = server.CreateHub();
        await hub.StartAsync();

        var watch = Stopwatch.StartNew();
        var calls = Enumerable.Range(0, 100).Select(_ => hub.InvokeAsync<RiskStatus>(nameof(RiskHub.GetStatus))).ToArray();
        var outcomes = await Task.WhenAll(calls.Select(async call =>
        {
            try
            {
                await call;
                return "answered";
            }
            catch (HubException ex)
            {
                return ex.Message;
            }
        }));
        var elapsed = watch.Elapsed;

        var answered = outcomes.Count(o => o == "answered");
        var refused = outcomes.Where(o => o != "answered").ToArray();
        Assert.Multiple(() =>
        {
            // A burst of 10, then 5 a second for as long as the calls took to arrive.
            Assert.That(answered, Is.InRange(10, 10 + (int)Math.Ceiling(5 * elapsed.TotalSeconds) + 1));
            Assert.That(refused, Has.All.Contains("Too many calls: at most 5 a second"));
            Assert.That(hub.State, Is.EqualTo(HubConnectionState.Connected), "refused, not disconnected");
        });
    }

    [Test]
    public async Task AFloodOfRefusedCallsWritesNoErrorLineAndAtMostTheClientsLogBudget()
    {
        await using var server = RiskConsoleServer.Start(settings: new Dictionary<string, string?>
        {
            ["Server:ClientCallsPerSecond"] = "10000",
            ["Serilog:MinimumLevel:Override:RiskConsole.Server.Hubs"] = "Debug",
            ["Serilog:MinimumLevel:Override:Microsoft.AspNetCore.SignalR"] = "Debug",
        });
        await using var hub = server.CreateHub();
        await hub.StartAsync();

        var watch = Stopwatch.StartNew();
        var refused = 0;
        for (var i = 0; i < 2_000; i++)
        {
            try
            {
                await hub.InvokeAsync<SubscriptionState>(nameof(RiskHub.Subscribe), new[] { "no-such-topic" });
            }
            catch (HubException)
            {
                refused++;
            }
        }

        var seconds = watch.Elapsed.TotalSeconds;
        var lines = server.Logs.Lines;
        var refusalLines = lines.Count(l => l.Contains("Hub call \"Subscribe\" refused", StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            Assert.That(refused, Is.EqualTo(2_000), "every call refused with the reason");
            Assert.That(lines.Where(l => l.StartsWith("Error", StringComparison.Ordinal)), Is.Empty, "a refusal is not an error");
            Assert.That(lines.Where(l => l.Contains("Failed invoking hub method", StringComparison.Ordinal)), Is.Empty);
            Assert.That(refusalLines, Is.GreaterThan(0), "refusals are still visible at Debug");
            Assert.That(refusalLines, Is.LessThanOrEqualTo(20 + (int)Math.Ceiling(5 * seconds)), $"the log budget (burst 20, 5 a second) over {seconds:F1} s");
        });
    }
}
