using System.Text.Json;
using RiskConsole.Core.Contracts;
using RiskConsole.Core.Signals;
using RiskConsole.Server.Hubs;

namespace RiskConsole.Tests.Server.Hubs;

/// <summary>The JSON form of a data update on the hub: one typed field per kind of signal, each with only the record's own fields.</summary>
public sealed class HubJsonContextTests
{
    [Test]
    public void ADataUpdateCarriesItsSignalInATypedFieldWithoutDerivedProperties()
    {
        var update = DataUpdate.From(new PriceTick("BTCUSDT", 1.5, DateTimeOffset.UnixEpoch, IsMock: true));
        using var document = JsonDocument.Parse(JsonSerializer.Serialize(update, HubJsonContext.Default.DataUpdate));
        var root = document.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(root.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "source", "price", "probability", "sentiment", "mock", "at" }));
            Assert.That(root.GetProperty("price").EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "symbol", "price", "timestamp", "isMock" }));
            Assert.That(root.GetProperty("probability").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(root.GetProperty("source").GetString(), Is.EqualTo(DataSources.Crypto));
        });
    }

    [Test]
    public void ADataUpdateRoundTripsToTheSameSignal()
    {
        var post = new SentimentSample("r/Bitcoin", -0.4, DateTimeOffset.UnixEpoch, "rekt");
        var back = JsonSerializer.Deserialize(JsonSerializer.Serialize(DataUpdate.From(post), HubJsonContext.Default.DataUpdate), HubJsonContext.Default.DataUpdate);
        Assert.That(back!.Data, Is.EqualTo(post));
    }
}
