using System.Globalization;

namespace RiskConsole.Server.Replay;

/// <summary>
/// The command line of <c>replay &lt;file&gt; [--speed N] [--from T --to T] [--out scores.csv] [--chart scores.png] [--serve]</c>
/// and of <c>export [&lt;journal.db&gt;] --out FILE.csv|FILE.jsonl [--from T --to T]</c>. Times are ISO 8601 (UTC unless
/// they say otherwise: 2021-05-19T06:00Z, "2021-05-19 06:00") or Unix milliseconds.
/// </summary>
public sealed record ReplayRequest(string? Path, double? Speed, DateTimeOffset? From, DateTimeOffset? Until, string? Out, string? Chart, bool Serve)
{
    /// <summary>Parses the words after the verb; null with <paramref name="problem"/> set when they make no sense.</summary>
    public static ReplayRequest? Parse(IReadOnlyList<string> words, out string problem)
    {
        ArgumentNullException.ThrowIfNull(words);
        string? path = null, output = null, chart = null;
        double? speed = null;
        DateTimeOffset? from = null, until = null;
        var serve = false;
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            string? Value() => i + 1 < words.Count ? words[++i] : null;
            switch (word)
            {
                case "--serve":
                    serve = true;
                    break;
                case "--speed":
                    if (!double.TryParse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsedSpeed) || !(parsedSpeed is > 0 and <= 1_000_000))
                    {
                        problem = "--speed needs a number greater than 0 (1 = real time, 60 = a minute a second)";
                        return null;
                    }

                    speed = parsedSpeed;
                    break;
                case "--from" or "--to":
                    if (ParseTime(Value()) is not { } time)
                    {
                        problem = $"{word} needs a time: ISO 8601 (2021-05-19T06:00Z) or Unix milliseconds";
                        return null;
                    }

                    if (word == "--from")
                    {
                        from = time;
                    }
                    else
                    {
                        until = time;
                    }

                    break;
                case "--out" or "--chart":
                    if (Value() is not { Length: > 0 } file || file.StartsWith("--", StringComparison.Ordinal))
                    {
                        problem = $"{word} needs a file name";
                        return null;
                    }

                    if (word == "--out")
                    {
                        output = file;
                    }
                    else
                    {
                        chart = file;
                    }

                    break;
                default:
                    if (word.StartsWith("--", StringComparison.Ordinal) && word.Contains(':', StringComparison.Ordinal))
                    {
                        // A configuration override (--Risk:Threshold=80 or --Risk:Threshold 80): the host reads it.
                        if (!word.Contains('=', StringComparison.Ordinal))
                        {
                            i++;
                        }

                        break;
                    }

                    if (word.StartsWith("--", StringComparison.Ordinal) || path is not null)
                    {
                        problem = $"unknown argument '{word}'";
                        return null;
                    }

                    path = word;
                    break;
            }
        }

        if (from is { } start && until is { } end && end <= start)
        {
            problem = "--to must be after --from";
            return null;
        }

        problem = string.Empty;
        return new ReplayRequest(path, speed, from, until, output, chart, serve);
    }

    private static DateTimeOffset? ParseTime(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var milliseconds))
        {
            return milliseconds is >= 0 and < 253_402_300_800_000 ? DateTimeOffset.FromUnixTimeMilliseconds(milliseconds) : null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time.ToUniversalTime() : null;
    }
}
