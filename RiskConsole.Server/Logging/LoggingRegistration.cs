using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RiskConsole.Hosting;
using RiskConsole.Server.Security;
using RiskConsole.Server.Hubs;
using Serilog;

namespace RiskConsole.Server.Logging;

public static class LoggingRegistration
{
    /// <summary>
    /// Serilog from the "Serilog" configuration section (console by default; compact JSON by configuration),
    /// plus any ILogEventSink registered in DI. Request logging writes method, path (never the query string),
    /// status, time and client address; secrets that arrive in query strings are redacted from every event. A bad
    /// level in the section is reported by the start-up check (<see cref="SerilogLevelSettings"/>) instead of
    /// crashing the host build, and each client's lines are held to its <see cref="ClientLogBudget"/>.
    /// </summary>
    public static WebApplicationBuilder AddRiskConsoleLogging(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;

        // Set by the logger's own set-up below, which runs while the host is built; read by the start-up check after.
        string? serilogReadFailure = null;
        builder.Services.AddOptions<SerilogLevelSettings>()
            .Configure(settings =>
            {
                settings.Load(configuration);
                settings.ReadFailure = serilogReadFailure;
            })
            .ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SerilogLevelSettings>, SerilogLevelSettings.Validation>());

        builder.Services.AddSerilog((services, logger) =>
        {
            var configured = false;
            if (!SerilogLevelSettings.Read(configuration).Validate().Any())
            {
                try
                {
                    logger.ReadFrom.Configuration(configuration);
                    configured = true;
                }
                catch (Exception ex)
                {
                    // Anything else in the section Serilog cannot use (a sink without a name, an argument of the wrong type):
                    // reported the same way, one line and exit code 1.
                    serilogReadFailure = ex.Message;
                }
            }

            logger.ReadFrom.Services(services)
                .Filter.With<HubDispatcherErrorFilter>()
                .Enrich.FromLogContext()
                .Enrich.With<QueryStringSecretRedactor>();

            // Started outside its folder (no appsettings.json) the app must still say what it does; with a bad section,
            // this is the logger until the start-up check has reported the problem and the process exits.
            if (!configured || !configuration.GetSection("Serilog:WriteTo").Exists())
            {
                logger.MinimumLevel.Information()
                    .MinimumLevel.Override("Microsoft.AspNetCore", Serilog.Events.LogEventLevel.Warning)
                    .MinimumLevel.Override("Microsoft.Extensions.Diagnostics.HealthChecks", Serilog.Events.LogEventLevel.Error)
                    .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}");
            }
        });

        builder.Services.CacheLoggersPerCategory();

        builder.Services.AddValidatedOptions<ClientLogBudgetOptions>(configuration, ClientLogBudgetOptions.SectionName);
        builder.Services.AddSingleton<ClientLogBudget>();
        builder.Services.AddSingleton<RequestLogLevels>();
        builder.Services.AddHostedService<ClientLogBudgetReporter>();
        return builder;
    }

    /// <summary>
    /// One line per request: "HTTP GET /stats responded 200 in 1.2 ms from 203.0.113.7", at the level
    /// <see cref="RequestLogLevels"/> chooses (probes and scrapes at Debug, nothing over the client's budget).
    /// </summary>
    public static WebApplication UseRiskConsoleRequestLogging(this WebApplication app)
    {
        var levels = app.Services.GetRequiredService<RequestLogLevels>();
        var logger = app.Services.GetRequiredService<Serilog.ILogger>();
        app.UseSerilogRequestLogging(options =>
        {
            options.MessageTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms from {ClientAddress}";

            // This host's logger, not the static Log.Logger another host in the same process may have replaced.
            options.Logger = logger;
            options.GetLevel = levels.Choose;
            options.EnrichDiagnosticContext = (diagnostics, http) => diagnostics.Set("ClientAddress", TestInterruptGate.ClientAddress(http));
        });
        return app;
    }
}
