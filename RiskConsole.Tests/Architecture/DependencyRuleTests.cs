using System.Reflection;
using RiskConsole.Core.Risk;
using RiskConsole.Engine;
using RiskConsole.Ingest;

namespace RiskConsole.Tests.Architecture;

/// <summary>
/// The dependency rule, checked on the compiled assemblies: Server → Engine → Ingest, Ai → Core; Core needs the BCL
/// only; nothing below the Server can use an ASP.NET type (a hub, a socket, an HTTP context).
/// </summary>
public sealed class DependencyRuleTests
{
    private static readonly Assembly Core = typeof(RiskEngine).Assembly;
    private static readonly Assembly Ingest = typeof(SignalChannel).Assembly;
    private static readonly Assembly Ai = typeof(RiskConsole.Ai.Roasts.IRoastWriter).Assembly;
    private static readonly Assembly Engine = typeof(IRiskConsole).Assembly;

    [Test]
    public void CoreReferencesNothingButTheBaseClassLibrary()
    {
        var references = Names(Core);
        Assert.That(references.Where(n => !n.StartsWith("System", StringComparison.Ordinal) && n != "netstandard"), Is.Empty, string.Join(", ", references));
    }

    [Test]
    public void NothingBelowTheServerReferencesAspNetOrTheServer([Values("Ingest", "Ai", "Engine")] string project)
    {
        var assembly = project switch { "Ingest" => Ingest, "Ai" => Ai, _ => Engine };
        var references = Names(assembly);
        Assert.Multiple(() =>
        {
            Assert.That(references.Where(n => n.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)), Is.Empty);
            Assert.That(references, Does.Not.Contain("RiskConsole.Server"));
        });
    }

    [Test]
    public void DependenciesPointOneWay()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Names(Ingest).Where(n => n.StartsWith("RiskConsole", StringComparison.Ordinal)), Is.EquivalentTo(new[] { "RiskConsole.Core" }));
            Assert.That(Names(Ai).Where(n => n.StartsWith("RiskConsole", StringComparison.Ordinal)), Is.EquivalentTo(new[] { "RiskConsole.Core" }));
            Assert.That(Names(Engine).Where(n => n.StartsWith("RiskConsole", StringComparison.Ordinal)), Is.SubsetOf(new[] { "RiskConsole.Core", "RiskConsole.Ingest", "RiskConsole.Ai" }));
        });
    }

    [Test]
    public void NoEngineTypeExposesAnAspNetType()
    {
        var leaks = Engine.GetTypes()
            .SelectMany(t => t.GetMembers(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                .SelectMany(m => MemberTypes(m)).Select(type => (t, m: type)))
            .Where(p => p.m.Namespace?.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) == true)
            .Select(p => $"{p.t.Name}: {p.m.FullName}")
            .ToList();
        Assert.That(leaks, Is.Empty);
    }

    private static List<string> Names(Assembly assembly) => [.. assembly.GetReferencedAssemblies().Select(a => a.Name!)];

    private static IEnumerable<Type> MemberTypes(MemberInfo member) => member switch
    {
        FieldInfo field => [field.FieldType],
        PropertyInfo property => [property.PropertyType],
        MethodInfo method => [method.ReturnType, .. method.GetParameters().Select(p => p.ParameterType)],
        ConstructorInfo constructor => constructor.GetParameters().Select(p => p.ParameterType),
        _ => [],
    };
}
