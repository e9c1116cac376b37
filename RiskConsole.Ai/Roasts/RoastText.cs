using System.Text;

namespace RiskConsole.Ai.Roasts;

/// <summary>Shapes arbitrary text (market questions, posts, symbols, whole roasts) to fit a roast.</summary>
internal static class RoastText
{
    public static string Truncate(string text, int maxLength)
    {
        if (text.Length <= maxLength)
        {
            return text;
        }

        var cut = text[..(maxLength - 1)];
        var lastSpace = cut.LastIndexOf(' ');
        if (lastSpace > maxLength / 2)
        {
            cut = cut[..lastSpace];
        }

        return cut.TrimEnd(' ', ',', ';', ':') + "…";
    }

    /// <summary>One line of plain text: whitespace collapsed, quotes made single so they cannot break the roast's own quoting.</summary>
    public static string Clean(string text, int maxLength)
    {
        var builder = new StringBuilder(Math.Min(text.Length, maxLength + 1));
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c == '"' ? '\'' : c);
        }

        return Truncate(builder.ToString(), maxLength);
    }
}
