using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using RiskConsole.Server.Configuration;

namespace RiskConsole.Server.Security;

/// <summary>
/// X-Forwarded-For and X-Forwarded-Proto believed from the proxies listed in Server:KnownProxies and from nobody else:
/// behind nginx the client address (what the test-interrupt limit keys on) is then the real client's, and a client that
/// talks to the server directly cannot pick its own address with a header.
/// </summary>
public static class KnownProxyForwarding
{
    public static IServiceCollection AddKnownProxyForwarding(this IServiceCollection services)
    {
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ServerOptions>>((forwarded, server) =>
        {
            var proxies = server.Value.KnownProxies;

            // ASP.NET trusts loopback out of the box, and with both lists empty it trusts every peer (which is also what
            // ASPNETCORE_FORWARDEDHEADERS_ENABLED sets up); only what the operator listed may count here.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            forwarded.ForwardedHeaders = proxies.Length == 0 ? ForwardedHeaders.None : ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;

            // No fixed hop count: an entry is taken only while the hop that appended it is a listed proxy, so a chain of
            // listed proxies works and an address the client wrote itself ends the walk.
            forwarded.ForwardLimit = null;
            foreach (var proxy in proxies)
            {
                if (AddressSyntax.TryParseNetwork(proxy, out var network))
                {
                    forwarded.KnownIPNetworks.Add(network);
                }
                else if (AddressSyntax.TryParseAddress(proxy, out var address))
                {
                    forwarded.KnownProxies.Add(address);
                }
            }
        });
        return services;
    }

    /// <summary>First in the pipeline, so logging, the origin guard and the limits all see the forwarded client.</summary>
    public static WebApplication UseKnownProxyForwarding(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<ServerOptions>>().Value.KnownProxies.Length > 0)
        {
            app.UseForwardedHeaders();
        }

        return app;
    }
}
