using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using RiskConsole.Server.Configuration;
using RiskConsole.Server.Serialization;

namespace RiskConsole.Server.Hubs;

public static class RiskHubRegistration
{
    public const string Path = "/hubs/risk";

    public static IServiceCollection AddRiskHub(this IServiceCollection services)
    {
        services.AddSignalR(options =>
            {
                options.AddFilter<TopicArgumentsFilter>();
                options.EnableDetailedErrors = false;
            })
            .AddJsonProtocol(options => options.PayloadSerializerOptions.TypeInfoResolverChain.Insert(0, RiskConsoleJsonContext.Default))
            .AddMessagePackProtocol(options => options.SerializerOptions = MarketSignalMessagePackFormatter.WithSignals(options.SerializerOptions));
        services.AddSingleton<TopicArgumentsFilter>();
        services.AddOptions<HubOptions>()
            .Configure<IOptions<ServerOptions>>((hub, server) => hub.MaximumReceiveMessageSize = server.Value.MaxClientMessageBytes);
        return services;
    }

    public static IEndpointRouteBuilder MapRiskHub(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHub<RiskHub>(Path, options =>
        {
            // A short network drop replays what the client missed instead of losing it.
            options.AllowStatefulReconnects = true;
            options.Transports = HttpTransportType.WebSockets | HttpTransportType.ServerSentEvents | HttpTransportType.LongPolling;
        });
        return endpoints;
    }
}
