using System.Globalization;
using System.Text;
using System.Text.Json;

namespace RiskConsole.Ingest.Polymarket;

/// <summary>
/// Reads Gamma's <c>GET /markets</c> answer (a JSON array of market objects) into the markets to follow. Gamma sends
/// <c>outcomes</c>, <c>outcomePrices</c> and <c>clobTokenIds</c> as JSON-encoded strings ("[\"Yes\", \"No\"]"), so those
/// are parsed twice (a real array is taken too, should Gamma ever send one). One malformed market is skipped and
/// counted, never a reason to drop the list; an answer that is not a JSON array is an error.
/// Runs once per refresh (minutes apart), so it allocates the strings it keeps without regret.
/// </summary>
internal static class GammaMarketListParser
{
    /// <summary>Token ids are uint256 decimals (78 digits); anything much longer is not one.</summary>
    internal const int MaxTokenIdLength = 100;

    /// <summary>Questions are a sentence; a longer one is cut so it stays far inside the engine's Risk:MaxTextLength.</summary>
    internal const int MaxQuestionLength = 500;

    /// <exception cref="InvalidDataException">The answer is not JSON, or not a JSON array.</exception>
    public static GammaMarketList Parse(ReadOnlySpan<byte> json, int maxMarkets, string? keyword)
    {
        var eligible = new List<GammaMarket>();
        var listed = 0;
        var unusable = 0;
        string? firstReason = null;
        if (json.IsEmpty)
        {
            throw new InvalidDataException("Gamma's market list is empty (no JSON at all).");
        }

        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            reader.Read();

            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw new InvalidDataException($"Gamma's market list is not a JSON array of markets (it starts with {Describe(reader.TokenType)}).");
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                listed++;
                string? reason;
                GammaMarket? market = null;
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reason = $"list element {listed} is {Describe(reader.TokenType)}, not a market object";
                    reader.Skip();
                }
                else
                {
                    reason = ReadMarket(ref reader, out market);
                }

