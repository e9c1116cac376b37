using RiskConsole.Engine;
using RiskConsole.Server.Configuration;
using RiskConsole.Server.Delivery;
using RiskConsole.Server.Endpoints;
using RiskConsole.Server.Hubs;
using RiskConsole.Server.Legacy;
using RiskConsole.Server.Logging;
using RiskConsole.Server.Observability;
using RiskConsole.Server.Probes;
using RiskConsole.Server.Replay;
using RiskConsole.Server.Security;

var builder = WebApplication.CreateBuilder(args);
builder.AddRiskConsoleConfiguration();
builder.AddRiskConsoleLogging();
builder.AddRiskTelemetry();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddRiskEngine(builder.Configuration);
builder.Services.AddRiskDelivery();
builder.Services.AddKnownProxyForwarding();
builder.Services.AddCrossOriginGuard();
builder.AddReplayServing(args);

var app = builder.Build();

// A bad setting stops the server here, before it listens: one line per problem naming the key, exit code 1.
if (await app.ReportConfigurationProblemsAsync())
{
    return 1;
}

// `-- probe roast` / `-- probe voice "text"`: one call to the configured AI service, then exit.
if (ProbeCommand.IsProbe(args))
{
    return await app.RunProbeAsync(args, Console.Out);
}

// `-- replay <file> …` (recorded or historical data through the engine, then a summary) and `-- export …` (the journal
// to CSV or JSONL): then exit. `replay … --serve` runs the server itself, driven by the replay.
if (ReplayCommand.RunsInsteadOfServer(args, app.Services))
{
    return await app.RunReplayOrExportAsync(args, Console.Out);
}

app.UseKnownProxyForwarding();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseRiskConsoleRequestLogging();
app.UseSecurityHeaders();
app.UseDashboardFiles();
app.UseCors(DeliveryRegistration.CorsPolicy);
app.UseRiskConnections();
app.UseCrossOriginGuard();
app.MapRiskApi();
app.MapRiskHealth();
app.MapRiskHistory();
app.MapRiskMetrics();
app.MapRiskHub();
app.MapLegacyWebSocket();

await app.RunAsync();
return 0;

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
