using System.Globalization;
using System.Text;
using System.Text.Json;
using RiskConsole.Core.Contracts;
using RiskConsole.Core.Signals;

namespace RiskConsole.Engine.Journal;

/// <summary>
/// The journal's two text forms, written by <c>export</c> and read by <c>replay</c>: JSONL (one
/// <see cref="JournalLine"/> per line, the hub's own JSON) and CSV (one row per record, a <c>kind</c> column and the
/// union of every kind's fields; empty = none). Both keep every value exactly (times to the tick, doubles round-trip),
/// so an export read back is the journal it came from.
/// </summary>
public static class JournalFiles
{
    /// <summary>The CSV columns, in order; also how a journal CSV is recognized.</summary>
    public static IReadOnlyList<string> CsvColumns { get; } =
    [
        "kind", "at", "source", "key", "value", "text", "mock",
        "seq", "score", "raw", "crypto", "polymarket", "reddit", "amplification", "elevated_count", "riskiest_symbol",
        "crypto_volatility", "polymarket_repricing", "polymarket_shock", "reddit_sentiment",
        "warming_up", "crypto_stale", "polymarket_stale", "reddit_stale",
        "alert_type", "message", "forced", "roast", "audio_url",
    ];

    public static string CsvHeader { get; } = string.Join(',', CsvColumns);

    public static string ToJsonl(JournalRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var line = new JournalLine();
        switch (record)
        {
            case JournalRecord.Signal signal:
                line.Signal = signal.Value;
                break;
            case JournalRecord.Score score:
                line.Score = score.Value;
                break;
            case JournalRecord.Alert alert:
                line.Alert = alert.Value;
                break;
            case JournalRecord.Interrupt interrupt:
                line.Interrupt = interrupt.Value;
                break;
        }

        return JsonSerializer.Serialize(line, JournalJsonContext.Default.JournalLine);
    }