                if (market is not null)
                {
                    eligible.Add(market);
                }
                else
                {
                    unusable++;
                    firstReason ??= reason;
                }
            }

            // Anything after the array (a second value, garbage) makes the reader throw here.
            if (reader.Read())
            {
                throw new InvalidDataException("Gamma's market list has data after the array.");
            }
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Gamma's market list is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}).", e);
        }

        return new GammaMarketList(Select(eligible, maxMarkets, keyword), listed, unusable, firstReason);
    }

    /// <summary>Most active first (Gamma is asked to order by 24 h volume; sorting again costs nothing and holds if it did not), one entry per market and token, the keyword applied, at most <paramref name="maxMarkets"/>.</summary>
    private static List<GammaMarket> Select(List<GammaMarket> eligible, int maxMarkets, string? keyword)
    {
        var conditions = new HashSet<string>(StringComparer.Ordinal);
        var tokens = new HashSet<string>(StringComparer.Ordinal);
        var selected = new List<GammaMarket>(Math.Min(maxMarkets, eligible.Count));
        foreach (var market in eligible.OrderByDescending(m => m.Volume24h))
        {
            if (selected.Count == maxMarkets)
            {
                break;
            }

            if (keyword is not null && !market.Question.Contains(keyword, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (conditions.Add(market.ConditionId) && tokens.Add(market.YesTokenId) && tokens.Add(market.NoTokenId))
            {
                selected.Add(market);
            }
        }

        return selected;
    }

    /// <summary>Reads one market object (the reader on its StartObject, left on its EndObject); null reason and a market when it qualifies.</summary>
    private static string? ReadMarket(ref Utf8JsonReader reader, out GammaMarket? market)
    {
        market = null;
        string? id = null, question = null, conditionId = null;
        string[]? outcomes = null, prices = null, tokenIds = null;
        bool? active = null, closed = null, archived = null, enableOrderBook = null;
        double volume = 0;
        string? malformed = null;

        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader;
            reader.Read();
            if (name.ValueTextEquals("id"u8))
            {
                id = ReadScalarText(ref reader);
            }
            else if (name.ValueTextEquals("question"u8))
            {
                question = ReadString(ref reader);
            }
            else if (name.ValueTextEquals("conditionId"u8))
            {
                conditionId = ReadString(ref reader);
            }
            else if (name.ValueTextEquals("outcomes"u8))
            {
                outcomes = ReadEncodedList(ref reader, "outcomes", ref malformed);
            }
            else if (name.ValueTextEquals("outcomePrices"u8))
            {
                prices = ReadEncodedList(ref reader, "outcomePrices", ref malformed);
            }
            else if (name.ValueTextEquals("clobTokenIds"u8))
            {
                tokenIds = ReadEncodedList(ref reader, "clobTokenIds", ref malformed);
            }
            else if (name.ValueTextEquals("active"u8))
            {
                active = ReadBool(ref reader);
            }
            else if (name.ValueTextEquals("closed"u8))
            {
                closed = ReadBool(ref reader);
            }
            else if (name.ValueTextEquals("archived"u8))
            {
                archived = ReadBool(ref reader);
            }
            else if (name.ValueTextEquals("enableOrderBook"u8))
            {
                enableOrderBook = ReadBool(ref reader);
            }
            else if (name.ValueTextEquals("volume24hr"u8))
            {
                volume = ReadNumber(ref reader) is { } v && double.IsFinite(v) && v >= 0 ? v : 0;
            }
            else
            {
                reader.Skip();
            }
        }

        var label = id is null ? "a market" : $"market {id}";
        if (malformed is not null)
        {
            return $"{label}: {malformed}";
        }

        if (closed == true || active == false || archived == true)
        {
            return $"{label} is closed or inactive";
        }

        if (enableOrderBook == false)
        {
            return $"{label} has no order book";
        }

        if (string.IsNullOrWhiteSpace(conditionId) || conditionId.Length > 200)
        {
            return $"{label} has no usable conditionId";
        }

        if (string.IsNullOrWhiteSpace(question))
        {
            return $"{label} has no question";
        }

        if (outcomes is not { Length: 2 })
        {
            return outcomes is null ? $"{label} has no outcomes" : $"{label} is not binary ({outcomes.Length} outcomes)";
        }

        var yes = Array.FindIndex(outcomes, o => string.Equals(o, "Yes", StringComparison.OrdinalIgnoreCase));
        var no = Array.FindIndex(outcomes, o => string.Equals(o, "No", StringComparison.OrdinalIgnoreCase));
        if (yes < 0 || no < 0)
        {
            return $"{label} is not a Yes/No market (outcomes {string.Join('/', outcomes)})";
        }

        if (tokenIds is not { Length: 2 } || !IsTokenId(tokenIds[0]) || !IsTokenId(tokenIds[1]) || tokenIds[0] == tokenIds[1])
        {
            return $"{label} has no usable pair of clobTokenIds";
        }

        var yesPrice = prices is { Length: 2 } && double.TryParse(prices[yes], NumberStyles.Float, CultureInfo.InvariantCulture, out var p) && p is >= 0 and <= 1
            ? p
            : double.NaN;
        question = question.Trim();
        if (question.Length > MaxQuestionLength)
        {
            question = string.Concat(question.AsSpan(0, MaxQuestionLength - 1), "…");
        }

        market = new GammaMarket(id ?? conditionId, conditionId, question, tokenIds[yes], tokenIds[no], yesPrice, volume);
        return null;
    }

    /// <summary>A JSON-encoded list of strings (Gamma's way) or a real array; null and a reason in <paramref name="malformed"/> when it is neither.</summary>
    private static string[]? ReadEncodedList(ref Utf8JsonReader reader, string field, ref string? malformed)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.StartArray:
                var direct = ReadStringArray(ref reader);
                if (direct is null)
                {
                    malformed ??= $"{field} is an array of something other than strings";
                }

                return direct;
            case JsonTokenType.String:
                // Parse twice: the string's content is itself JSON.
                var inner = Encoding.UTF8.GetBytes(reader.GetString()!);
                try
                {
                    var innerReader = new Utf8JsonReader(inner);
                    string[]? list = null;
                    if (innerReader.Read() && innerReader.TokenType == JsonTokenType.StartArray)
                    {
                        list = ReadStringArray(ref innerReader);
                    }

                    if (list is null || innerReader.Read())
                    {
                        malformed ??= $"{field} is not a JSON-encoded list of strings";
                        return null;
                    }

                    return list;
                }
                catch (JsonException)
                {
                    malformed ??= $"{field} is not valid JSON inside its string";
                    return null;
                }

            default:
                malformed ??= $"{field} is {Describe(reader.TokenType)}, not a JSON-encoded list";
                reader.Skip();
                return null;
        }
    }

    /// <summary>Reads an array of strings (numbers are taken as their text); null when an element is anything else. Leaves the reader on the EndArray.</summary>
    private static string[]? ReadStringArray(ref Utf8JsonReader reader)
    {
        var items = new List<string>(2);
        var ok = true;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var text = ReadScalarText(ref reader);
            if (text is null)
            {
                ok = false;
            }
            else
            {
                items.Add(text);
            }
        }

        return ok ? [.. items] : null;
    }

    /// <summary>A string's value or a number's text; null for anything else (skipped).</summary>
    private static string? ReadScalarText(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.Number:
                return Encoding.UTF8.GetString(reader.ValueSpan);
            default:
                reader.Skip();
                return null;
        }
    }

    private static string? ReadString(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString();
        }

        reader.Skip();
        return null;
    }

    private static bool? ReadBool(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.True:
                return true;
            case JsonTokenType.False:
                return false;
            default:
                reader.Skip();
                return null;
        }
    }

    private static double? ReadNumber(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                return reader.TryGetDouble(out var number) ? number : null;
            case JsonTokenType.String:
                return double.TryParse(reader.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
            default:
                reader.Skip();
                return null;
        }
    }

    /// <summary>Token ids are decimal numbers; letters are allowed too, so a change of notation does not silently empty the list.</summary>
    private static bool IsTokenId(string value) =>
        value.Length is > 0 and <= MaxTokenIdLength && value.All(char.IsAsciiLetterOrDigit);

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };
}
