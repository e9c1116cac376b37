using RiskConsole.Core.Interrupts;
using RiskConsole.Core.Risk;
using RiskConsole.Engine.Replay;

namespace RiskConsole.Tests.Core.History;

/// <summary>
/// Real BTC one-minute candles (TestData/history, from shared/fixtures/history) through the production replay
/// (<see cref="ReplayFile"/> and <see cref="ReplayRun"/>: what `replay` runs): each close is a price stamped at the
/// candle's close, the bar follows the candles, the policy judges every bar on a virtual clock.
/// </summary>
internal static class CandleReplay
{
    public const string Calm = "btcusdt_binanceus_1m_2023-03-04_2023-03-06_calm.csv";
    public const string Crash = "btcusdt_perp_1m_2021-05-19_2021-05-20.csv";

    public static string PathOf(string file) => Path.Combine(TestContext.CurrentContext.TestDirectory, "TestData", "history", file);

    public static ReplayResult Run(string file, RiskModelOptions? model = null, InterruptPolicyOptions? policyOptions = null) =>
        RunPath(PathOf(file), model, policyOptions);

    public static ReplayResult RunPath(string path, RiskModelOptions? model = null, InterruptPolicyOptions? policyOptions = null)
    {
        var input = ReplayFile.Open(path);
        var run = new ReplayRun(ReplayRun.ForBars(model ?? new RiskModelOptions(), input.CandleInterval!.Value), policyOptions ?? new InterruptPolicyOptions());
        foreach (var record in input.Read())
        {
            run.Feed(record);
        }

        Assert.That(input.BadRows, Is.Zero, string.Join("; ", input.BadRowSamples));
        return run.Finish();
    }
}