    /// <summary>Reads one JSONL line; a FormatException says in a few words what is wrong with it.</summary>
    public static JournalRecord FromJsonl(string line)
    {
        JournalLine? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize(line, JournalJsonContext.Default.JournalLine);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"not a journal record ({ex.Message.Split(" Path:", 2)[0]})", ex);
        }
        catch (NotSupportedException ex)
        {
            throw new FormatException($"not a journal record ({ex.Message})", ex);
        }

        var kinds = new object?[] { parsed?.Signal, parsed?.Score, parsed?.Alert, parsed?.Interrupt }.Count(k => k is not null);
        if (parsed is null || kinds != 1)
        {
            throw new FormatException("a journal record has exactly one of signal, score, alert, interrupt");
        }

        return parsed switch
        {
            { Signal: { } signal } => new JournalRecord.Signal(signal),
            { Score: { } score } => new JournalRecord.Score(score),
            { Alert: { } alert } => new JournalRecord.Alert(alert),
            _ => new JournalRecord.Interrupt(parsed.Interrupt!),
        };
    }

    public static string ToCsv(JournalRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var row = new string?[CsvColumns.Count];
        void Set(string column, object? value) => row[Column(column)] = Format(value);
        Set("at", record.At);
        switch (record)
        {
            case JournalRecord.Signal { Value: var signal }:
                Set("kind", "signal");
                Set("source", signal.Source);
                Set("key", signal.Key);
                Set("mock", signal.IsMock);
                switch (signal)
                {
                    case PriceTick tick:
                        Set("value", tick.Price);
                        break;
                    case MarketProbability market:
                        Set("value", market.Probability);
                        Set("text", market.Question);
                        break;
                    case SentimentSample post:
                        Set("value", post.Compound);
                        Set("text", post.Text);
                        break;
                }

                break;
            case JournalRecord.Score { Value: var score }:
                var c = score.Components;
                Set("kind", "score");
                Set("seq", score.Seq);
                Set("score", score.Score);
                Set("raw", c.Raw);
                Set("crypto", c.Crypto);
                Set("polymarket", c.Polymarket);
                Set("reddit", c.Reddit);
                Set("amplification", c.Amplification);
                Set("elevated_count", c.ElevatedCount);
                Set("riskiest_symbol", c.RiskiestSymbol);
                Set("crypto_volatility", c.CryptoVolatilityAnnualized);
                Set("polymarket_repricing", c.PolymarketRepricing);
                Set("polymarket_shock", c.PolymarketShock);
                Set("reddit_sentiment", c.RedditSentiment);
                Set("warming_up", c.WarmingUp);
                Set("crypto_stale", c.CryptoStale);
                Set("polymarket_stale", c.PolymarketStale);
                Set("reddit_stale", c.RedditStale);
                break;
            case JournalRecord.Alert { Value: var alert }:
                Set("kind", "alert");
                Set("alert_type", alert.AlertType);
                Set("message", alert.Message);
                break;
            case JournalRecord.Interrupt { Value: var interrupt }:
                Set("kind", "interrupt");
                Set("score", interrupt.RiskScore);
                Set("forced", interrupt.Forced);
                Set("roast", interrupt.Roast);
                Set("audio_url", interrupt.AudioUrl);
                break;
        }

        return string.Join(',', row.Select(Quote));
    }

    /// <summary>Reads one journal CSV row (its fields, as <see cref="ReadCsv"/> splits them); a FormatException names the bad field.</summary>
    public static JournalRecord FromCsv(IReadOnlyList<string> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        if (fields.Count != CsvColumns.Count)
        {
            throw new FormatException($"{fields.Count} fields, a journal row has {CsvColumns.Count}");
        }

        string? Text(string column) => fields[Column(column)] is { Length: > 0 } value ? value : null;
        string Required(string column) => Text(column) ?? throw new FormatException($"{column} is empty");
        double? Number(string column) => Text(column) is { } text
            ? double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : throw new FormatException($"{column} is not a number ('{text}')")
            : null;
        double RequiredNumber(string column) => Number(column) ?? throw new FormatException($"{column} is empty");
        bool Flag(string column) => Required(column) switch
        {
            "true" => true,
            "false" => false,
            var other => throw new FormatException($"{column} is not true or false ('{other}')"),
        };

        var at = DateTimeOffset.TryParse(Required("at"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed
            : throw new FormatException($"at is not a time ('{Text("at")}')");
        return Required("kind") switch
        {
            "signal" => new JournalRecord.Signal(Required("source") switch
            {
                DataSources.Crypto => new PriceTick(Required("key"), RequiredNumber("value"), at, Flag("mock")),
                DataSources.Polymarket => new MarketProbability(Required("key"), Text("text") ?? string.Empty, RequiredNumber("value"), at, Flag("mock")),
                DataSources.Reddit => new SentimentSample(Required("key"), RequiredNumber("value"), at, Text("text") ?? string.Empty, Flag("mock")),
                var other => throw new FormatException($"source '{other}' is not one of {string.Join(", ", DataSources.All)}"),
            }),
            "score" => new JournalRecord.Score(new RiskScoreUpdate(
                RequiredNumber("score"),
                new RiskComponents(
                    Number("crypto"),
                    Number("polymarket"),
                    Number("reddit"),
                    Number("raw") ?? double.NaN,
                    Number("amplification") ?? double.NaN,
                    (int)RequiredNumber("elevated_count"),
                    Text("riskiest_symbol"),
                    Number("crypto_volatility"),
                    Number("polymarket_repricing"),
                    Number("polymarket_shock"),
                    Number("reddit_sentiment"),
                    Flag("warming_up"),
                    Flag("crypto_stale"),
                    Flag("polymarket_stale"),
                    Flag("reddit_stale")),
                (long)RequiredNumber("seq"),
                at)),
            "alert" => new JournalRecord.Alert(new AlertNotice(Required("alert_type"), Text("message") ?? string.Empty, at)),
            "interrupt" => new JournalRecord.Interrupt(new InterruptNotice(Text("roast") ?? string.Empty, Text("audio_url"), RequiredNumber("score"), Flag("forced"), at)),
            var other => throw new FormatException($"kind '{other}' is not signal, score, alert or interrupt"),
        };
    }

    /// <summary>
    /// Splits CSV text (RFC 4180: quoted fields may hold commas, quotes and line breaks) into rows, each with the line
    /// it starts on, so a bad row can be reported by its line number. Blank lines are skipped.
    /// </summary>
    public static IEnumerable<(long Line, List<string> Fields)> ReadCsv(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        long lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            var start = lineNumber;
            var fields = new List<string>();
            var field = new StringBuilder();
            var quoted = false;
            var i = 0;
            while (true)
            {
                if (i == line.Length)
                {
                    if (quoted && reader.ReadLine() is { } more)
                    {
                        // A line break inside quotes belongs to the field.
                        lineNumber++;
                        field.Append('\n');
                        line = more;
                        i = 0;
                        continue;
                    }

                    fields.Add(field.ToString());
                    break;
                }

                var ch = line[i++];
                if (quoted)
                {
                    if (ch == '"' && i < line.Length && line[i] == '"')
                    {
                        field.Append('"');
                        i++;
                    }
                    else if (ch == '"')
                    {
                        quoted = false;
                    }
                    else
                    {
                        field.Append(ch);
                    }
                }
                else if (ch == '"' && field.Length == 0)
                {
                    quoted = true;
                }
                else if (ch == ',')
                {
                    fields.Add(field.ToString());
                    field.Clear();
                }
                else
                {
                    field.Append(ch);
                }
            }

            yield return (start, fields);
        }
    }

    private static int Column(string name)
    {
        for (var i = 0; i < CsvColumns.Count; i++)
        {
            if (CsvColumns[i] == name)
            {
                return i;
            }
        }

        throw new ArgumentException($"No column {name}.", nameof(name));
    }

    private static string? Format(object? value) => value switch
    {
        null => null,
        string text => text,
        bool flag => flag ? "true" : "false",
        double number => double.IsNaN(number) ? null : number.ToString("R", CultureInfo.InvariantCulture),
        DateTimeOffset at => at.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static string Quote(string? field)
    {
        if (string.IsNullOrEmpty(field))
        {
            return string.Empty;
        }

        return field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
    }
}
