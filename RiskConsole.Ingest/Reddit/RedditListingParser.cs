using System.Globalization;
using System.Text;
using System.Text.Json;

namespace RiskConsole.Ingest.Reddit;

/// <summary>
/// One child of a listing as the parser found it: either a usable t3 post (where its text sits in the body, which
/// configured subreddit it belongs to, when it was created) or the reason it is not one. Text is not decoded here:
/// <see cref="JsonStringSlice"/> lets the listener decode only posts it has not seen.
/// </summary>
internal readonly record struct RedditListingEntry(
    int Position,
    JsonStringSlice Name,
    int SubredditIndex,
    JsonStringSlice Title,
    JsonStringSlice SelfText,
    double CreatedUtc,
    string? Rejection)
{
    public bool IsPost => Rejection is null;

    public DateTimeOffset Created => DateTimeOffset.FromUnixTimeMilliseconds((long)(CreatedUtc * 1000));
}

/// <summary>
/// Reads a Reddit listing (<c>GET /r/&lt;sub&gt;/new</c>: <c>{"kind": "Listing", "data": {"children": [{"kind": "t3",
/// "data": {...}}]}}</c>) with <see cref="Utf8JsonReader"/>: no reflection, no string per field; subreddits are matched
/// against the configured names byte by byte. A body that is not JSON, or JSON that is not a Listing, is rejected as a
/// whole; inside a Listing each child that is not a complete t3 post is rejected on its own with its reason, and the
/// rest are used. Property order is not assumed (JSON objects have none).
/// </summary>
internal sealed class RedditListingParser
{
    /// <summary>Reddit's largest page: a listing with more children was not produced by Reddit's paging.</summary>
    public const int MaxChildren = 100;

    /// <summary>2005-06-23, the day Reddit opened: no post is older.</summary>
    private const double RedditFounded = 1_119_484_800;

    /// <summary>Clocks differ, but a post stamped more than this ahead of ours is not a real creation time.</summary>
    private static readonly TimeSpan MaxClockAhead = TimeSpan.FromDays(1);

    private readonly byte[][] _subreddits;

    public RedditListingParser(IReadOnlyList<string> subreddits)
    {
        ArgumentNullException.ThrowIfNull(subreddits);
        _subreddits = [.. subreddits.Select(Encoding.UTF8.GetBytes)];
    }

    /// <summary>
    /// Parses <paramref name="json"/> into <paramref name="entries"/> (cleared first). Returns null when the body is a
    /// Listing (its children, usable or not, are in <paramref name="entries"/>), else why it was rejected as a whole
    /// (and <paramref name="entries"/> is empty). <paramref name="now"/> bounds believable creation times.
    /// </summary>
    public string? Parse(ReadOnlySpan<byte> json, DateTimeOffset now, List<RedditListingEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        entries.Clear();
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
        string? problem;
        try
        {
            problem = ParseListing(ref reader, json, now.ToUnixTimeSeconds() + MaxClockAhead.TotalSeconds, entries);
        }
        catch (JsonException e)
        {
            problem = $"invalid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})";
        }

        if (problem is not null)
        {
            entries.Clear();
        }

        return problem;
    }

    private string? ParseListing(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, double latestCreated, List<RedditListingEntry> entries)
    {
        reader.Read(); // an empty body throws: "no JSON tokens"
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return $"not a Listing: the answer is a JSON {Describe(reader.TokenType)}";
        }

