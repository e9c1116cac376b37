using System.Net;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using RiskConsole.Ai.Roasts;
using RiskConsole.Core.Contracts;
using RiskConsole.Tests.Server.Infrastructure;

namespace RiskConsole.Tests.Ai.Roasts;

/// <summary>With an OpenAI key configured, a forced interrupt carries the model's roast; the status says it worked.</summary>
[Category(TestCategories.EndToEnd)]
public sealed class OpenAIRoastEndToEndTests
{
    [Test]
    public async Task AForcedInterruptCarriesTheRoastFromTheConfiguredEndpoint()
    {
        await using var openAI = await FakeOpenAIServer.StartAsync();
        openAI.Default = FakeOpenAIServer.Completion("Your portfolio just asked for a lawyer.");
        await using var server = RiskConsoleServer.Start(settings: new Dictionary<string, string?>
        {
            ["Ai:OpenAI:ApiKey"] = "sk-e2e-key",
            ["Ai:OpenAI:Endpoint"] = openAI.Endpoint.ToString(),
        });
        await using var connection = server.CreateHub();
        var recorder = new HubRecorder(connection);
        await connection.StartAsync();

        using var response = await server.Http.PostAsync("/test-interrupt", null);
        var interrupt = await recorder.Interrupt();
        var status = await connection.InvokeAsync<RiskStatus>(nameof(IRiskHub.GetStatus));
        var roasts = status.Ai.Single(a => a.Service == AiServices.Roasts);
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
            Assert.That(server.Services.GetRequiredService<IRoastWriter>(), Is.TypeOf<OpenAIRoastWriter>());
            Assert.That(interrupt.Roast, Is.EqualTo("Your portfolio just asked for a lawyer."));
            Assert.That(roasts.Provider, Is.EqualTo("openai:gpt-4o"));
            Assert.That(roasts.LastSuccessAt, Is.Not.Null);
            Assert.That(openAI.Requests, Has.Count.EqualTo(1));
        });
    }
}
