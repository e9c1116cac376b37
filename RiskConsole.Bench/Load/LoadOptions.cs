using System.Globalization;

namespace RiskConsole.Bench.Load;

/// <param name="Clients">SignalR clients that read normally (the ones measured).</param>
/// <param name="SignalsPerSecond">Signals injected per second into the in-process server's ingest (none with <paramref name="Url"/>).</param>
/// <param name="Seconds">How long the injection (the measured window) lasts.</param>
/// <param name="StalledClients">Extra clients that complete the SignalR handshake and then never read a byte.</param>
/// <param name="Workers">Client processes; null = one per <see cref="ClientsPerWorker"/> clients; 0 = clients in this process (tests).</param>
/// <param name="Url">A running server to load instead of the in-process one: no injection, no server CPU or memory.</param>
/// <param name="DataBatches">
/// True: each client calls UseDataBatches after connecting, as the dashboard does, and gets one DataBatch frame per
/// publish tick; false (<c>--data updates</c>): one DataUpdate frame per datum, as clients that never opt in get.
/// </param>
/// <param name="MessagePack">Clients speak the MessagePack hub protocol (<c>--protocol messagepack</c>) instead of JSON (the browser dashboard's).</param>
/// <param name="WarmUpSeconds">
/// How long signals are injected before the measured window opens (<c>--warmup-seconds</c>, default 10): the server's
/// JIT tiering and heap growth under a new load are a start-up transient, not the steady state the window measures.
/// </param>
public sealed record LoadOptions(int Clients, int SignalsPerSecond, double Seconds, int StalledClients, int? Workers, Uri? Url, bool DataBatches = true, bool MessagePack = false, double WarmUpSeconds = LoadOptions.DefaultWarmUpSeconds)
{
    public const double DefaultWarmUpSeconds = 10;

    public const int ClientsPerWorker = 2500;

    /// <summary>How many client processes hold the clients (0 = this process).</summary>
    public int WorkerCount => Workers ?? (Clients + ClientsPerWorker - 1) / ClientsPerWorker;

    public static LoadOptions? Parse(IReadOnlyList<string> args, out string error)
    {
        var (clients, rate, seconds, stalled, workers, url, batches, messagePack, warmUp) = (100, 1000, 20.0, 0, (int?)null, (Uri?)null, true, false, DefaultWarmUpSeconds);
        for (var i = 0; i < args.Count; i += 2)
        {
            var value = i + 1 < args.Count ? args[i + 1] : null;
            int parsedWorkers = 0;
            var ok = args[i] switch
            {
                "--clients" => int.TryParse(value, CultureInfo.InvariantCulture, out clients) && clients is >= 1 and <= 50_000,
                "--signals-per-second" => int.TryParse(value, CultureInfo.InvariantCulture, out rate) && rate is >= 0 and <= 1_000_000,
                "--seconds" => double.TryParse(value, CultureInfo.InvariantCulture, out seconds) && seconds is >= 1 and <= 3600,
                "--stalled-clients" => int.TryParse(value, CultureInfo.InvariantCulture, out stalled) && stalled is >= 0 and <= 1000,
                "--workers" => int.TryParse(value, CultureInfo.InvariantCulture, out parsedWorkers) && parsedWorkers is >= 0 and <= 64,
                "--url" => Uri.TryCreate(value, UriKind.Absolute, out url),
                "--data" => TryParseDataMode(value, out batches),
                "--protocol" => TryParseProtocol(value, out messagePack),
                "--warmup-seconds" => double.TryParse(value, CultureInfo.InvariantCulture, out warmUp) && warmUp is >= 0 and <= 600,
                _ => false,
            };
            if (!ok)
            {
                error = $"load: bad or unknown option {args[i]} {value} (--clients 1..50000, --signals-per-second 0..1000000, --seconds 1..3600, --stalled-clients 0..1000, --workers 0..64, --url http://host:port, --data batches|updates, --protocol json|messagepack, --warmup-seconds 0..600)";
                return null;
            }

            if (args[i] == "--workers")
            {
                workers = parsedWorkers;
            }
        }

        error = "";
        return new LoadOptions(clients, rate, seconds, stalled, workers, url, batches, messagePack, warmUp);
    }

    /// <summary>The <c>--data</c> value: <c>batches</c> (DataBatch, the default) or <c>updates</c> (DataUpdate per datum).</summary>
    public static bool TryParseDataMode(string? value, out bool batches)
    {
        batches = value != "updates";
        return value is "batches" or "updates";
    }

    public string DataMode => DataBatches ? "batches" : "updates";

    /// <summary>The <c>--protocol</c> value: <c>json</c> (the default, as the browser dashboard) or <c>messagepack</c>.</summary>
    public static bool TryParseProtocol(string? value, out bool messagePack)
    {
        messagePack = value == "messagepack";
        return value is "json" or "messagepack";
    }

    public string Protocol => MessagePack ? "messagepack" : "json";
}
