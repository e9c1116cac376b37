using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using RiskConsole.Tests.Server.Infrastructure;

namespace RiskConsole.Tests.Server.Logging;

/// <summary>
/// Request log lines on the real server: they name the client's address, health probes and scrapes are Debug (so
/// absent at the shipped levels), and one client flooding the server gets its budget of lines plus summaries.
/// </summary>
[Category(TestCategories.EndToEnd)]
public sealed partial class RequestLoggingTests
{
    [Test]
    public async Task ProbesAreLoggedAtDebugAndOtherRequestsAtInformationWithTheClientAddress()
    {
        await using var server = RiskConsoleServer.Start(settings: new Dictionary<string, string?>
        {
            ["Serilog:MinimumLevel:Override:Serilog.AspNetCore.RequestLoggingMiddleware"] = "Debug",
        });

        foreach (var path in new[] { "/health", "/health/live", "/health/ready", "/stats" })
        {
            using var response = await server.Http.GetAsync(path);
        }

        await server.Logs.WaitUntil(lines => lines.Count(l => l.Contains("HTTP \"GET\" \"/", StringComparison.Ordinal)) >= 4, "four request lines");
        var lines = server.Logs.Lines.Where(l => l.Contains("HTTP \"GET\" \"/", StringComparison.Ordinal)).ToList();
        Assert.Multiple(() =>
        {
            foreach (var probe in new[] { "/health", "/health/live", "/health/ready" })
            {
                Assert.That(lines, Has.One.Match($"^Debug HTTP \"GET\" \"{Regex.Escape(probe)}\" responded \\d+ in [\\d.]+ ms from \"127\\.0\\.0\\.1\" "));
            }

            Assert.That(lines, Has.One.Match(@"^Information HTTP ""GET"" ""/stats"" responded 200 in [\d.]+ ms from ""127\.0\.0\.1"" .*ClientAddress=""127\.0\.0\.1"""));
        });
    }

    [Test]
    public async Task AtTheShippedLevelsProbesLeaveNoLine()
    {
        await using var server = RiskConsoleServer.Start();

        using (await server.Http.GetAsync("/health/ready"))
        using (await server.Http.GetAsync("/health/live"))
        using (await server.Http.GetAsync("/stats"))
        {
        }

        // Requests on one connection are handled one after another, so the probes' lines would be written by now.
        await server.Logs.WaitForLine(l => l.StartsWith("Information HTTP \"GET\" \"/stats\" ", StringComparison.Ordinal), "the /stats line");
        Assert.That(server.Logs.Lines.Where(l => l.Contains("HTTP \"GET\" \"/health", StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public async Task AFloodFromOneAddressLogsItsBudgetAndSaysHowManyLinesItLost()
    {
        const int Requests = 60;
        const int Burst = 5;
        const double LinesPerSecond = 2;
        await using var server = RiskConsoleServer.Start(settings: new Dictionary<string, string?>
        {
            ["Telemetry:LogBudget:Burst"] = Burst.ToString(CultureInfo.InvariantCulture),
            ["Telemetry:LogBudget:LinesPerSecond"] = LinesPerSecond.ToString(CultureInfo.InvariantCulture),
            ["Telemetry:LogBudget:SummaryIntervalSeconds"] = "1",
        });

        var flood = Stopwatch.StartNew();
        for (var i = 0; i < Requests; i++)
        {
            using var response = await server.Http.GetAsync("/stats");
        }

        var floodSeconds = flood.Elapsed.TotalSeconds;

        // Every request is either a line or counted in a summary; the summaries come once a second.
        await server.Logs.WaitUntil(lines => Logged(lines) + Summarized(lines) == Requests, $"{Requests} requests accounted for");
        var lines = server.Logs.Lines;
        var summaries = lines.Where(l => l.Contains("log line(s) caused by", StringComparison.Ordinal)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(Logged(lines), Is.GreaterThanOrEqualTo(Burst).And.LessThanOrEqualTo(Burst + (int)Math.Ceiling(LinesPerSecond * floodSeconds)));
            Assert.That(summaries, Is.Not.Empty.And.All.Match(@"^Warning Suppressed \d+ log line\(s\) caused by ""127\.0\.0\.1"" over \d+ s"));
            Assert.That(summaries, Has.Count.LessThanOrEqualTo((int)Math.Ceiling(floodSeconds) + 2), "at most one summary per address and interval");
        });
    }

    private static int Logged(IReadOnlyList<string> lines) => lines.Count(l => l.StartsWith("Information HTTP \"GET\" \"/stats\" ", StringComparison.Ordinal));

    private static int Summarized(IReadOnlyList<string> lines) =>
        lines.Select(l => SummaryCount().Match(l)).Where(m => m.Success).Sum(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^Warning Suppressed (\d+) log line\(s\) caused by ""127\.0\.0\.1"" ")]
    private static partial Regex SummaryCount();
}
