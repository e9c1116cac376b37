using System.Globalization;
using Microsoft.Extensions.Options;
using RiskConsole.Ai.Roasts;
using RiskConsole.Ai.Voice;
using RiskConsole.Core.Contracts;
using RiskConsole.Engine.Interrupts;
using RiskConsole.Ingest.Live;

namespace RiskConsole.Server.Probes;

/// <summary>
/// <c>dotnet run --project RiskConsole.Server -- probe roast</c> and <c>-- probe voice "text"</c>: one call to the
/// configured roast writer or speech synthesizer, with the same configuration and time budget as an interrupt, saying
/// plainly which service answered or why the console would fall back (the seed's generate_roast / generate_voice).
/// <c>-- probe binance|polymarket|reddit [--seconds N]</c>: one connection of that listener (see <see cref="LiveFeedProbe"/>).
/// Nothing else starts: no hosted listener, no router, no socket.
/// </summary>
public static class ProbeCommand
{
    public const string Verb = "probe";

    /// <summary>Whether <paramref name="args"/> asks for a probe.</summary>
    public static bool IsProbe(string[] args) => args.Length > 0 && string.Equals(args[0], Verb, StringComparison.OrdinalIgnoreCase);

    /// <summary>Runs the probe and returns the process exit code: 0 answered, 1 fell back or failed, 2 usage.</summary>
    public static async Task<int> RunProbeAsync(this WebApplication app, string[] args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var budget = TimeSpan.FromSeconds(app.Services.GetRequiredService<IOptions<InterruptWorkflowOptions>>().Value.InterruptBudgetSeconds);
        using var timeout = new CancellationTokenSource(budget);
        return args switch
        {
            [_, "roast"] => await RoastAsync(app.Services, output, timeout.Token),
            [_, "voice", var text] when !string.IsNullOrWhiteSpace(text) => await VoiceAsync(app.Services, text, output, timeout.Token),
            [_, var feed] when FeedSource(feed) is { } source => await FeedAsync(app.Services, source, DefaultFeedProbe, output),
            [_, var feed, "--seconds", var seconds] when FeedSource(feed) is { } source && ProbeSeconds(seconds) is { } duration =>
                await FeedAsync(app.Services, source, duration, output),
            _ => await UsageAsync(output),
        };
    }

    private static async Task<int> RoastAsync(IServiceProvider services, TextWriter output, CancellationToken cancellationToken)
    {
        var writer = services.GetRequiredService<IRoastWriter>();
        var context = SampleContext();
        try
        {
            var roast = await writer.WriteAsync(context, cancellationToken);
            await output.WriteLineAsync(writer is OfflineRoastWriter
                ? $"roast from {writer.Name} (no Ai:OpenAI:ApiKey / OPENAI_API_KEY configured):"
                : $"roast from {writer.Name}:");
            await output.WriteLineAsync(roast);
            return writer is OfflineRoastWriter ? 1 : 0;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // What an interrupt would do: say why, then send the offline roast.
            var reason = cancellationToken.IsCancellationRequested ? "timeout" : ex.Message;
            await output.WriteLineAsync($"roast writer {writer.Name} failed ({reason}); an interrupt would use the offline roast:");
            await output.WriteLineAsync(await services.GetRequiredService<OfflineRoastWriter>().WriteAsync(context, CancellationToken.None));
            return 1;
        }
    }

    private static async Task<int> VoiceAsync(IServiceProvider services, string text, TextWriter output, CancellationToken cancellationToken)
    {
        var voice = services.GetRequiredService<ISpeechSynthesizer>();
        try
        {
            var url = await voice.SynthesizeAsync(text, cancellationToken);
            var cache = services.GetRequiredService<AudioCache>();
            if (url is null)
            {
                await output.WriteLineAsync($"{voice.Name} makes no audio (no ElevenLabs key?); the dashboard would speak the text itself");
                return 1;
            }

            var written = cache.TryGetPath(url[AudioCache.UrlPrefix.Length..], out var path);
            await output.WriteLineAsync(written ? $"audio from {voice.Name}: {path} (served at {url})" : $"audio from {voice.Name} at {url}");
            return 0;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            var reason = cancellationToken.IsCancellationRequested ? "timeout" : ex.Message;
            await output.WriteLineAsync($"{voice.Name} failed ({reason}); an interrupt would go out without audio");
            return 1;
        }
    }

    private static async Task<int> UsageAsync(TextWriter output)
    {
        await output.WriteLineAsync("usage: dotnet run --project RiskConsole.Server -- probe roast | probe voice \"text to read\" | probe binance|polymarket|reddit [--seconds N]");
        return 2;
    }

    /// <summary>Long enough for a Reddit poll or a quiet Polymarket market to answer, short enough to wait for.</summary>
    private static readonly TimeSpan DefaultFeedProbe = TimeSpan.FromSeconds(15);

    /// <summary>The source a probe name stands for: the provider names users know, or the sources' own names.</summary>
    private static string? FeedSource(string name) => name.ToUpperInvariant() switch
    {
        "BINANCE" or "CRYPTO" => DataSources.Crypto,
        "POLYMARKET" => DataSources.Polymarket,
        "REDDIT" => DataSources.Reddit,
        _ => null,
    };

    private static TimeSpan? ProbeSeconds(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds is > 0 and <= 3600
            ? TimeSpan.FromSeconds(seconds)
            : null;

    /// <summary>One connection of the source's listener with the server's configuration, whatever Ingest:Mode says.</summary>
    private static async Task<int> FeedAsync(IServiceProvider services, string source, TimeSpan duration, TextWriter output)
    {
        var feed = services.GetServices<ILiveFeed>().FirstOrDefault(f => f.Source == source);
        if (feed is null)
        {
            await output.WriteLineAsync($"no live listener for {source} in this build");
            return 1;
        }

        return await new LiveFeedProbe(feed, services.GetRequiredService<TimeProvider>(), output).RunAsync(duration, CancellationToken.None);
    }

    /// <summary>A stormy moment with every kind of data, so a roast has something to talk about.</summary>
    private static RoastContext SampleContext() => new(
        86.5,
        new RiskComponents(0.82, 0.64, 0.71, 0.83, 1.2, 3, "BTCUSDT", 3.1, 0.4, 0.6, -0.42, false, false, false, false),
        new Dictionary<string, double>(StringComparer.Ordinal) { ["BTCUSDT"] = 58_210.5, ["ETHUSDT"] = 2_904.1, ["SOLUSDT"] = 121.7 },
        new Dictionary<string, double>(StringComparer.Ordinal) { ["Will BTC close below $50k this month?"] = 0.71 },
        [("Sold everything at the bottom again, great strategy", -0.74), ("HODL, this is fine", 0.2)],
        Forced: true);
}
