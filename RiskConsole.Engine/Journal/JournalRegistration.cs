using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RiskConsole.Core.Contracts;
using RiskConsole.Engine.Publishing;
using RiskConsole.Hosting;

namespace RiskConsole.Engine.Journal;

public static class JournalRegistration
{
    /// <summary>
    /// The signal journal (options from "Journal", validated at start), <see cref="IRiskHistory"/> for delivery, and the
    /// router with the journal tapping its port. Registered as a hosted service before the router, so it hears the
    /// first accepted signal; with Journal:Enabled false it records nothing and history is empty.
    /// </summary>
    public static IServiceCollection AddSignalJournal(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<JournalOptions>(configuration, JournalOptions.SectionName);
        services.AddSingleton<SignalJournal>();
        services.AddSingleton<IRiskHistory>(sp => sp.GetRequiredService<SignalJournal>());
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<SignalJournal>());
        return services;
    }

    /// <summary>The router, sending through the port the host registered with the journal tapping it.</summary>
    public static IServiceCollection AddJournaledEventRouter(this IServiceCollection services)
    {
        services.AddSingleton<IHostedService>(sp => ActivatorUtilities.CreateInstance<EventRouter>(
            sp, sp.GetRequiredService<SignalJournal>().Tap(sp.GetRequiredService<IRiskClient>())));
        return services;
    }
}
