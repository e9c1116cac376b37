using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using MessagePack;
using Microsoft.AspNetCore.SignalR;
using RiskConsole.Core.Contracts;
using RiskConsole.Core.Signals;
using RiskConsole.Server.Hubs;

namespace RiskConsole.Tests.Server.Hubs;

/// <summary>
/// One naming on both hub protocols: every type that can go over the hub (each class in RiskConsole.Core.Contracts and
/// every Core type reachable from one, such as the signal records inside a DataUpdate) writes the same field names in
/// MessagePack as in JSON (HubJsonContext, camelCase), and comes back from MessagePack unchanged. The MessagePack side
/// uses the SignalR protocol's default serializer options, which are what a .NET client gets from
/// AddMessagePackProtocol() with no formatter of its own.
/// </summary>
public sealed class ContractWireNamesTests
{
    private static readonly Assembly Core = typeof(IRiskClient).Assembly;
    private static readonly MessagePackSerializerOptions MessagePackOptions = new MessagePackHubProtocolOptions().SerializerOptions;

    public static IEnumerable<Type> WireTypes()
    {
        var roots = Core.GetTypes()
            .Where(t => t.Namespace == typeof(IRiskClient).Namespace && t.IsPublic && IsSerializedObject(t))
            .Concat(typeof(IRiskClient).GetMethods().SelectMany(m => m.GetParameters()).Select(p => p.ParameterType))
            .Concat(typeof(IRiskHub).GetMethods().Select(m => m.ReturnType));
        var found = new HashSet<Type>();
        var pending = new Queue<Type>(roots);
        while (pending.TryDequeue(out var type))
        {
            foreach (var candidate in Unwrap(type).Where(IsSerializedObject))
            {
                if (found.Add(candidate))
                {
                    foreach (var property in candidate.GetProperties(BindingFlags.Public | BindingFlags.Instance))
                    {
                        pending.Enqueue(property.PropertyType);
                    }
                }
            }
        }

        return found.OrderBy(t => t.Name, StringComparer.Ordinal);
    }

    [TestCaseSource(nameof(WireTypes))]
    public void MessagePackWritesTheJsonNames(Type type)
    {
        // An instance with every field at its default: enough to see which keys each serializer writes.
        var instance = RuntimeHelpers.GetUninitializedObject(type);
        var jsonInfo = HubJsonContext.Default.GetTypeInfo(type);
        Assert.That(jsonInfo, Is.Not.Null, $"{type.Name} goes over the hub but HubJsonContext has no metadata for it: add [JsonSerializable(typeof({type.Name}))]");

        var jsonNames = JsonKeys(JsonSerializer.Serialize(instance, jsonInfo!));
        var messagePackNames = MessagePackKeys(MessagePackSerializer.Serialize(type, instance, MessagePackOptions));
        Assert.That(messagePackNames, Is.EquivalentTo(jsonNames),
            $"{type.Name}: MessagePack writes [{string.Join(", ", messagePackNames)}], JSON writes [{string.Join(", ", jsonNames)}]. "
            + "Give the type [DataContract] and each wire property [DataMember(Name = \"<its JSON name>\")] (on a positional record: [property: DataMember(...)]).");
    }

