namespace RiskConsole.Ai;

/// <summary>The one rule every provider URL setting follows: an absolute http or https URL.</summary>
internal static class HttpUrlRule
{
    public static bool IsHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";

    public static string Describe(string key, string? value) => $"{key} must be an absolute http(s) URL (was '{value}').";
}
