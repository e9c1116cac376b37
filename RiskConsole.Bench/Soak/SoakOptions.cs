using System.Globalization;

namespace RiskConsole.Bench.Soak;

/// <param name="Url">A running server to soak; null starts the built server (Release) on a free loopback port.</param>
public sealed record SoakOptions(int Clients, double Minutes, double SampleSeconds, Uri? Url)
{
    public static SoakOptions? Parse(IReadOnlyList<string> args, out string error)
    {
        var (clients, minutes, sample, url) = (1000, 60.0, 60.0, (Uri?)null);
        for (var i = 0; i < args.Count; i += 2)
        {
            var value = i + 1 < args.Count ? args[i + 1] : null;
            var ok = args[i] switch
            {
                "--clients" => int.TryParse(value, CultureInfo.InvariantCulture, out clients) && clients is >= 1 and <= 20_000,
                "--minutes" => double.TryParse(value, CultureInfo.InvariantCulture, out minutes) && minutes is >= 1.0 / 60 and <= 24 * 60,
                "--sample-seconds" => double.TryParse(value, CultureInfo.InvariantCulture, out sample) && sample is >= 1 and <= 3600,
                "--url" => Uri.TryCreate(value, UriKind.Absolute, out url),
                _ => false,
            };
            if (!ok)
            {
                error = $"soak: bad or unknown option {args[i]} {value} (--clients 1..20000, --minutes 0.017..1440 (a second to a day), --sample-seconds 1..3600, --url http://host:port)";
                return null;
            }
        }

        error = "";
        return new SoakOptions(clients, minutes, sample, url);
    }
}
