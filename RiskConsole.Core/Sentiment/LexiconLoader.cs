using System.Globalization;

namespace RiskConsole.Core.Sentiment;

/// <summary>Reads the embedded <c>word&lt;TAB&gt;valence</c> lists that make up the default lexicon.</summary>
internal static class LexiconLoader
{
    public const string ResourcePrefix = "RiskConsole.Core.Sentiment.Lexicon.";

    /// <summary>
    /// The default lexicon, in override order: VADER's lexicon, VADER's idioms, the crypto slang list, then emoji.
    /// Later entries replace earlier ones for the same key, so slang wins over VADER. All are on VADER's scale.
    /// </summary>
    public static List<KeyValuePair<string, double>> LoadDefault()
    {
        var entries = new List<KeyValuePair<string, double>>(7700);
        Read("vader_lexicon.tsv", entries);
        Read("idioms.tsv", entries);
        Read("crypto_slang.tsv", entries);
        Read("emoji.tsv", entries);
        return entries;
    }

    /// <summary>Parses one TSV. Blank lines and lines starting with '#' are skipped.</summary>
    public static void Parse(TextReader reader, string sourceName, List<KeyValuePair<string, double>> into)
    {
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0 || line[0] == '#' || string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var tab = line.LastIndexOf('\t');
            if (tab <= 0
                || !double.TryParse(line.AsSpan(tab + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var valence))
            {
                throw new InvalidDataException($"{sourceName} line {lineNumber}: expected 'word<TAB>valence', got '{line}'.");
            }

            into.Add(new KeyValuePair<string, double>(line[..tab], valence));
        }
    }

    private static void Read(string fileName, List<KeyValuePair<string, double>> into)
    {
        var assembly = typeof(LexiconLoader).Assembly;
        var resourceName = ResourcePrefix + fileName;
        using var stream = assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException(
                $"Embedded lexicon '{resourceName}' is missing from {assembly.GetName().Name}; check the EmbeddedResource item in RiskConsole.Core.csproj.");
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
        Parse(reader, fileName, into);
    }
}
