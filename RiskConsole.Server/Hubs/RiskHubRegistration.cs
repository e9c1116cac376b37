using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using RiskConsole.Core.Contracts;
using RiskConsole.Server.Configuration;
using RiskConsole.Server.Delivery;

namespace RiskConsole.Server.Hubs;

public static class RiskHubRegistration
{
    public static IServiceCollection AddRiskHub(this IServiceCollection services)
    {
        services.AddSingleton<HubCallGuard>();
        services.AddSignalR(options =>
            {
                options.EnableDetailedErrors = false;
                options.AddFilter<HubCallGuard>();
            })
            .AddJsonProtocol(options => options.PayloadSerializerOptions.TypeInfoResolverChain.Insert(0, HubJsonContext.Default))
            // DataUpdate has concrete fields, so MessagePack needs no formatter of ours, here or in a .NET client.
            .AddMessagePackProtocol();
        services.AddSingleton<HubAudience>();
        services.AddSingleton<HubClientSilenceTimeout>();
        services.AddSingleton<HubLifetimeManager<RiskHub>, RiskHubLifetimeManager>();
        services.AddSingleton<ClientFanOut>();
        services.AddSingleton<IRiskClient>(sp => sp.GetRequiredService<ClientFanOut>());
        services.AddOptions<HubOptions>()
            .Configure<IOptions<ServerOptions>>((hub, server) =>
            {
                hub.MaximumReceiveMessageSize = server.Value.MaxClientMessageBytes;
                hub.KeepAliveInterval = TimeSpan.FromSeconds(server.Value.KeepAliveSeconds);
                hub.ClientTimeoutInterval = TimeSpan.FromSeconds(server.Value.ClientTimeoutSeconds);
                hub.StatefulReconnectBufferSize = server.Value.StatefulReconnectBufferBytes;
            });
        return services;
    }

    public static IEndpointRouteBuilder MapRiskHub(this IEndpointRouteBuilder endpoints)
    {
        var server = endpoints.ServiceProvider.GetRequiredService<IOptions<ServerOptions>>().Value;
        var silenceTimeout = endpoints.ServiceProvider.GetRequiredService<HubClientSilenceTimeout>();
        var options = new HttpConnectionDispatcherOptions
        {
            // Off unless configured (Server:AllowStatefulReconnects): see ServerOptions for the cost it carries.
            AllowStatefulReconnects = server.AllowStatefulReconnects,
            Transports = HttpTransportType.WebSockets | HttpTransportType.ServerSentEvents | HttpTransportType.LongPolling,
        };

        // How long a closing WebSocket waits for the client's close frame (default 5 s): a client that does not
        // read never sends one, and shutdown must be done in 2 s.
        options.WebSockets.CloseTimeout = TimeSpan.FromSeconds(1);

        // What MapHub does (the hub's attributes and its type as endpoint metadata, so an [Authorize] or CORS attribute
        // added to RiskHub still applies), with the silence timeout in front of the hub (see HubClientSilenceTimeout).
        endpoints.MapConnections(IRiskHub.Path, options, connection => connection
                .Use((context, next) => silenceTimeout.InvokeAsync(context, next))
                .UseHub<RiskHub>())
            .Add(endpoint =>
            {
                foreach (var attribute in typeof(RiskHub).GetCustomAttributes(inherit: true))
                {
                    endpoint.Metadata.Add(attribute);
                }

                endpoint.Metadata.Add(new HubMetadata(typeof(RiskHub)));
            });
        return endpoints;
    }
}
