using System.Text;
using RiskConsole.Ingest.Reddit;

namespace RiskConsole.Tests.Ingest.Reddit;

public sealed class RedditTokenParserTests
{
    [Test]
    public void TheFixtureTokenGivesItsValueAndLifetime()
    {
        var token = RedditTokenParser.Parse(RedditFixtures.Bytes(RedditFixtures.Token), out var problem);

        Assert.Multiple(() =>
        {
            Assert.That(problem, Is.Null);
            Assert.That(token!.Value, Does.StartWith("eyJhbGciOiJSUzI1NiIs").And.EndWith(".fake.signature"));
            Assert.That(token.Lifetime, Is.EqualTo(TimeSpan.FromHours(1)));
            Assert.That(token.ToString(), Is.EqualTo("bearer token valid for 3600 s"), "never the token itself");
        });
    }

    [TestCase("""{"access_token": "t", "token_type": "bearer", "expires_in": "86400"}""", 86400)]
    [TestCase("""{"expires_in": 60.5, "scope": "*", "token_type": "Bearer", "access_token": "t"}""", 60.5)]
    [TestCase("""{"access_token": "t", "expires_in": 3600}""", 3600)]
    public void AUsableTokenIsTakenWhateverTheOrderAndNumberForm(string body, double seconds)
    {
        var token = RedditTokenParser.Parse(Encoding.UTF8.GetBytes(body), out var problem);

        Assert.That(problem, Is.Null);
        Assert.That(token!.Lifetime, Is.EqualTo(TimeSpan.FromSeconds(seconds)));
    }

    [TestCase("""{"error": "invalid_grant"}""", "Reddit refused the app credentials (invalid_grant)")]
    [TestCase("""{"error": 401, "message": "Unauthorized"}""", "Reddit refused the app credentials (401)")]
    [TestCase("""{"token_type": "bearer", "expires_in": 3600}""", "no access_token")]
    [TestCase("""{"access_token": "", "expires_in": 3600}""", "no access_token")]
    [TestCase("""{"access_token": 5, "expires_in": 3600}""", "no access_token")]
    [TestCase("""{"access_token": "t", "token_type": "mac", "expires_in": 3600}""", "token_type is not bearer")]
    [TestCase("""{"access_token": "t"}""", "no usable expires_in")]
    [TestCase("""{"access_token": "t", "expires_in": "soon"}""", "no usable expires_in")]
    [TestCase("""{"access_token": "t", "expires_in": "NaN"}""", "no usable expires_in")]
    [TestCase("""{"access_token": "t", "expires_in": -1}""", "expires_in -1 is not a believable lifetime")]
    [TestCase("""{"access_token": "t", "expires_in": 0}""", "expires_in 0 is not a believable lifetime")]
    [TestCase("""{"access_token": "t", "expires_in": 1e12}""", "expires_in 1000000000000 is not a believable lifetime")]
    [TestCase("""[]""", "not a token object")]
    [TestCase("""{"access_token": "t", """, "invalid JSON")]
    [TestCase("", "invalid JSON")]
    public void AnAnswerThatIsNotATokenSaysWhy(string body, string expected)
    {
        var token = RedditTokenParser.Parse(Encoding.UTF8.GetBytes(body), out var problem);

        Assert.Multiple(() =>
        {
            Assert.That(token, Is.Null);
            Assert.That(problem, Does.StartWith(expected));
        });
    }
}
