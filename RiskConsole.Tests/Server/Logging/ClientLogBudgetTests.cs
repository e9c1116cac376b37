using Microsoft.Extensions.Time.Testing;
using RiskConsole.Server.Logging;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace RiskConsole.Tests.Server.Logging;

/// <summary>The per-address token bucket of log lines, on fake time.</summary>
public sealed class ClientLogBudgetTests
{
    private const string Client = "203.0.113.7";
    private FakeTimeProvider _time = null!;

    [SetUp]
    public void SetUp() => _time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Test]
    public void AClientMayLogItsBurstAtOnceThenNothingUntilItEarnsLinesBack()
    {
        var budget = Budget(linesPerSecond: 2, burst: 5);

        var burst = Enumerable.Range(0, 8).Count(_ => budget.TryLog(Client));
        _time.Advance(TimeSpan.FromSeconds(1));
        var afterOneSecond = Enumerable.Range(0, 8).Count(_ => budget.TryLog(Client));
        _time.Advance(TimeSpan.FromMinutes(10));
        var afterALongPause = Enumerable.Range(0, 8).Count(_ => budget.TryLog(Client));

        Assert.Multiple(() =>
        {
            Assert.That(burst, Is.EqualTo(5));
            Assert.That(afterOneSecond, Is.EqualTo(2), "two lines a second");
            Assert.That(afterALongPause, Is.EqualTo(5), "never more than the burst, however long the pause");
            Assert.That(budget.TotalSuppressed, Is.EqualTo(3 + 6 + 3));
        });
    }

    [Test]
    public void EachAddressHasItsOwnBudget()
    {
        var budget = Budget(linesPerSecond: 1, burst: 2);
        for (var i = 0; i < 10; i++)
        {
            budget.TryLog(Client);
        }

        Assert.Multiple(() =>
        {
            Assert.That(budget.TryLog("198.51.100.1"), Is.True, "another client is not held back by a flood");
            Assert.That(budget.TryLog(Client), Is.False);
        });
    }

    [Test]
    public void SuppressedLinesAreReportedOncePerAddressWithTheirSpanAndThenReset()
    {
        var budget = Budget(linesPerSecond: 1, burst: 1);
        budget.TryLog(Client);
        budget.TryLog(Client);
        _time.Advance(TimeSpan.FromSeconds(0.5));
        budget.TryLog(Client);
        budget.TryLog("198.51.100.1");
        _time.Advance(TimeSpan.FromSeconds(3));

        var first = budget.TakeSuppressed();
        var second = budget.TakeSuppressed();

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(new[] { new SuppressedLogLines(Client, 2, TimeSpan.FromSeconds(3.5)) }), "only the address that lost lines");
            Assert.That(second, Is.Empty, "each suppressed line is reported once");
        });
    }

    [TestCase("2001:db8:1:2:aaaa::1", "2001:db8:1:2:ffff::9", true)]
    [TestCase("2001:db8:1:2::1", "2001:db8:1:3::1", false)]
    [TestCase("::ffff:203.0.113.7", "203.0.113.7", true)]
    [TestCase("203.0.113.7", "203.0.113.8", false)]
    public void IPv6ClientsShareABudgetPerSlash64(string first, string second, bool shared)
    {
        var budget = Budget(linesPerSecond: 1, burst: 1);
        budget.TryLog(first);

        Assert.That(budget.TryLog(second), Is.EqualTo(!shared));
    }

    [Test]
    public void AddressesBeyondTheTrackedLimitShareOneBudgetUntilIdleOnesAreForgotten()
    {
        var budget = Budget(linesPerSecond: 1, burst: 1, maxTrackedClients: 1);
        budget.TryLog(Client);
        budget.TryLog("198.51.100.1");
        var crowded = budget.TryLog("198.51.100.2");
        budget.TakeSuppressed();
        _time.Advance(TimeSpan.FromSeconds(10));

        // Both budgets are full again and lost nothing since the last report: forgotten, so a new address gets its own.
        Assert.That(budget.TakeSuppressed(), Is.Empty);
        budget.TryLog("192.0.2.1");
        budget.TryLog("192.0.2.1");
        Assert.Multiple(() =>
        {
            Assert.That(crowded, Is.False, "the third address shared the second's overflow budget");
            Assert.That(budget.TakeSuppressed().Single().ClientAddress, Is.EqualTo("192.0.2.1"));
        });
    }

    private ClientLogBudget Budget(double linesPerSecond, int burst, int maxTrackedClients = 10_000) =>
        new(MsOptions.Create(new ClientLogBudgetOptions { LinesPerSecond = linesPerSecond, Burst = burst, MaxTrackedClients = maxTrackedClients }), _time);
}
