using Microsoft.Extensions.Options;
using RiskConsole.Core.Interrupts;
using RiskConsole.Core.Risk;

namespace RiskConsole.Server.Configuration;

public static class ConfigurationRegistration
{
    /// <summary>
    /// Reads the seed aliases and .env, sets the listen address from Server:Host/Port (unless ASPNETCORE_URLS
    /// or --urls chose one), and binds every options class with validation at start.
    /// </summary>
    public static WebApplicationBuilder AddRiskConsoleConfiguration(this WebApplicationBuilder builder)
    {
        builder.Configuration.AddSeedEnvironment(Path.Combine(Directory.GetCurrentDirectory(), ".env"), Environment.GetEnvironmentVariable);

        var services = builder.Services;
        services.AddValidatedOptions<RiskModelOptions>(builder.Configuration.GetSection(RiskModelOptions.SectionName), o => o.Validate());
        services.AddValidatedOptions<InterruptPolicyOptions>(builder.Configuration.GetSection(InterruptPolicyOptions.SectionName), o => o.Validate());
        services.AddValidatedOptions<RiskPublishOptions>(builder.Configuration.GetSection("Risk"), o => o.Validate());
        services.AddValidatedOptions<ServerOptions>(builder.Configuration.GetSection(ServerOptions.SectionName), o => o.Validate());
        services.AddValidatedOptions<IngestOptions>(builder.Configuration.GetSection(IngestOptions.SectionName), o => o.Validate());
        services.AddOptions<AiProviderOptions>().Configure<IConfiguration>((o, config) =>
        {
            o.OpenAIEndpoint = config["Ai:OpenAI:Endpoint"] ?? o.OpenAIEndpoint;
            o.OpenAIModel = config["Ai:OpenAI:Model"] ?? o.OpenAIModel;
            o.OpenAIKeyConfigured = !string.IsNullOrWhiteSpace(config["Ai:OpenAI:ApiKey"]);
            o.ElevenLabsBaseUrl = config["Ai:ElevenLabs:BaseUrl"] ?? o.ElevenLabsBaseUrl;
            o.ElevenLabsVoiceId = config["Ai:ElevenLabs:VoiceId"] ?? o.ElevenLabsVoiceId;
            o.ElevenLabsModelId = config["Ai:ElevenLabs:ModelId"] ?? o.ElevenLabsModelId;
            o.ElevenLabsKeyConfigured = !string.IsNullOrWhiteSpace(config["Ai:ElevenLabs:ApiKey"]);
        });

        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            // Read by hand, not bound: a bad HOST/PORT must reach the options validation at start (one clear
            // line), not throw from the binder here.
            var host = builder.Configuration["Server:Host"] ?? new ServerOptions().Host;
            var port = builder.Configuration["Server:Port"] ?? new ServerOptions().Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!string.IsNullOrWhiteSpace(host) && int.TryParse(port, System.Globalization.CultureInfo.InvariantCulture, out var portNumber) && portNumber is >= 0 and <= 65535)
            {
                builder.WebHost.UseUrls($"http://{(host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host)}:{portNumber}");
            }
        }

        return builder;
    }

    public static IServiceCollection AddValidatedOptions<T>(this IServiceCollection services, IConfigurationSection section, Func<T, IEnumerable<string>> validate)
        where T : class
    {
        services.AddOptions<T>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<T>>(new DelegatedOptionsValidation<T>(validate));
        return services;
    }

    private sealed class DelegatedOptionsValidation<T>(Func<T, IEnumerable<string>> validate) : IValidateOptions<T>
        where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            var errors = validate(options).ToList();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
