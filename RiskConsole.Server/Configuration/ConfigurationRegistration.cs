using RiskConsole.Hosting;

namespace RiskConsole.Server.Configuration;

public static class ConfigurationRegistration
{
    /// <summary>
    /// Reads the seed aliases and .env, sets the listen address from Server:Host/Port (unless ASPNETCORE_URLS
    /// or --urls chose one), and binds the server's options with validation at start.
    /// </summary>
    public static WebApplicationBuilder AddRiskConsoleConfiguration(this WebApplicationBuilder builder)
    {
        builder.Configuration.AddSeedEnvironment(Path.Combine(Directory.GetCurrentDirectory(), ".env"), Environment.GetEnvironmentVariable);

        // The other projects bind their own options in their AddX (engine, ingest, AI); the server owns these.
        builder.Services.AddValidatedOptions<ServerOptions>(builder.Configuration, ServerOptions.SectionName)
            .Configure(options => options.KnownProxies = [.. options.KnownProxies, .. ListInOneString(builder.Configuration[$"{ServerOptions.SectionName}:{nameof(ServerOptions.KnownProxies)}"])]);

        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            // Read by hand, not bound: a bad HOST/PORT must reach the options validation at start (one clear
            // line), not throw from the binder here.
            var host = builder.Configuration["Server:Host"] ?? new ServerOptions().Host;
            var port = builder.Configuration["Server:Port"] ?? new ServerOptions().Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!string.IsNullOrWhiteSpace(host) && int.TryParse(port, System.Globalization.CultureInfo.InvariantCulture, out var portNumber) && portNumber is >= 0 and <= 65535)
            {
                var bracketed = host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host;
                builder.WebHost.UseUrls($"http://{bracketed}:{portNumber}");
            }
        }

        return builder;
    }

    /// <summary>
    /// The binder fills an array only from indexed children (Server__KnownProxies__0); a plain Server__KnownProxies=10.0.0.1
    /// would be dropped without a word and leave the proxy untrusted, so the single-string form is read too.
    /// </summary>
    private static string[] ListInOneString(string? value) =>
        value?.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
}
