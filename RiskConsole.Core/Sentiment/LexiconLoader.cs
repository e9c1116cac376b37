using System.Globalization;

namespace RiskConsole.Core.Sentiment;

/// <summary>Reads the embedded <c>word&lt;TAB&gt;valence</c> lists that make up the default lexicon.</summary>
internal static class LexiconLoader
{
    public const string ResourcePrefix = "RiskConsole.Core.Sentiment.Lexicon.";

    /// <summary>
    /// AFINN rates words with integers from -5 to +5; VADER's rules (the 0.293 booster step, the 0.733 caps step,
    /// the alpha of 15 in the normalisation) were calibrated on valences of about -4 to +4. Multiplying by 0.8 maps
    /// AFINN's extremes onto VADER's and puts common words close to their VADER ratings
    /// (AFINN "good" 3 becomes 2.4, VADER has 1.9; "bad" -3 becomes -2.4, VADER has -2.5).
    /// </summary>
    public const double AfinnToVaderScale = 0.8;

    /// <summary>
    /// The default lexicon, in override order: AFINN-165 (scaled), then the crypto slang list, then emoji.
    /// Later entries replace earlier ones for the same key, so slang wins over AFINN.
    /// </summary>
    public static List<KeyValuePair<string, double>> LoadDefault()
    {
        var entries = new List<KeyValuePair<string, double>>(3600);
        Read("afinn165.tsv", AfinnToVaderScale, entries);
        Read("crypto_slang.tsv", 1.0, entries);
        Read("emoji.tsv", 1.0, entries);
        return entries;
    }

    /// <summary>Parses one TSV. Blank lines and lines starting with '#' are skipped.</summary>
    public static void Parse(TextReader reader, string sourceName, double scale, List<KeyValuePair<string, double>> into)
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

            into.Add(new KeyValuePair<string, double>(line[..tab], valence * scale));
        }
    }

    private static void Read(string fileName, double scale, List<KeyValuePair<string, double>> into)
    {
        var assembly = typeof(LexiconLoader).Assembly;
        var resourceName = ResourcePrefix + fileName;
        using var stream = assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException(
                $"Embedded lexicon '{resourceName}' is missing from {assembly.GetName().Name}; check the EmbeddedResource item in RiskConsole.Core.csproj.");
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
        Parse(reader, fileName, scale, into);
    }
}
