using RiskConsole.Ingest.Reddit;

namespace RiskConsole.Tests.Ingest.Reddit;

public sealed class RedditSeenPostsTests
{
    [Test]
    public void ANameIsKnownOnceAndTheOldestIsForgottenPastTheCapacity()
    {
        var seen = new RedditSeenPosts(3);

        Assert.Multiple(() =>
        {
            Assert.That(seen.Add("t3_a"), Is.True);
            Assert.That(seen.Add("t3_a".AsSpan()), Is.False, "already known");
            Assert.That(seen.Add("t3_b"), Is.True);
            Assert.That(seen.Add("t3_c"), Is.True);
            Assert.That(seen.Add("t3_d"), Is.True);
            Assert.That(seen.Count, Is.EqualTo(3));
            Assert.That(seen.Contains("t3_a"), Is.False, "the oldest was forgotten");
            Assert.That(seen.Contains("t3_b") && seen.Contains("t3_c") && seen.Contains("t3_d"), Is.True);
        });
    }

    [Test]
    public void LookingUpAKnownNameAllocatesNothing()
    {
        var seen = new RedditSeenPosts(10);
        seen.Add("t3_1p3w7qa");
        Span<char> name = stackalloc char[10];
        "t3_1p3w7qa".AsSpan().CopyTo(name);
        seen.Contains(name);
        seen.Add(name); // warm up both paths

        var before = GC.GetAllocatedBytesForCurrentThread();
        var known = seen.Contains(name) && !seen.Add(name);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(known, Is.True);
        Assert.That(allocated, Is.Zero);
    }
}
