using System.Reflection;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using RiskConsole.Ai;
using RiskConsole.Ai.Voice;
using RiskConsole.Core.Contracts;
using RiskConsole.Core.Interrupts;
using RiskConsole.Core.Risk;
using RiskConsole.Engine;
using RiskConsole.Engine.Interrupts;
using RiskConsole.Engine.Journal;
using RiskConsole.Engine.Publishing;
using RiskConsole.Engine.Scoring;
using RiskConsole.Ingest;
using RiskConsole.Server.Configuration;
using RiskConsole.Server.Delivery;
using RiskConsole.Server.Legacy;
using RiskConsole.Server.Logging;
using RiskConsole.Server.Observability;
using RiskConsole.Server.Security;

namespace RiskConsole.Server.Endpoints;

/// <summary>The REST API: /, /stats, /config, POST /test-interrupt, /audio/{file}.</summary>
public static class ApiEndpoints
{
    public static IEndpointRouteBuilder MapRiskApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", Root).ExcludeFromDescription();
        endpoints.MapGet(RoutePaths.Stats, (ConsoleStatus status, IRiskConsole engine, LegacySocketRegistry legacy, HubAudience hub) => new StatsResponse(
            status.GetStatistics(),
            status.HubConnections,
            status.LegacyConnections,
            engine.SignalBacklog,
            legacy.DroppedFrames,
            engine.FaultCounts(),
            engine.Losses().DroppedScores,
            engine.Losses().UndeliveredInterrupts)
        {
            HubDroppedMessages = hub.DroppedMessages,
            SlowHubClientsDisconnected = hub.SlowDisconnects,
            SlowLegacyClientsDisconnected = legacy.SlowDisconnects,
            Sources = engine.Sources(),
        });
        endpoints.MapGet(RoutePaths.Config, Config);
        endpoints.MapPost(RoutePaths.TestInterrupt, TestInterrupt);
        endpoints.MapGet(RoutePaths.Audio, Audio);
        return endpoints;
    }

    /// <summary>Browsers get the dashboard page; API clients (anything not asking for HTML) get what this server is.</summary>
    private static IResult Root(HttpContext http, IWebHostEnvironment environment)
    {
        var wantsHtml = http.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));
        var page = environment.WebRootFileProvider.GetFileInfo("index.html");
        if (wantsHtml && page.Exists)
        {
            return Results.Stream(page.CreateReadStream(), "text/html; charset=utf-8");
        }

        return Results.Ok(new ApiInfo(
            "RiskConsole",
            typeof(ApiEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0",
            "Real-time risk console: one explainable 0-100 score from crypto prices, prediction markets and Reddit sentiment.",
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["hub"] = RoutePaths.Hub,
                ["legacyWebSocket"] = RoutePaths.LegacyWebSocket,
                ["health"] = RoutePaths.Health,
                ["live"] = RoutePaths.Live,
                ["ready"] = RoutePaths.Ready,
                ["stats"] = RoutePaths.Stats,
                ["config"] = RoutePaths.Config,
                ["history"] = RoutePaths.History,
                ["testInterrupt"] = "POST " + RoutePaths.TestInterrupt,
                ["audio"] = RoutePaths.Audio,
            }));
    }

    /// <summary>Safe values only: settings and whether keys are configured, never a key, token or secret.</summary>
    private static ConfigResponse Config(
        IOptions<RiskModelOptions> model,
        IOptions<InterruptPolicyOptions> policy,
        IOptions<RiskPublishOptions> publish,
        IOptions<IngestOptions> ingest,
        IOptions<ServerOptions> server,
        IOptions<InterruptWorkflowOptions> workflow,
        IOptions<OpenAIOptions> openAI,
        IOptions<ElevenLabsOptions> elevenLabs,
        IOptions<HostFilteringOptions> hostFiltering,
        TestInterruptGate gate,
        TelemetryExport telemetry,
        IOptions<ClientLogBudgetOptions> logBudget,
        IOptions<JournalOptions> journal,
        IWebHostEnvironment environment) =>
        new(
            environment.EnvironmentName,
            new RiskSettings(
                policy.Value.Threshold,
                policy.Value.CooldownSeconds,
                policy.Value.HysteresisPoints,
                publish.Value.PublishIntervalMs,
                model.Value.BarSeconds,
                model.Value.CryptoWindow,
                model.Value.PolymarketWindow,
                model.Value.RedditWindow,
                model.Value.ReferenceVolatility,
                model.Value.CryptoWeight,
                model.Value.PolymarketWeight,
                model.Value.RedditWeight,
                model.Value.NormalizerWindow,
                model.Value.MinimumSpan,
                model.Value.LatenessSeconds,
                model.Value.FutureToleranceSeconds,
                model.Value.CryptoReturnSeconds,
                model.Value.CryptoMaxAgeSeconds,
                model.Value.PolymarketMaxAgeSeconds,
                model.Value.RedditMaxAgeSeconds,
                policy.Value.CooldownBackoffFactor,
                policy.Value.MaxCooldownSeconds,
                policy.Value.NewHighPoints,
                policy.Value.EpisodeQuietSeconds)
            {
                DrawdownLookbackSeconds = model.Value.DrawdownLookbackSeconds,
                DrawdownStart = model.Value.DrawdownStart,
                DrawdownFull = model.Value.DrawdownFull,
            },
            new IngestSettings(ingest.Value.Mode, ingest.Value.FallbackAfterSeconds)
            {
                ConnectTimeoutSeconds = ingest.Value.ConnectTimeoutSeconds,
                ReconnectDelaySeconds = ingest.Value.ReconnectDelaySeconds,
                ReconnectMaxDelaySeconds = ingest.Value.ReconnectMaxDelaySeconds,
                CircuitBreakAfterFailures = ingest.Value.CircuitBreakAfterFailures,
                CircuitBreakSeconds = ingest.Value.CircuitBreakSeconds,
            },
            new AiSettings(
                SafeUrl(openAI.Value.Endpoint),
                openAI.Value.Model,
                openAI.Value.KeyConfigured,
                SafeUrl(elevenLabs.Value.BaseUrl),
                elevenLabs.Value.VoiceId,
                elevenLabs.Value.ModelId,
                elevenLabs.Value.KeyConfigured),
            new ServerSettings(
                gate.AllowedWithoutKey,
                !string.IsNullOrEmpty(server.Value.AdminKey),
                server.Value.AllowedOrigins,
                workflow.Value.InterruptBudgetSeconds,
                server.Value.KnownProxies,
                [.. hostFiltering.Value.AllowedHosts]),
            new TelemetrySettings(
                telemetry.PrometheusEnabled,
                telemetry.Otlp is { } otlp ? SafeUrl(otlp.Endpoint.ToString()) : null,
                telemetry.Otlp?.Protocol,
                telemetry.Otlp?.ExportIntervalMs,
                telemetry.Otlp?.ConfiguredBy,
                new LogBudgetSettings(logBudget.Value.LinesPerSecond, logBudget.Value.Burst, logBudget.Value.SummaryIntervalSeconds)))
        {
            Journal = new JournalSettings(
                journal.Value.Enabled,
                journal.Value.Path,
                journal.Value.RetentionDays,
                journal.Value.CleanupIntervalMinutes,
                journal.Value.QueueCapacity,
                journal.Value.BatchSize,
                journal.Value.FlushIntervalMs,
                journal.Value.LockTimeoutSeconds,
                journal.Value.RetrySeconds,
                journal.Value.MaxSizeMegabytes),
        };

    private static IResult TestInterrupt(HttpContext http, TestInterruptGate gate)
    {
        var result = gate.TryForce(TestInterruptGate.PresentedKey(http), TestInterruptGate.ClientAddress(http));
        if (result.RetryAfter is { } retry)
        {
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return result.Outcome switch
        {
            TestInterruptOutcome.Started => Results.Accepted(value: new TestInterruptAccepted(true, result.Message)),
            TestInterruptOutcome.Forbidden => Results.Problem(title: "Test interrupts are not allowed", detail: result.Message, statusCode: StatusCodes.Status403Forbidden),
            TestInterruptOutcome.RateLimited => Results.Problem(title: "Too many requests", detail: result.Message, statusCode: StatusCodes.Status429TooManyRequests),
            _ => Results.Problem(title: "Interrupt in progress", detail: result.Message, statusCode: StatusCodes.Status409Conflict),
        };
    }

    /// <summary>Only names the audio cache itself produced and still holds; everything else is a plain 404.</summary>
    private static IResult Audio(string file, AudioCache cache, HttpContext http)
    {
        if (!cache.TryGetPath(file, out var path))
        {
            return Results.NotFound();
        }

        // A name is a hash of what was read aloud and how: its content never changes, so browsers may keep it for good.
        http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
        return Results.File(path, "audio/mpeg", enableRangeProcessing: true);
    }

    /// <summary>A URL without any user-info part (https://user:secret@host would leak a credential).</summary>
    internal static string SafeUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
            ? new UriBuilder(uri) { UserName = string.Empty, Password = string.Empty }.Uri.GetLeftPart(UriPartial.Path)
            : "(invalid url)";
}

