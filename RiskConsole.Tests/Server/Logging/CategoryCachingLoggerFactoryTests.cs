using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RiskConsole.Server.Hubs;
using RiskConsole.Server.Logging;
using RiskConsole.Tests.Server.Infrastructure;

namespace RiskConsole.Tests.Server.Logging;

/// <summary>
/// One logger per category (Serilog's factory made a new one per CreateLogger, and Kestrel and SignalR ask per
/// connection), and the hub endpoint that replaced MapHub to put the silence timeout in front still carries what
/// MapHub gave it.
/// </summary>
public sealed class CategoryCachingLoggerFactoryTests
{
    [Test]
    public void TheSameCategoryGetsTheSameLoggerAndTheInnerFactoryIsAskedOnce()
    {
        using var inner = new CountingFactory();
        using var factory = new CategoryCachingLoggerFactory(inner);

        var a1 = factory.CreateLogger("A");
        var a2 = factory.CreateLogger("A");
        var b = factory.CreateLogger("B");

        Assert.Multiple(() =>
        {
            Assert.That(a2, Is.SameAs(a1));
            Assert.That(b, Is.Not.SameAs(a1));
            Assert.That(inner.Created, Is.EqualTo(new[] { "A", "B" }));
        });
    }

    [Test]
    public void AProviderAddedLaterReachesLoggersMadeAfterIt()
    {
        using var inner = new CountingFactory();
        using var factory = new CategoryCachingLoggerFactory(inner);
        var before = factory.CreateLogger("A");

        factory.AddProvider(Microsoft.Extensions.Logging.Abstractions.NullLoggerProvider.Instance);

        Assert.Multiple(() =>
        {
            Assert.That(factory.CreateLogger("A"), Is.Not.SameAs(before), "made again, with the new provider");
            Assert.That(inner.Providers, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task TheServerHandsOutOneLoggerPerCategoryAndItsHubEndpointCarriesTheHubMetadata()
    {
        await using var server = RiskConsoleServer.Start();
        var factory = server.Services.GetRequiredService<ILoggerFactory>();
        var first = factory.CreateLogger("Microsoft.AspNetCore.SignalR.HubConnectionContext");
        var second = factory.CreateLogger("Microsoft.AspNetCore.SignalR.HubConnectionContext");
        var hubEndpoint = server.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .Single(e => e.Metadata.GetMetadata<HubMetadata>() is not null && e.DisplayName!.EndsWith("/hubs/risk", StringComparison.Ordinal));

        Assert.Multiple(() =>
        {
            Assert.That(factory, Is.TypeOf<CategoryCachingLoggerFactory>());
            Assert.That(second, Is.SameAs(first), "asked again, as SignalR does for every connection");
            Assert.That(hubEndpoint.Metadata.GetMetadata<HubMetadata>()!.HubType, Is.EqualTo(typeof(RiskHub)));
        });
    }

    /// <summary>A logger factory that records what it was asked for (the loggers are Microsoft's own null ones).</summary>
    private sealed class CountingFactory : ILoggerFactory
    {
        public List<string> Created { get; } = [];

        public int Providers { get; private set; }

        public ILogger CreateLogger(string categoryName)
        {
            Created.Add(categoryName);
            return new Microsoft.Extensions.Logging.Abstractions.NullLogger<object>();
        }

        public void AddProvider(ILoggerProvider provider) => Providers++;

        public void Dispose()
        {
        }
    }
}
