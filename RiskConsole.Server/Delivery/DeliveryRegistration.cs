using Microsoft.Extensions.Options;
using RiskConsole.Server.Configuration;
using RiskConsole.Server.Endpoints;
using RiskConsole.Server.Hubs;
using RiskConsole.Server.Legacy;
using RiskConsole.Server.Observability;
using RiskConsole.Server.Security;

namespace RiskConsole.Server.Delivery;

public static class DeliveryRegistration
{
    public const string CorsPolicy = "RiskConsoleOrigins";

    /// <summary>
    /// The client role: the hub and the engine's port (<see cref="ClientFanOut"/>), the legacy /ws sockets, status,
    /// the testing-aid gate, health, HTTP JSON and CORS. It talks to the engine only through IRiskConsole, so a later
    /// scale-out can run it without the engine (behind a backplane).
    /// </summary>
    public static IServiceCollection AddRiskDelivery(this IServiceCollection services)
    {
        services.AddRiskHub();

        // Bounds what the host waits for at shutdown (hosted services, Kestrel draining its connections) so a client
        // that neither reads nor closes cannot hold the process for the default 30 s; the engine stops in milliseconds.
        services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(1.5));
        services.AddSingleton<LegacySocketRegistry>();
        services.AddSingleton<ConsoleStatus>();
        services.AddSingleton<DeliveryMetrics>();
        services.AddSingleton<TestInterruptGate>();
        services.AddRiskHealthChecks();
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default));
        services.AddCors();
        services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>()
            .Configure<IOptions<ServerOptions>>((cors, server) => cors.AddPolicy(CorsPolicy, policy =>
            {
                // No origins configured = same origin only: the policy then allows nothing cross-origin.
                policy.WithOrigins(server.Value.AllowedOrigins).AllowAnyHeader().AllowAnyMethod().AllowCredentials();
            }));
        return services;
    }

    /// <summary>
    /// WebSockets with the configured keep-alive: /ws sockets are pinged every Server:KeepAliveSeconds and aborted when
    /// no pong comes within Server:WebSocketPongTimeoutSeconds (a dead or never-reading peer is found, not kept);
    /// then Server:MaxConnections for everything that opens a client connection.
    /// </summary>
    public static WebApplication UseRiskConnections(this WebApplication app)
    {
        var server = app.Services.GetRequiredService<IOptions<ServerOptions>>().Value;
        app.UseWebSockets(new WebSocketOptions
        {
            KeepAliveInterval = TimeSpan.FromSeconds(server.KeepAliveSeconds),
            KeepAliveTimeout = TimeSpan.FromSeconds(server.WebSocketPongTimeoutSeconds),
        });
        app.UseMiddleware<ConnectionLimit>();
        return app;
    }
}