public sealed record ApiInfo(string Name, string Version, string Description, IReadOnlyDictionary<string, string> Endpoints);

public sealed record StatsResponse(
    RiskStatistics Statistics,
    int HubConnections,
    int LegacyConnections,
    int SignalBacklog,
    long LegacyDroppedFrames,
    RouterFaultCounts RouterFaults,
    long OutboundDroppedScores,
    long UndeliveredInterrupts)
{
    /// <summary>Scores and data superseded in the outboxes of hub clients that did not keep up.</summary>
    public long HubDroppedMessages { get; init; }

    /// <summary>Hub clients disconnected because they took nothing for Server:SlowClientTimeoutSeconds.</summary>
    public long SlowHubClientsDisconnected { get; init; }

    /// <summary>/ws clients aborted for the same reason.</summary>
    public long SlowLegacyClientsDisconnected { get; init; }

    /// <summary>Each source: mode and since when, messages, dropped messages and connection errors, the last error.</summary>
    public IReadOnlyList<SourceStatus> Sources { get; init; } = [];
}

public sealed record TestInterruptAccepted(bool Accepted, string Message);

public sealed record ConfigResponse(string Environment, RiskSettings Risk, IngestSettings Ingest, AiSettings Ai, ServerSettings Server, TelemetrySettings Telemetry)
{
    /// <summary>The signal journal's settings (Journal:*); its state is in /health.</summary>
    public JournalSettings? Journal { get; init; }
}

