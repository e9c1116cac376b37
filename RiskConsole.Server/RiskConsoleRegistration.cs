using Microsoft.Extensions.Options;
using RiskConsole.Ai;
using RiskConsole.Ai.Roasts;
using RiskConsole.Core.Interrupts;
using RiskConsole.Core.Risk;
using RiskConsole.Ingest;
using RiskConsole.Ingest.Mock;
using RiskConsole.Server.Configuration;
using RiskConsole.Server.Endpoints;
using RiskConsole.Server.Hubs;
using RiskConsole.Server.Legacy;
using RiskConsole.Server.Logging;
using RiskConsole.Server.Routing;
using RiskConsole.Server.Security;
using RiskConsole.Server.Serialization;

namespace RiskConsole.Server;

/// <summary>
/// The whole application as two verbs for Program.cs. The engine side (listeners, router, interrupts) and
/// the client side (hub, /ws, HTTP) are separate registrations so a later scale-out can run them apart.
/// </summary>
public static class RiskConsoleRegistration
{
    public const string CorsPolicy = "RiskConsoleOrigins";

    public static WebApplicationBuilder AddRiskConsole(this WebApplicationBuilder builder)
    {
        builder.AddRiskConsoleConfiguration();
        builder.Services.AddSingleton<StartupConfigurationCheck>();
        builder.AddRiskConsoleLogging();
        builder.Services.AddRiskEngineRole(builder.Configuration);
        builder.Services.AddRiskClientRole();
        return builder;
    }

    /// <summary>Listeners, the signal channel, the engine, the router and the interrupt workflow.</summary>
    public static IServiceCollection AddRiskEngineRole(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(_ => new SignalChannel());
        services.AddSingleton<SourceStatusBoard>();
        services.AddSingleton(sp => new RiskEngine(sp.GetRequiredService<IOptions<RiskModelOptions>>().Value));
        services.AddSingleton(sp => new InterruptPolicy(sp.GetRequiredService<IOptions<InterruptPolicyOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<RiskMonitor>();
        services.AddSingleton<ScoringHealth>();
        services.AddSingleton<IValidateOptions<RiskPublishOptions>, StallWindowValidation>();
        services.AddSingleton<RiskBroadcaster>();
        services.AddSingleton<InterruptWorkflow>();
        services.AddOfflineAi(configuration);
        services.AddSingleton<OfflineRoastWriter>();
        services.AddMockFeeds(configuration);
        services.AddHostedService<EventRouter>();
        return services;
    }

    /// <summary>The hub, the legacy socket, the HTTP API and health, CORS.</summary>
    public static IServiceCollection AddRiskClientRole(this IServiceCollection services)
    {
        services.AddRiskHub();
        services.AddSingleton<LegacySocketRegistry>();
        services.AddSingleton<ConsoleStatus>();
        services.AddSingleton<TestInterruptGate>();
        services.AddRiskHealthChecks();
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, RiskConsoleJsonContext.Default));
        services.AddCors();
        services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>()
            .Configure<IOptions<ServerOptions>>((cors, server) => cors.AddPolicy(CorsPolicy, policy =>
            {
                // No origins configured = same origin only: the policy then allows nothing cross-origin.
                policy.WithOrigins(server.Value.AllowedOrigins).AllowAnyHeader().AllowAnyMethod().AllowCredentials();
            }));
        return services;
    }

    public static WebApplication MapRiskConsole(this WebApplication app)
    {
        if (app.Services.GetRequiredService<StartupConfigurationCheck>().Problems.Count > 0)
        {
            // Nothing is mapped on bad configuration: RunRiskConsoleAsync reports it and exits.
            return app;
        }

        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRiskConsoleRequestLogging();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseCors(CorsPolicy);
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(20) });
        app.UseMiddleware<WebSocketOriginCheck>();
        app.MapRiskApi();
        app.MapRiskHealth();
        app.MapRiskHub();
        app.MapLegacyWebSocket();
        return app;
    }

    /// <summary>
    /// Runs the app; a configuration error stops it before it listens, with one line per problem naming the
    /// key and the rule, and exit code 1.
    /// </summary>
    public static async Task<int> RunRiskConsoleAsync(this WebApplication app)
    {
        var problems = app.Services.GetRequiredService<StartupConfigurationCheck>().Problems;
        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                await Console.Error.WriteLineAsync($"Configuration error: {problem}");
            }

            return 1;
        }

        await app.RunAsync();
        return 0;
    }
}
