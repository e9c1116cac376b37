using System.Text.RegularExpressions;
using Serilog.Core;
using Serilog.Events;

namespace RiskConsole.Server.Logging;

/// <summary>
/// Browsers can only pass a key to a WebSocket in the query string (?adminKey=, SignalR's ?access_token=), and
/// ASP.NET's hosting diagnostics log the whole query string at Information. Whatever level an operator turns
/// on, this enricher rewrites those values before any sink sees the event.
/// </summary>
public sealed partial class QueryStringSecretRedactor : ILogEventEnricher
{
    public const string Redacted = "***";

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        List<LogEventProperty>? replacements = null;
        foreach (var (name, value) in logEvent.Properties)
        {
            if (value is ScalarValue { Value: string text } && SensitiveParameter().IsMatch(text))
            {
                (replacements ??= []).Add(new LogEventProperty(name, new ScalarValue(Redact(text))));
            }
        }

        if (replacements is null)
        {
            return;
        }

        foreach (var property in replacements)
        {
            logEvent.AddOrUpdateProperty(property);
        }
    }

    public static string Redact(string text) => SensitiveParameter().Replace(text, match => match.Groups["name"].Value + "=" + Redacted);

    [GeneratedRegex(@"(?<name>adminKey|access_token|api[_-]?key|token|secret|password)=[^&\s""]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SensitiveParameter();
}
