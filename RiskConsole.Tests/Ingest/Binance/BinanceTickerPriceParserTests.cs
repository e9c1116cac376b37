using System.Text;
using RiskConsole.Ingest.Binance;

namespace RiskConsole.Tests.Ingest.Binance;

/// <summary>The REST ticker parser on Binance's two documented answers and on bad ones.</summary>
public sealed class BinanceTickerPriceParserTests
{
    private readonly BinanceTickerPriceParser _parser = new(["BTCUSDT", "ETHUSDT", "solusdt"]);
    private List<BinanceTickerPrice> _prices = null!;
    private List<string> _rejections = null!;

    [SetUp]
    public void NewLists()
    {
        _prices = [];
        _rejections = [];
    }

    private string? Parse(string json) => _parser.Parse(Encoding.UTF8.GetBytes(json), _prices, _rejections);

    [Test]
    public void TheArrayAnswerOfSymbolsGivesEachConfiguredSymbolsPrice()
    {
        var unusable = Parse(BinanceFrames.TickerPrices(("BTCUSDT", "84231.57000000"), ("ETHUSDT", "3120.45000000"), ("SOLUSDT", "141.23000000")));

        Assert.Multiple(() =>
        {
            Assert.That(unusable, Is.Null);
            Assert.That(_prices, Is.EqualTo(new[] { new BinanceTickerPrice(0, 84231.57), new BinanceTickerPrice(1, 3120.45), new BinanceTickerPrice(2, 141.23) }));
            Assert.That(_rejections, Is.Empty);
        });
    }

    [Test]
    public void TheSingleObjectAnswerOfOneSymbolGivesItsPrice()
    {
        var unusable = Parse(BinanceFrames.TickerPrice("ETHUSDT", "3120.45000000"));

        Assert.Multiple(() =>
        {
            Assert.That(unusable, Is.Null);
            Assert.That(_prices, Is.EqualTo(new[] { new BinanceTickerPrice(1, 3120.45) }));
        });
    }

    [Test]
    public void ABadEntryIsRejectedOnItsOwnAndTheOthersAreKept()
    {
        var unusable = Parse("""[{"symbol":"BTCUSDT","price":"abc"},{"symbol":"ETHUSDT","price":"3120.45"},7,{"symbol":"DOGEUSDT","price":"0.1"},{"price":"1"},{"symbol":"SOLUSDT","price":"-2"},{"symbol":"SOLUSDT"}]""");

        Assert.Multiple(() =>
        {
            Assert.That(unusable, Is.Null);
            Assert.That(_prices, Is.EqualTo(new[] { new BinanceTickerPrice(1, 3120.45) }));
            Assert.That(_rejections, Is.EqualTo(new[]
            {
                BinanceRejections.PriceNotANumber,
                BinanceTickerPriceParser.EntryNotAnObject,
                BinanceTickerPriceParser.EntryWithoutSymbol,
                BinanceTickerPriceParser.EntryWithoutSymbol,
                BinanceRejections.PriceNotPositive,
                BinanceRejections.NoPrice,
            }));
        });
    }

    [TestCase("", BinanceRejections.EmptyFrame)]
    [TestCase("<html>Too many requests</html>", BinanceRejections.InvalidJson)]
    [TestCase("""[{"symbol":"BTCUSDT","price":"84231.57"},""", BinanceRejections.InvalidJson)]
    [TestCase("42", BinanceTickerPriceParser.NotTickerPrices)]
    [TestCase("\"BTCUSDT\"", BinanceTickerPriceParser.NotTickerPrices)]
    public void AnUnusableAnswerIsRejectedWholeAndGivesNoPrice(string json, string reason)
    {
        var unusable = Parse(json);

        Assert.Multiple(() =>
        {
            Assert.That(unusable, Is.EqualTo(reason));
            Assert.That(_prices, Is.Empty, "not even the good entries before the break");
            Assert.That(_rejections, Is.Empty);
        });
    }

    [Test]
    public void BinancesErrorObjectIsNoPrice()
    {
        var unusable = Parse(BinanceFrames.RestError(-1121, "Invalid symbol."));

        Assert.Multiple(() =>
        {
            Assert.That(unusable, Is.Null);
            Assert.That(_prices, Is.Empty);
            Assert.That(_rejections, Is.EqualTo(new[] { BinanceTickerPriceParser.EntryWithoutSymbol }));
        });
    }
}
