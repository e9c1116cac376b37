using System.Collections.Concurrent;

namespace RiskConsole.Server.Logging;

/// <summary>
/// One logger per category. The logger factory <c>AddSerilog</c> registers builds a new logger (with its own property
/// caches) on every <see cref="ILoggerFactory.CreateLogger"/>, and Kestrel and SignalR ask for loggers on every
/// connection: dotnet-gcdump at 2,000 hub connections counted two Serilog loggers and four Serilog.Core loggers per
/// connection, about 2.5 KB of each connection's heap (docs/performance.md). A logger is per category and
/// thread-safe, so handing out the first one for a category again changes nothing but the memory.
/// </summary>
public sealed class CategoryCachingLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    private readonly ConcurrentDictionary<string, ILogger> _loggers = new(StringComparer.Ordinal);

    public ILogger CreateLogger(string categoryName) =>
        _loggers.GetOrAdd(categoryName, static (category, factory) => factory.CreateLogger(category), inner);

    /// <summary>A provider added later reaches loggers made after it; cached loggers keep the providers they were made with.</summary>
    public void AddProvider(ILoggerProvider provider)
    {
        inner.AddProvider(provider);
        _loggers.Clear();
    }

    public void Dispose() => inner.Dispose();
}

public static class CategoryCachingLoggerFactoryRegistration
{
    /// <summary>Wraps the logger factory registered last (call it after <c>AddSerilog</c>) in a <see cref="CategoryCachingLoggerFactory"/>.</summary>
    public static IServiceCollection CacheLoggersPerCategory(this IServiceCollection services)
    {
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(ILoggerFactory))
            ?? throw new InvalidOperationException("No ILoggerFactory is registered to cache loggers of.");
        services.Remove(registered);
        services.AddSingleton<ILoggerFactory>(provider => new CategoryCachingLoggerFactory(Create(registered, provider)));
        return services;
    }

    private static ILoggerFactory Create(ServiceDescriptor registered, IServiceProvider provider) => (ILoggerFactory)(
        registered.ImplementationInstance
        ?? registered.ImplementationFactory?.Invoke(provider)
        ?? ActivatorUtilities.CreateInstance(provider, registered.ImplementationType!));
}
