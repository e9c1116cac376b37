using RiskConsole.Bench.Load;
using RiskConsole.Bench.Soak;

namespace RiskConsole.Tests.Bench;

/// <summary>The bench's command lines: worst values are refused with a line naming the option, never run with a default.</summary>
[TestFixture]
public sealed class BenchOptionsTests
{
    [Test]
    public void LoadParsesEveryOption()
    {
        var options = LoadOptions.Parse(
            ["--clients", "10000", "--signals-per-second", "50000", "--seconds", "20", "--stalled-clients", "1", "--workers", "4", "--data", "updates", "--protocol", "messagepack", "--warmup-seconds", "15", "--url", "http://127.0.0.1:8000"],
            out var error);
        Assert.That(options, Is.Not.Null, error);
        Assert.That(options, Is.EqualTo(new LoadOptions(10_000, 50_000, 20, 1, 4, new Uri("http://127.0.0.1:8000"), DataBatches: false, MessagePack: true, WarmUpSeconds: 15)));
    }

    [Test]
    public void LoadDefaultsToBatchesOverJsonAsTheDashboard()
    {
        var options = LoadOptions.Parse([], out _);
        Assert.That((options!.DataBatches, options.MessagePack, options.DataMode, options.Protocol, options.WarmUpSeconds), Is.EqualTo((true, false, "batches", "json", 10.0)));
    }

    [TestCase("--clients", "0")]
    [TestCase("--clients", "50001")]
    [TestCase("--clients", "1e3")]
    [TestCase("--signals-per-second", "-1")]
    [TestCase("--seconds", "NaN")]
    [TestCase("--seconds", "0")]
    [TestCase("--seconds", "1e-300")]
    [TestCase("--seconds", "Infinity")]
    [TestCase("--stalled-clients", "1001")]
    [TestCase("--workers", "65")]
    [TestCase("--data", "Batches")]
    [TestCase("--protocol", "msgpack")]
    [TestCase("--warmup-seconds", "NaN")]
    [TestCase("--warmup-seconds", "-1")]
    [TestCase("--warmup-seconds", "601")]
    [TestCase("--warmup-seconds", "Infinity")]
    [TestCase("--url", "not a url")]
    [TestCase("--clients", null)]
    [TestCase("--colour", "red")]
    public void LoadRefusesABadValueNamingTheOption(string option, string? value)
    {
        string[] args = value is null ? [option] : [option, value];
        var options = LoadOptions.Parse(args, out var error);
        Assert.Multiple(() =>
        {
            Assert.That(options, Is.Null, "refused, not run with a default");
            Assert.That(error, Does.StartWith("load: bad or unknown option " + option));
        });
    }

    [TestCase("--clients", "0")]
    [TestCase("--minutes", "NaN")]
    [TestCase("--minutes", "1e-300")]
    [TestCase("--minutes", "100000")]
    [TestCase("--sample-seconds", "0.5")]
    [TestCase("--url", "")]
    public void SoakRefusesABadValueNamingTheOption(string option, string value)
    {
        var options = SoakOptions.Parse([option, value], out var error);
        Assert.Multiple(() =>
        {
            Assert.That(options, Is.Null);
            Assert.That(error, Does.StartWith("soak: bad or unknown option " + option));
        });
    }
}
