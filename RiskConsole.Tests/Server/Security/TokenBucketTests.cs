using Microsoft.Extensions.Time.Testing;
using RiskConsole.Server.Security;

namespace RiskConsole.Tests.Server.Security;

public sealed class TokenBucketTests
{
    [Test]
    public void ABurstIsSpentAtOnceThenTokensComeAtTheRateAndNeverBeyondTheBurst()
    {
        var time = new FakeTimeProvider();
        var bucket = new TokenBucket(perSecond: 4, burst: 2, time.GetTimestamp());

        var burst = Enumerable.Range(0, 3).Select(_ => bucket.TryTake(time.GetTimestamp(), time)).ToArray();
        var wait = bucket.UntilNextToken(time.GetTimestamp(), time);
        time.Advance(TimeSpan.FromMilliseconds(249));
        var early = bucket.TryTake(time.GetTimestamp(), time);
        time.Advance(TimeSpan.FromMilliseconds(1));
        var onTime = bucket.TryTake(time.GetTimestamp(), time);
        time.Advance(TimeSpan.FromHours(1));

        Assert.Multiple(() =>
        {
            Assert.That(burst, Is.EqualTo(new[] { true, true, false }));
            Assert.That(wait, Is.EqualTo(TimeSpan.FromSeconds(0.25)));
            Assert.That(early, Is.False, "not a hair early");
            Assert.That(onTime, Is.True);
            Assert.That(bucket.IsFull(time.GetTimestamp(), time), Is.True);
            Assert.That(Enumerable.Range(0, 3).Count(_ => bucket.TryTake(time.GetTimestamp(), time)), Is.EqualTo(2), "an hour idle saves no more than the burst");
            Assert.That(bucket.UntilNextToken(time.GetTimestamp(), time), Is.GreaterThan(TimeSpan.Zero));
        });
    }
}
