using System.Text;
using System.Text.Json.Nodes;
using RiskConsole.Ingest.Polymarket;
using static RiskConsole.Tests.Ingest.Polymarket.PolymarketFixtures;

namespace RiskConsole.Tests.Ingest.Polymarket;

/// <summary>The frames the listener sends have exactly the documented shapes (polymarket_subscribe*.json).</summary>
public sealed class ClobSubscriptionFramesTests
{
    [Test]
    public void TheFirstFrameIsTheDocumentedSubscribeFrame()
    {
        var frame = Encoding.UTF8.GetString(ClobSubscriptionFrames.Initial([ReachYesToken, ReachNoToken]));

        Assert.That(frame, Is.EqualTo(Compact("polymarket_subscribe.json")));
    }

    [Test]
    public void ALaterSubscribeIsTheDocumentedLaterFrame()
    {
        var frame = Encoding.UTF8.GetString(ClobSubscriptionFrames.Subscribe(["77762410346766989582939541162779752931037479630109397451651895011509289068393"]));

        Assert.That(frame, Is.EqualTo(Compact("polymarket_subscribe_more.json")));
    }

    [Test]
    public void AnUnsubscribeHasTheLaterFramesShapeWithItsOperation()
    {
        var frame = JsonNode.Parse(ClobSubscriptionFrames.Unsubscribe(["1", "2"]))!.AsObject();
        var documented = JsonNode.Parse(Compact("polymarket_subscribe_more.json"))!.AsObject();

        Assert.Multiple(() =>
        {
            Assert.That(frame.Select(p => p.Key), Is.EqualTo(documented.Select(p => p.Key)));
            Assert.That(frame["operation"]!.GetValue<string>(), Is.EqualTo("unsubscribe"));
            Assert.That(frame["assets_ids"]!.AsArray().Select(t => t!.GetValue<string>()), Is.EqualTo(new[] { "1", "2" }));
        });
    }

    [Test]
    public void PingIsTheBareText()
    {
        Assert.That(Encoding.UTF8.GetString(ClobSubscriptionFrames.Ping.Span), Is.EqualTo("PING"));
    }
}
