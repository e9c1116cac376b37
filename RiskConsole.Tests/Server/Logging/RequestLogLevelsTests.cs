using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using RiskConsole.Server.Logging;
using Serilog;
using Serilog.Events;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace RiskConsole.Tests.Server.Logging;

/// <summary>The level of a request's log line, and the budget that bounds how many lines one client causes.</summary>
public sealed class RequestLogLevelsTests
{
    [TestCase("/health", 200, LogEventLevel.Debug)]
    [TestCase("/health/live", 200, LogEventLevel.Debug)]
    [TestCase("/health/ready", 503, LogEventLevel.Debug)]
    [TestCase("/HEALTH/READY", 200, LogEventLevel.Debug)]
    [TestCase("/metrics", 200, LogEventLevel.Debug)]
    [TestCase("/metrics", 403, LogEventLevel.Debug)]
    [TestCase("/healthz", 200, LogEventLevel.Information)]
    [TestCase("/stats", 200, LogEventLevel.Information)]
    [TestCase("/test-interrupt", 429, LogEventLevel.Information)]
    [TestCase("/stats", 500, LogEventLevel.Error)]
    public void ProbesAndScrapesAreDebugFailuresAreErrorsTheRestInformation(string path, int status, LogEventLevel expected) =>
        Assert.That(RequestLogLevels.LevelFor(new PathString(path), status, error: null), Is.EqualTo(expected));

    [Test]
    public void AnExceptionIsAnErrorEvenOnAProbe() =>
        Assert.That(RequestLogLevels.LevelFor("/health/live", 200, new InvalidOperationException()), Is.EqualTo(LogEventLevel.Error));

    [Test]
    public void LinesOverTheClientsBudgetDropBelowEveryLevelAndUnloggedProbesCostNothing()
    {
        var budget = new ClientLogBudget(MsOptions.Create(new ClientLogBudgetOptions { Burst = 2, LinesPerSecond = 0.01 }), new FakeTimeProvider());
        using var logger = new LoggerConfiguration().MinimumLevel.Verbose().MinimumLevel.Override("Serilog.AspNetCore.RequestLoggingMiddleware", LogEventLevel.Information).CreateLogger();
        var levels = new RequestLogLevels(budget, logger);

        var probes = Enumerable.Range(0, 5).Select(_ => levels.Choose(Request("/health/ready"), 1, null)).ToList();
        var requests = Enumerable.Range(0, 4).Select(_ => levels.Choose(Request("/stats"), 1, null)).ToList();
        var otherClient = levels.Choose(Request("/stats", "198.51.100.1"), 1, null);

        Assert.Multiple(() =>
        {
            Assert.That(probes, Is.All.EqualTo(LogEventLevel.Debug), "not enabled for the request logger, so not counted");
            Assert.That(requests, Is.EqualTo(new[] { LogEventLevel.Information, LogEventLevel.Information, RequestLogLevels.Dropped, RequestLogLevels.Dropped }));
            Assert.That(logger.IsEnabled(RequestLogLevels.Dropped), Is.False, "even a Verbose logger drops it");
            Assert.That(otherClient, Is.EqualTo(LogEventLevel.Information));
            Assert.That(budget.TotalSuppressed, Is.EqualTo(2));
        });
    }

    private static DefaultHttpContext Request(string path, string client = "203.0.113.7")
    {
        var http = new DefaultHttpContext();
        http.Request.Path = path;
        http.Connection.RemoteIpAddress = IPAddress.Parse(client);
        http.Response.StatusCode = 200;
        return http;
    }
}
