using System.Text.Json;

namespace RiskConsole.Ingest.Reddit;

/// <summary>
/// Where one JSON string value sits in an answer body (its quotes included), so a post's text is decoded only once the
/// post is known to be new: most of every listing is posts already seen, and those cost no string at all.
/// </summary>
internal readonly record struct JsonStringSlice(int Start, int Length, int Utf8Length)
{
    public bool IsPresent => Length > 0;

    /// <summary>Takes the string token the reader is on.</summary>
    public static JsonStringSlice At(ref Utf8JsonReader reader) =>
        new((int)reader.TokenStartIndex, (int)(reader.BytesConsumed - reader.TokenStartIndex), reader.ValueSpan.Length);

    /// <summary>The unescaped value into <paramref name="destination"/>, which needs <see cref="Utf8Length"/> chars at most.</summary>
    public int CopyTo(ReadOnlySpan<byte> json, Span<char> destination)
    {
        if (!IsPresent)
        {
            return 0;
        }

        var reader = new Utf8JsonReader(json.Slice(Start, Length));
        reader.Read();
        return reader.CopyString(destination);
    }

    public string Decode(ReadOnlySpan<byte> json)
    {
        if (!IsPresent)
        {
            return "";
        }

        var reader = new Utf8JsonReader(json.Slice(Start, Length));
        reader.Read();
        return reader.GetString() ?? "";
    }
}