public sealed record RiskSettings(
    double Threshold,
    double CooldownSeconds,
    double HysteresisPoints,
    int PublishIntervalMs,
    double BarSeconds,
    int CryptoWindow,
    int PolymarketWindow,
    int RedditWindow,
    double ReferenceVolatility,
    double CryptoWeight,
    double PolymarketWeight,
    double RedditWeight,
    int NormalizerWindow,
    double MinimumSpan,
    double LatenessSeconds,
    double FutureToleranceSeconds,
    double CryptoReturnSeconds,
    double CryptoMaxAgeSeconds,
    double PolymarketMaxAgeSeconds,
    double RedditMaxAgeSeconds,
    double CooldownBackoffFactor,
    double MaxCooldownSeconds,
    double NewHighPoints,
    double EpisodeQuietSeconds)
{
    /// <summary>The fall term (docs/risk-model.md): the lookback of the high, and the drawdowns where it starts and is full.</summary>
    public double DrawdownLookbackSeconds { get; init; }

    public double DrawdownStart { get; init; }

    public double DrawdownFull { get; init; }
}

public sealed record IngestSettings(string Mode, double FallbackAfterSeconds)
{
    public double ConnectTimeoutSeconds { get; init; }

    public double ReconnectDelaySeconds { get; init; }

    public double ReconnectMaxDelaySeconds { get; init; }

    public int CircuitBreakAfterFailures { get; init; }

    public double CircuitBreakSeconds { get; init; }
}

public sealed record AiSettings(
    string OpenAIEndpoint,
    string OpenAIModel,
    bool OpenAIKeyConfigured,
    string ElevenLabsBaseUrl,
    string ElevenLabsVoiceId,
    string ElevenLabsModelId,
    bool ElevenLabsKeyConfigured);

public sealed record ServerSettings(bool TestInterruptsAllowedWithoutKey, bool AdminKeyConfigured, string[] AllowedOrigins, double InterruptBudgetSeconds, string[] KnownProxies, string[] AllowedHosts);

/// <summary>What is exported and where (the collector URL without any credential; OTLP headers are never shown), and the log budget.</summary>
public sealed record TelemetrySettings(
    bool PrometheusEnabled,
    string? OtlpEndpoint,
    string? OtlpProtocol,
    int? OtlpExportIntervalMs,
    string? OtlpConfiguredBy,
    LogBudgetSettings LogBudget);

/// <summary>Journal:* as bound (the database file is the server's own path; no secret is kept in it).</summary>
public sealed record JournalSettings(
    bool Enabled,
    string Path,
    double RetentionDays,
    double CleanupIntervalMinutes,
    int QueueCapacity,
    int BatchSize,
    int FlushIntervalMs,
    double LockTimeoutSeconds,
    double RetrySeconds,
    int MaxSizeMegabytes);

public sealed record LogBudgetSettings(double LinesPerSecond, int Burst, int SummaryIntervalSeconds);
