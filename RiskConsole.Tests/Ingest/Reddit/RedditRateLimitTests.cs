using System.Net.Http.Headers;
using RiskConsole.Ingest.Reddit;

namespace RiskConsole.Tests.Ingest.Reddit;

public sealed class RedditRateLimitTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static RedditRateLimit Read(params (string Name, string Value)[] headers)
    {
        using var response = new HttpResponseMessage();
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return RedditRateLimit.From(response.Headers, Now);
    }

    [Test]
    public void RedditsHeadersAreRead()
    {
        var limit = Read(("X-Ratelimit-Used", "5"), ("X-Ratelimit-Remaining", "95.0"), ("X-Ratelimit-Reset", "300"), ("Retry-After", "7"));

        Assert.That(limit, Is.EqualTo(new RedditRateLimit(5, 95, TimeSpan.FromSeconds(300), TimeSpan.FromSeconds(7))));
    }

    [Test]
    public void RetryAfterAsADateIsCountedFromNow()
    {
        var limit = Read(("Retry-After", Now.AddSeconds(42).ToString("R")));

        Assert.That(limit.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(42)));
    }

    [Test]
    public void UnreadableOrNegativeValuesAreIgnoredAndAbsurdWaitsAreCapped()
    {
        var garbage = Read(("X-Ratelimit-Used", "many"), ("X-Ratelimit-Remaining", "-3"), ("X-Ratelimit-Reset", "NaN"), ("Retry-After", "soon"));
        var absurd = Read(("X-Ratelimit-Reset", "1e12"), ("Retry-After", "99999999"));

        Assert.Multiple(() =>
        {
            Assert.That(garbage, Is.EqualTo(new RedditRateLimit(null, null, null, null)));
            Assert.That(absurd.Reset, Is.EqualTo(RedditRateLimit.MaxHonouredWait));
            Assert.That(absurd.RetryAfter, Is.EqualTo(RedditRateLimit.MaxHonouredWait));
        });
    }

    [TestCase(null, null, 2.0, false, TestName = "no headers: the poll interval")]
    [TestCase(600.0, 300.0, 2.0, false, TestName = "plenty left: the poll interval")]
    [TestCase(95.0, 300.0, 300.0 / 94, false, TestName = "running short: what is left spread until the reset")]
    [TestCase(2.0, 40.0, 40.0, false, TestName = "two left, one kept for a token: the other spread until the reset")]
    [TestCase(1.0, 40.0, 40.0, true, TestName = "one left, kept for a token: until the reset")]
    [TestCase(0.0, 25.0, 25.0, true, TestName = "used up: until the reset")]
    public void TheNextPollWaitsSoThatTheBudgetLastsUntilTheReset(double? remaining, double? resetSeconds, double expectedSeconds, bool usedUp)
    {
        var limit = new RedditRateLimit(null, remaining, resetSeconds is { } reset ? TimeSpan.FromSeconds(reset) : null, null);

        Assert.Multiple(() =>
        {
            Assert.That(limit.PacedDelay(TimeSpan.FromSeconds(2)).TotalSeconds, Is.EqualTo(expectedSeconds).Within(1e-6));
            Assert.That(limit.IsUsedUp, Is.EqualTo(usedUp));
        });
    }
}
