using Serilog;

namespace RiskConsole.Server.Logging;

public static class LoggingRegistration
{
    /// <summary>
    /// Serilog from the "Serilog" configuration section (console by default; compact JSON by configuration),
    /// plus any ILogEventSink registered in DI. Request logging writes method, path (never the query string),
    /// status and time; secrets that arrive in query strings are redacted from every event.
    /// </summary>
    public static WebApplicationBuilder AddRiskConsoleLogging(this WebApplicationBuilder builder)
    {
        builder.Services.AddSerilog((services, logger) =>
        {
            logger.ReadFrom.Configuration(builder.Configuration)
                .ReadFrom.Services(services)
                .Enrich.FromLogContext()
                .Enrich.With<QueryStringSecretRedactor>();

            // Started outside its folder (no appsettings.json) the app must still say what it does.
            if (!builder.Configuration.GetSection("Serilog:WriteTo").Exists())
            {
                logger.MinimumLevel.Information()
                    .MinimumLevel.Override("Microsoft.AspNetCore", Serilog.Events.LogEventLevel.Warning)
                    .MinimumLevel.Override("Microsoft.Extensions.Diagnostics.HealthChecks", Serilog.Events.LogEventLevel.Error)
                    .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}");
            }
        });
        return builder;
    }

    public static WebApplication UseRiskConsoleRequestLogging(this WebApplication app)
    {
        app.UseSerilogRequestLogging(options =>
        {
            options.MessageTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms";
        });
        return app;
    }
}