        string? kindProblem = "no kind";
        string? dataProblem = "no data";
        var errorObject = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("kind"u8))
            {
                reader.Read();
                kindProblem = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("Listing"u8) ? null : $"kind is {DescribeValue(ref reader)}";
            }
            else if (reader.ValueTextEquals("data"u8))
            {
                reader.Read();
                dataProblem = ParseListingData(ref reader, json, latestCreated, entries);
            }
            else
            {
                errorObject |= reader.ValueTextEquals("error"u8);
                reader.Read();
                reader.Skip();
            }
        }

        // Anything after the closing brace makes the reader throw here: one document, nothing else.
        reader.Read();
        if (kindProblem is not null)
        {
            return errorObject ? "not a Listing: Reddit sent an error object" : $"not a Listing: {kindProblem}";
        }

        return dataProblem is null ? null : $"not a Listing: {dataProblem}";
    }

    private string? ParseListingData(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, double latestCreated, List<RedditListingEntry> entries)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            var what = Describe(reader.TokenType);
            reader.Skip();
            return $"data is a JSON {what}";
        }

        string? problem = "data has no children array";
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!reader.ValueTextEquals("children"u8))
            {
                reader.Read();
                reader.Skip();
                continue;
            }

            reader.Read();
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                problem = $"children is a JSON {Describe(reader.TokenType)}";
                reader.Skip();
                continue;
            }

            entries.Clear();
            problem = null;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (entries.Count == MaxChildren)
                {
                    reader.Skip();
                    problem = $"more than {MaxChildren} children, more than Reddit puts on a page";
                    continue;
                }

                entries.Add(ParseChild(ref reader, json, entries.Count, latestCreated));
            }
        }

        return problem;
    }

    private RedditListingEntry ParseChild(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, int position, double latestCreated)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            var what = Describe(reader.TokenType);
            reader.Skip();
            return Rejected(position, default, $"child {position + 1} is a JSON {what}, not a post");
        }

        string? kindProblem = "has no kind";
        var post = default(PostFields);
        var sawData = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("kind"u8))
            {
                reader.Read();
                kindProblem = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("t3"u8) ? null : $"is kind {DescribeValue(ref reader)}, not a t3 post";
            }
            else if (reader.ValueTextEquals("data"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    sawData = true;
                    post = ReadPostFields(ref reader);
                }
                else
                {
                    reader.Skip();
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        var name = post.NameValid ? post.Name : default;
        if (kindProblem is not null)
        {
            return Rejected(position, name, $"child {position + 1} {kindProblem}");
        }

        if (!sawData)
        {
            return Rejected(position, name, $"child {position + 1} has no data object");
        }

        if (post.Validate(latestCreated) is { } fieldProblem)
        {
            // The name is decoded only here, for the reason: a usable post costs no string until it is known to be new.
            var which = post.NameValid ? post.Name.Decode(json) : "#" + (position + 1).ToString(CultureInfo.InvariantCulture);
            return Rejected(position, name, $"post {which} {fieldProblem}");
        }

        return new RedditListingEntry(position, post.Name, post.SubredditIndex, post.Title, post.SelfText, post.CreatedUtc, null);
    }

    private PostFields ReadPostFields(ref Utf8JsonReader reader)
    {
        var post = new PostFields { SubredditIndex = -1 };
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("name"u8))
            {
                reader.Read();
                post.NameToken = reader.TokenType;
                if (reader.TokenType == JsonTokenType.String)
                {
                    post.Name = JsonStringSlice.At(ref reader);
                    post.NameValid = IsPostName(ref reader);
                }
            }
            else if (reader.ValueTextEquals("subreddit"u8))
            {
                reader.Read();
                post.SubredditToken = reader.TokenType;
                if (reader.TokenType == JsonTokenType.String)
                {
                    post.SubredditIndex = MatchSubreddit(ref reader);
                    post.Subreddit = JsonStringSlice.At(ref reader);
                }
            }
            else if (reader.ValueTextEquals("title"u8))
            {
                reader.Read();
                post.TitleToken = reader.TokenType;
                if (reader.TokenType == JsonTokenType.String)
                {
                    post.Title = JsonStringSlice.At(ref reader);
                    post.TitleBlank = IsBlank(ref reader);
                }
            }
            else if (reader.ValueTextEquals("selftext"u8))
            {
                reader.Read();
                post.SelfTextToken = reader.TokenType;
                if (reader.TokenType == JsonTokenType.String)
                {
                    post.SelfText = JsonStringSlice.At(ref reader);
                }
            }
            else if (reader.ValueTextEquals("created_utc"u8))
            {
                reader.Read();
                post.CreatedToken = reader.TokenType;
                post.CreatedParsed = reader.TokenType switch
                {
                    JsonTokenType.Number => reader.TryGetDouble(out post.CreatedUtc),
                    // Some proxies stringify numbers; a numeric string is taken, anything else is not a time.
                    JsonTokenType.String => !reader.ValueIsEscaped && double.TryParse(reader.ValueSpan, NumberStyles.Float, CultureInfo.InvariantCulture, out post.CreatedUtc),
                    _ => false,
                };
            }
            else
            {
                reader.Read();
            }

            // A known field holding an object or an array (or any unknown field) is passed over whole.
            reader.Skip();
        }

        return post;
    }

    /// <summary>A t3 fullname: "t3_" and a base-36 id (lower-case letters and digits).</summary>
    private static bool IsPostName(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped)
        {
            return false; // Reddit never escapes an id; an escaped one is not a name we could match reliably
        }

        var value = reader.ValueSpan;
        if (value.Length is < 4 or > 16 || !value.StartsWith("t3_"u8))
        {
            return false;
        }

        foreach (var b in value[3..])
        {
            if (b is not ((>= (byte)'0' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'z')))
            {
                return false;
            }
        }

        return true;
    }

    private int MatchSubreddit(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped || reader.ValueSpan.Length > 32)
        {
            return -1; // configured names are plain ASCII of at most 21 characters
        }

        for (var i = 0; i < _subreddits.Length; i++)
        {
            // Reddit answers with the subreddit's own casing ("CryptoCurrency"); the configuration may say "cryptocurrency".
            if (Ascii.EqualsIgnoreCase(reader.ValueSpan, _subreddits[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool IsBlank(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            return reader.ValueSpan.IsEmpty || reader.ValueSpan.IndexOfAnyExcept(" \t\r\n"u8) < 0;
        }

        // An escaped title ("\n", "\u0020") is unescaped to tell; a long one is not blank in practice.
        Span<byte> unescaped = stackalloc byte[256];
        return reader.ValueSpan.Length <= unescaped.Length
            && unescaped[..reader.CopyString(unescaped)].IndexOfAnyExcept(" \t\r\n"u8) < 0;
    }

    private static RedditListingEntry Rejected(int position, JsonStringSlice name, string reason) =>
        new(position, name, -1, default, default, 0, reason);

    private static string DescribeValue(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            var what = Describe(reader.TokenType);
            reader.Skip();
            return "a JSON " + what;
        }

        // Only short kinds are quoted back; the reason must name what was wrong, not carry the payload.
        return reader.ValueSpan.Length <= 16 && !reader.ValueIsEscaped ? $"'{Encoding.UTF8.GetString(reader.ValueSpan)}'" : "a long string";
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "object",
        JsonTokenType.StartArray => "array",
        JsonTokenType.String => "string",
        JsonTokenType.Number => "number",
        JsonTokenType.True or JsonTokenType.False => "boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    /// <summary>What one post's data object held, before it is judged.</summary>
    private struct PostFields
    {
        public JsonTokenType NameToken;
        public JsonStringSlice Name;
        public bool NameValid;
        public JsonTokenType SubredditToken;
        public JsonStringSlice Subreddit;
        public int SubredditIndex;
        public JsonTokenType TitleToken;
        public JsonStringSlice Title;
        public bool TitleBlank;
        public JsonTokenType SelfTextToken;
        public JsonStringSlice SelfText;
        public JsonTokenType CreatedToken;
        public bool CreatedParsed;
        public double CreatedUtc;

        /// <summary>Why these fields are not a usable post, or null. The reason follows "post &lt;name&gt; ".</summary>
        public readonly string? Validate(double latestCreated)
        {
            if (NameToken == JsonTokenType.None)
            {
                return "has no name";
            }

            if (!NameValid)
            {
                return NameToken == JsonTokenType.String ? "has a name that is not a t3 id" : $"has a name that is a JSON {Describe(NameToken)}";
            }

            if (SubredditToken != JsonTokenType.String)
            {
                return SubredditToken == JsonTokenType.None ? "has no subreddit" : $"has a subreddit that is a JSON {Describe(SubredditToken)}";
            }

            if (SubredditIndex < 0)
            {
                return "is from a subreddit that is not configured (Ingest:Reddit:Subreddits)";
            }

            if (TitleToken != JsonTokenType.String)
            {
                return TitleToken == JsonTokenType.None ? "has no title" : $"has a title that is a JSON {Describe(TitleToken)}";
            }

            if (TitleBlank)
            {
                return "has an empty title";
            }

            // A link post has "selftext": "" ; absent or null is read as no body, any other type is wrong.
            if (SelfTextToken is not (JsonTokenType.None or JsonTokenType.String or JsonTokenType.Null))
            {
                return $"has a selftext that is a JSON {Describe(SelfTextToken)}";
            }

            if (CreatedToken == JsonTokenType.None)
            {
                return "has no created_utc";
            }

            if (!CreatedParsed || !double.IsFinite(CreatedUtc))
            {
                return CreatedToken is JsonTokenType.Number or JsonTokenType.String
                    ? "has a created_utc that is not a number of seconds"
                    : $"has a created_utc that is a JSON {Describe(CreatedToken)}";
            }

            if (CreatedUtc < RedditFounded)
            {
                return $"has created_utc {CreatedUtc.ToString(CultureInfo.InvariantCulture)}, before Reddit existed";
            }

            return CreatedUtc > latestCreated ? $"has created_utc {CreatedUtc.ToString(CultureInfo.InvariantCulture)}, more than a day in the future" : null;
        }
    }
}