    [TestCaseSource(nameof(WireTypes))]
    public void NoContractPropertyIsAnEnum(Type type)
    {
        // JSON writes an enum as its number and SignalR's MessagePack resolver as its name, so the two protocols would
        // disagree on the value; contracts use string constants instead (AlertTypes, SourceModes, DataSources).
        var enums = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => Unwrap(p.PropertyType).Any(t => t.IsEnum))
            .Select(p => p.Name);
        Assert.That(enums, Is.Empty);
    }

    [TestCaseSource(nameof(SampleCases))]
    public void APayloadComesBackFromMessagePackUnchanged(object payload)
    {
        var type = payload.GetType();
        var back = MessagePackSerializer.Deserialize(type, MessagePackSerializer.Serialize(type, payload, MessagePackOptions), MessagePackOptions);

        // Compared through the JSON protocol's form: records holding lists do not compare by value, their JSON does,
        // and the JSON keeps each DateTimeOffset's offset.
        var jsonInfo = HubJsonContext.Default.GetTypeInfo(type)!;
        Assert.That(JsonSerializer.Serialize(back, jsonInfo), Is.EqualTo(JsonSerializer.Serialize(payload, jsonInfo)));
    }

    [Test]
    public void TheSamplesCoverEveryWireType()
    {
        var covered = new HashSet<Type>();
        foreach (var sample in Samples())
        {
            Collect(sample, covered);
        }

        Assert.That(covered, Is.SupersetOf(WireTypes()), "every wire type needs a round-trip sample with its fields set");
    }

    public static IEnumerable<TestCaseData> SampleCases() =>
        Samples().Select((sample, index) => new TestCaseData(sample).SetArgDisplayNames($"{index}: {sample.GetType().Name}"));

    /// <summary>Every hub payload with each field set, nullable ones both set and null, and timestamps off UTC.</summary>
    public static IEnumerable<object> Samples()
    {
        var at = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.FromHours(2)).AddTicks(1_234_567);
        var components = new RiskComponents(0.25, null, 0.75, 0.5, 1.2, 2, "BTCUSDT", 0.8, null, 0.1, -0.3, false, true, false, true);
        var statistics = new RiskStatistics(61.5, 1_000, 3, 20, 10, 15, 0.004, 0.02, new NormalizerStats(120, 0.1, 0.9, 0.45), 1,
            new Dictionary<string, long> { ["not_finite"] = 2, ["late"] = 1 });
        yield return new RiskScoreUpdate(61.5, components, 42, at);
        yield return new InterruptNotice("Markets are on fire.", "/audio/abc.mp3", 88.5, true, at);
        yield return new InterruptNotice("Markets are on fire.", null, 88.5, false, at.ToUniversalTime());
        yield return new AlertNotice(AlertTypes.Warning, "Risk rising", at);
        yield return DataUpdate.From(new PriceTick("BTCUSDT", 64_000.5, at, IsMock: true));
        yield return DataUpdate.From(new MarketProbability("0xabc", "Will BTC close above 70k?", 0.42, at));
        yield return DataUpdate.From(new SentimentSample("r/Bitcoin", -0.5, at, "rekt again", IsMock: true));
        yield return new DataBatch(
            [DataUpdate.From(new PriceTick("ETHUSDT", 3_100.25, at, IsMock: true)), DataUpdate.From(new SentimentSample("r/x", 0.5, at, "up only"))], at);
        yield return statistics;
        yield return new RiskStatus(true, statistics, 3,
            [new SourceStatus(DataSources.Crypto, SourceModes.Mock, true, "no live feed", at), new SourceStatus(DataSources.Reddit, SourceModes.Starting, false, null, null)], at)
        {
            Ai = [new AiServiceStatus(AiServices.Roasts, "openai", true, at, null, null), new AiServiceStatus(AiServices.Voice, "elevenlabs", false, null, at, "401")],
        };
        yield return new SubscriptionState([RiskTopics.Risk, RiskTopics.ForSource(DataSources.Crypto)]);
        yield return new ForceInterruptResult(true, "Forced interrupt started.");
        yield return new ScoreHistory(at, at.AddHours(1), 72,
            [new ScoreBucket(at, at.AddSeconds(70), 12.5, 99.25, 40, 72)],
            [new InterruptNotice("Markets are on fire.", null, 99.25, false, at.AddSeconds(30))],
            JournalStates.Recording, "writing to journal.db");
    }

    private static bool IsSerializedObject(Type type) => type.Assembly == Core && type.IsClass && !type.IsAbstract;

    /// <summary>The type itself, or what it holds: Task&lt;T&gt;, T?, T[] and generic collections carry T.</summary>
    private static IEnumerable<Type> Unwrap(Type type)
    {
        if (type.IsArray)
        {
            return Unwrap(type.GetElementType()!);
        }

        return type.IsGenericType ? type.GetGenericArguments().SelectMany(Unwrap) : [type];
    }

    private static void Collect(object? value, HashSet<Type> covered)
    {
        if (value is null || value is string)
        {
            return;
        }

        if (value is System.Collections.IEnumerable items)
        {
            foreach (var item in items)
            {
                Collect(item, covered);
            }

            return;
        }

        // Contracts hold no cycles, so every object is walked, not only the first of its type.
        if (IsSerializedObject(value.GetType()))
        {
            covered.Add(value.GetType());
            foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
            {
                Collect(property.GetValue(value), covered);
            }
        }
    }

    private static List<string> JsonKeys(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateObject().Select(p => p.Name).ToList();
    }

    private static List<string> MessagePackKeys(byte[] bytes)
    {
        var reader = new MessagePackReader(bytes);
        var count = reader.ReadMapHeader();
        var keys = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            keys.Add(reader.ReadString()!);
            reader.Skip();
        }

        return keys;
    }
}
