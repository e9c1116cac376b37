using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RiskConsole.Ai;
using RiskConsole.Ai.Roasts;
using RiskConsole.Core.Interrupts;
using RiskConsole.Core.Risk;
using RiskConsole.Engine.Interrupts;
using RiskConsole.Engine.Journal;
using RiskConsole.Engine.Publishing;
using RiskConsole.Engine.Scoring;
using RiskConsole.Hosting;
using RiskConsole.Ingest;

namespace RiskConsole.Engine;

public static class EngineRegistration
{
    /// <summary>
    /// The engine role: the signal channel and the sources that feed it, the risk engine and interrupt policy, the
    /// monitor, the interrupt workflow, the outbound queue and the router, and <see cref="IRiskConsole"/> for delivery.
    /// The host must register the port, <see cref="Core.Contracts.IRiskClient"/> (the clients as a whole), a
    /// <see cref="TimeProvider"/> and an <see cref="System.Diagnostics.Metrics.IMeterFactory"/> (every generic host does:
    /// the engine's and ingest's meters come from it). Every options class is bound from its section and validated at start.
    /// The signal journal (<see cref="SignalJournal"/>) records what the router accepts and publishes, and offers
    /// <see cref="IRiskHistory"/> to delivery.
    /// </summary>
    public static IServiceCollection AddRiskEngine(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddValidatedOptions<RiskModelOptions>(configuration, RiskModelOptions.SectionName);
        services.AddValidatedOptions<InterruptPolicyOptions>(configuration, InterruptPolicyOptions.SectionName);
        services.AddValidatedOptions<RiskPublishOptions>(configuration, RiskPublishOptions.SectionName);
        services.AddValidatedOptions<InterruptWorkflowOptions>(configuration, InterruptWorkflowOptions.SectionName);
        services.AddSingleton<IValidateOptions<RiskPublishOptions>, StallWindowValidation>();

        services.AddSingleton(_ => new SignalChannel());
        services.AddSingleton<SourceStatusBoard>();
        services.TryAddSingleton<IngestMetrics>();
        services.AddSingleton<EngineMetrics>();
        services.AddSingleton(sp => new RiskEngine(sp.GetRequiredService<IOptions<RiskModelOptions>>().Value));
        services.AddSingleton(sp => new InterruptPolicy(sp.GetRequiredService<IOptions<InterruptPolicyOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<RiskMonitor>();
        services.AddSingleton<ScoringHealth>();
        services.AddSingleton<OutboundMailbox>();
        services.AddSingleton<InterruptWorkflow>();
        services.AddOfflineAi(configuration);
        services.AddSingleton<OfflineRoastWriter>();
        services.AddSignalSources(configuration);
        services.AddSingleton<IRiskConsole, RiskConsoleEngine>();
        services.AddSignalJournal(configuration);
        services.AddJournaledEventRouter();
        services.AddHostedService<SourceSwitchAlerts>();
        return services;
    }
}
