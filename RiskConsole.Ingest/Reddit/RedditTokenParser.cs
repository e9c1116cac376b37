using System.Globalization;
using System.Text.Json;

namespace RiskConsole.Ingest.Reddit;

/// <summary>An app-only OAuth token and how long Reddit said it lives. <see cref="ToString"/> never shows the token.</summary>
internal sealed record RedditAccessToken(string Value, TimeSpan Lifetime)
{
    public override string ToString() => $"bearer token valid for {Lifetime.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s";
}

/// <summary>
/// Reads the answer of <c>POST /api/v1/access_token</c> (<c>{"access_token": "...", "token_type": "bearer",
/// "expires_in": 3600, "scope": "*"}</c>). Reddit also answers some refusals with 200 and <c>{"error": "invalid_grant"}</c>,
/// so an "error" member is a refusal, not a token.
/// </summary>
internal static class RedditTokenParser
{
    /// <summary>Longest lifetime believed: Reddit issues tokens for an hour or a day; more is a broken answer.</summary>
    private const double MaxLifetimeSeconds = 7 * 86400;

    /// <summary>A token, or null with <paramref name="problem"/> saying why the answer is not one.</summary>
    public static RedditAccessToken? Parse(ReadOnlySpan<byte> json, out string? problem)
    {
        try
        {
            return ParseObject(json, out problem);
        }
        catch (JsonException e)
        {
            problem = $"invalid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})";
            return null;
        }
    }

    private static RedditAccessToken? ParseObject(ReadOnlySpan<byte> json, out string? problem)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 16 });
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            problem = "not a token object";
            return null;
        }

        string? token = null;
        string? error = null;
        var bearer = true;
        double? lifetime = null;
        var lifetimeProblem = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("access_token"u8))
            {
                reader.Read();
                token = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (reader.ValueTextEquals("token_type"u8))
            {
                reader.Read();
                bearer = reader.TokenType == JsonTokenType.String && string.Equals(reader.GetString(), "bearer", StringComparison.OrdinalIgnoreCase);
            }
            else if (reader.ValueTextEquals("expires_in"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var seconds))
                {
                    lifetime = seconds;
                }
                else if (reader.TokenType == JsonTokenType.String && double.TryParse(reader.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out seconds))
                {
                    lifetime = seconds;
                }
                else
                {
                    lifetimeProblem = true;
                }
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                error = reader.TokenType switch
                {
                    JsonTokenType.String => reader.GetString(),
                    JsonTokenType.Number => reader.GetDouble().ToString(CultureInfo.InvariantCulture),
                    _ => "unknown",
                };
            }
            else
            {
                reader.Read();
            }

            // A known member holding an object or an array (or any unknown member) is passed over whole.
            reader.Skip();
        }

        reader.Read(); // trailing content after the object throws
        if (error is not null)
        {
            problem = $"Reddit refused the app credentials ({Shorten(error)})";
            return null;
        }

        if (string.IsNullOrWhiteSpace(token))
        {
            problem = "no access_token";
            return null;
        }

        if (!bearer)
        {
            problem = "token_type is not bearer";
            return null;
        }

        if (lifetimeProblem || lifetime is not { } life || !double.IsFinite(life) || life <= 0 || life > MaxLifetimeSeconds)
        {
            problem = lifetime is { } shown && double.IsFinite(shown)
                ? $"expires_in {shown.ToString(CultureInfo.InvariantCulture)} is not a believable lifetime"
                : "no usable expires_in";
            return null;
        }

        problem = null;
        return new RedditAccessToken(token, TimeSpan.FromSeconds(life));
    }

    private static string Shorten(string? text) => text is null ? "" : text.Length <= 60 ? text : text[..60] + "…";
}
