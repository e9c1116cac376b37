using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;
using RiskConsole.Core.Contracts;
using RiskConsole.Core.Signals;
using RiskConsole.Server.Hubs;

namespace RiskConsole.Bench.Benchmarks;

/// <summary>
/// One client-method call of each hub payload serialized by a hub protocol, as the server's fan-out does it once per
/// message and protocol (<c>SerializedHubMessage</c> calls <see cref="IHubProtocol.GetMessageBytes"/>): the protocols
/// come from a service collection configured by the server's own <see cref="RiskHubRegistration.AddRiskHub"/> (JSON with
/// <see cref="HubJsonContext"/> first in the resolver chain, and MessagePack). B/op includes the frame's byte array.
/// </summary>
[MemoryDiagnoser]
public class HubPayloadBenchmarks
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private IHubProtocol _protocol = null!;
    private InvocationMessage _score = null!;
    private InvocationMessage _data = null!;
    private InvocationMessage _alert = null!;
    private InvocationMessage _interrupt = null!;

    [Params("json", "messagepack")]
    public string Protocol { get; set; } = "json";

    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection().AddLogging().AddRiskHub();
        using var provider = services.BuildServiceProvider();
        _protocol = provider.GetServices<IHubProtocol>().Single(p => p.Name == Protocol);

        var components = new RiskComponents(
            Crypto: 0.42, Polymarket: 0.31, Reddit: 0.58, Raw: 0.44, Amplification: 1.07, ElevatedCount: 1, RiskiestSymbol: "BTCUSDT",
            CryptoVolatilityAnnualized: 0.83, PolymarketRepricing: 0.12, PolymarketShock: 0.35, RedditSentiment: -0.16,
            WarmingUp: false, CryptoStale: false, PolymarketStale: false, RedditStale: false);
        _score = Call(nameof(IRiskClient.RiskScore), new RiskScoreUpdate(61.7, components, 12_345, At));
        _data = Call(nameof(IRiskClient.DataUpdate), Core.Contracts.DataUpdate.From(new PriceTick("BTCUSDT", 84_231.57, At)));
        _alert = Call(nameof(IRiskClient.Alert), new AlertNotice(AlertTypes.Warning, "Risk crossed the threshold: 76.4/100 (threshold 75)", At));
        _interrupt = Call(
            nameof(IRiskClient.Interrupt),
            new InterruptNotice("Bitcoin just dropped like your portfolio's will to live. Maybe put the leverage down and step away from the chart.", "/audio/roast-20261201-120000.mp3", 76.4, false, At));
    }

    [Benchmark]
    public int RiskScore() => _protocol.GetMessageBytes(_score).Length;

    /// <summary>A price datum, the most frequent message.</summary>
    [Benchmark]
    public int DataUpdate() => _protocol.GetMessageBytes(_data).Length;

    [Benchmark]
    public int Alert() => _protocol.GetMessageBytes(_alert).Length;

    [Benchmark]
    public int Interrupt() => _protocol.GetMessageBytes(_interrupt).Length;

    private static InvocationMessage Call(string method, object payload) => new(method, [payload]);
}
