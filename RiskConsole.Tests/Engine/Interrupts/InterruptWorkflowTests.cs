using System.Net;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using RiskConsole.Ai.Roasts;
using RiskConsole.Core.Contracts;
using RiskConsole.Tests.Server.Infrastructure;

namespace RiskConsole.Tests.Engine.Interrupts;

/// <summary>
/// The interrupt workflow through the real server: the threshold path, and what users see when the roast
/// writer fails or blows the time budget. The failing writers stand in for a remote AI service that is down
/// or slow (the OpenAI writer is not part of this build).
/// </summary>
[Category(TestCategories.EndToEnd)]
public sealed class InterruptWorkflowTests
{
    [Test]
    public async Task CrossingTheThresholdInterruptsEveryoneOnceAndWarns()
    {
        await using var server = RiskConsoleServer.Start(settings: new Dictionary<string, string?>
        {
            // Every score is at or above 0, so the first evaluation after warm-up fires.
            ["Risk:Threshold"] = "0",
            ["Risk:CooldownSeconds"] = "3600",
        });
        await using var connection = server.CreateHub();
        var recorder = new HubRecorder(connection);
        await connection.StartAsync();

        var warning = await recorder.Alert(a => a.AlertType == AlertTypes.Warning);
        var interrupt = await recorder.Interrupt();
        var alert = await recorder.Alert(a => a.AlertType == AlertTypes.Interrupt);
        Assert.Multiple(() =>
        {
            Assert.That(warning.Message, Does.Contain("crossed the threshold"));
            Assert.That(interrupt.Forced, Is.False);
            Assert.That(interrupt.Roast, Is.Not.Empty);
            Assert.That(alert.Message, Does.StartWith("Risk threshold exceeded"));
        });

        // The cooldown holds: many more scores, no second interrupt.
        for (var i = 0; i < 20; i++)
        {
            await recorder.Score();
        }

        Assert.That(() => recorder.Interrupt(timeout: TimeSpan.FromMilliseconds(200)), Throws.TypeOf<TimeoutException>());
    }

    [Test]
    public async Task AFailingRoastWriterGivesAnErrorAlertAndTheOfflineRoast()
    {
        await using var server = RiskConsoleServer.Start(services: s => s.AddSingleton<IRoastWriter, FailingRoastWriter>());
        await using var connection = server.CreateHub();
        var recorder = new HubRecorder(connection);
        await connection.StartAsync();

        using var response = await server.Http.PostAsync("/test-interrupt", null);
        var error = await recorder.Alert(a => a.AlertType == AlertTypes.Error);
        var interrupt = await recorder.Interrupt();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
            Assert.That(error.Message, Is.EqualTo("Failed to generate interrupt content: upstream said no"));
            Assert.That(interrupt.Roast, Is.Not.Empty.And.Not.Contain("upstream"), "the offline roast stands in");
            Assert.That(server.Logs.Lines.Any(l => l.Contains("Roast writer \"failing\" failed", StringComparison.Ordinal)), Is.True);
        });
    }

    [Test]
    public async Task AFailedRoastShowsInStatusAndHealthWithTheKeyRedacted()
    {
        const string key = "sk-test-secret-123";
        await using var server = RiskConsoleServer.Start(
            settings: new Dictionary<string, string?> { ["Ai:OpenAI:ApiKey"] = key },
            services: s => s.AddSingleton<IRoastWriter>(new FailingRoastWriter($"401 for key {key}")));
        await using var connection = server.CreateHub();
        var recorder = new HubRecorder(connection);
        await connection.StartAsync();

        using var response = await server.Http.PostAsync("/test-interrupt", null);
        var error = await recorder.Alert(a => a.AlertType == AlertTypes.Error);
        var status = await connection.InvokeAsync<RiskStatus>(nameof(IRiskHub.GetStatus));
        var health = await server.Http.GetStringAsync("/health");
        var roasts = status.Ai.Single(a => a.Service == AiServices.Roasts);
        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Is.EqualTo("Failed to generate interrupt content: 401 for key [redacted]"));
            Assert.That(roasts.KeyConfigured, Is.True);
            Assert.That(roasts.LastError, Is.EqualTo("401 for key [redacted]"));
            Assert.That(roasts.LastErrorAt, Is.Not.Null);
            Assert.That(roasts.LastSuccessAt, Is.Null);
            Assert.That(health, Does.Contain("roasts failing: 401 for key [redacted]"));
            Assert.That(health + error.Message, Does.Not.Contain(key));
        });
    }

    [Test]
    public async Task ASlowRoastWriterIsCutOffByTheBudgetAndOnlyOneInterruptRunsAtATime()
    {
        await using var server = RiskConsoleServer.Start(
            settings: new Dictionary<string, string?> { ["Server:InterruptBudgetSeconds"] = "1" },
            services: s => s.AddSingleton<IRoastWriter, HangingRoastWriter>());
        await using var connection = server.CreateHub();
        var recorder = new HubRecorder(connection);
        await connection.StartAsync();

        using var first = await server.Http.PostAsync("/test-interrupt", null);
        var writer = (HangingRoastWriter)server.Services.GetRequiredService<IRoastWriter>();
        await writer.Started.WaitAsync(TimeSpan.FromSeconds(15));
        using var second = await server.Http.PostAsync("/test-interrupt", null);

        var error = await recorder.Alert(a => a.AlertType == AlertTypes.Error);
        var interrupt = await recorder.Interrupt();
        Assert.Multiple(() =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
            Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), "one interrupt at a time");
            Assert.That(error.Message, Is.EqualTo("Failed to generate interrupt content: timeout"));
            Assert.That(interrupt.Roast, Is.Not.Empty);
        });
    }

    private sealed class FailingRoastWriter(string message) : IRoastWriter
    {
        public FailingRoastWriter()
            : this("upstream said no")
        {
        }

        public string Name => "failing";

        public Task<string> WriteAsync(RoastContext context, CancellationToken cancellationToken) =>
            Task.FromException<string>(new HttpRequestException(message));
    }

    private sealed class HangingRoastWriter : IRoastWriter
    {
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Name => "hanging";

        public Task Started => _started.Task;

        public async Task<string> WriteAsync(RoastContext context, CancellationToken cancellationToken)
        {
            _started.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return "never";
        }
    }
}
