using RiskConsole.Core;

using RiskConsole.Ingest;

namespace RiskConsole.Server.Configuration;

/// <summary>How the server listens and who may use its testing aids. Section "Server".</summary>
public sealed class ServerOptions : IValidatableOptions
{
    public const string SectionName = "Server";

    public const int MinimumAdminKeyLength = 16;

    public string Host { get; set; } = "0.0.0.0";

    public int Port { get; set; } = 8000;

    /// <summary>ForceInterrupt and POST /test-interrupt without the admin key. Null means "only in Development".</summary>
    public bool? AllowTestInterrupts { get; set; }

    /// <summary>
    /// Presenting this key (header X-Admin-Key, or query adminKey for browsers) allows the testing aids anywhere; at least
    /// <see cref="MinimumAdminKeyLength"/> characters, because the per-address limit only slows guessing down.
    /// </summary>
    public string? AdminKey { get; set; }

    /// <summary>Cross-origin callers allowed for HTTP (CORS) and WebSockets; empty means same origin only.</summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>
    /// Reverse proxies (IP addresses and CIDR networks) whose X-Forwarded-For/Proto are believed. Empty: none, the
    /// headers are ignored and the peer address is the client. Also accepted as one string separated by ';' or ','.
    /// </summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Largest message a client may send over the hub or /ws; clients only send small commands.</summary>
    public int MaxClientMessageBytes { get; set; } = 8 * 1024;

    /// <summary>Attempts at the testing aids per client address per minute, allowed or not (bounds admin-key guessing too).</summary>
    public int TestInterruptAttemptsPerMinute { get; set; } = 6;

    /// <summary>Outbound frames a legacy /ws client may have queued before the oldest are dropped for that client alone.</summary>
    public int LegacySocketBufferFrames { get; set; } = 256;

    /// <summary>Messages a hub connection may have waiting; scores and data coalesce, so this mostly bounds distinct data keys and alerts.</summary>
    public int HubClientBufferMessages { get; set; } = 256;

    /// <summary>A client (hub or /ws) that has not taken a message for this long while some wait is disconnected.</summary>
    public double SlowClientTimeoutSeconds { get; set; } = 10;

    /// <summary>Open hub and /ws connections at most; beyond it new ones get 503 (about 47 KB each when idle, see docs/performance.md).</summary>
    public int MaxConnections { get; set; } = 10_000;

    /// <summary>Hub method calls, or /ws requests, one connection may make per second (twice that in a burst); beyond it they are refused.</summary>
    public int ClientCallsPerSecond { get; set; } = 10;

    /// <summary>A hub client that sends nothing (not even its keep-alive ping) for this long is closed.</summary>
    public double ClientTimeoutSeconds { get; set; } = 30;

    /// <summary>How often the server pings idle hub and /ws clients.</summary>
    public double KeepAliveSeconds { get; set; } = 15;

    /// <summary>A /ws client that does not answer a ping with a pong within this long is closed.</summary>
    public double WebSocketPongTimeoutSeconds { get; set; } = 20;

    /// <summary>
    /// Whether hub clients may negotiate stateful reconnect (replay of what they missed in a short drop). Off by default:
    /// every client re-syncs on reconnect anyway (the newest score at once, status, /history), while each such
    /// connection may hold <see cref="StatefulReconnectBufferBytes"/> of unacknowledged messages (1 GB at 10,000
    /// dashboards) and a client that never acknowledges holds shutdown for SignalR's own 5 s (docs/reliability.md).
    /// </summary>
    public bool AllowStatefulReconnects { get; set; }

    /// <summary>Unacknowledged bytes SignalR keeps per stateful-reconnect connection to replay after a drop; a client that never acknowledges stops here.</summary>
    public long StatefulReconnectBufferBytes { get; set; } = 100_000;

    public IEnumerable<string> Validate()
    {
        if (!IsListenHost(Host))
        {
            yield return $"{SectionName}:{nameof(Host)} (HOST) must be an IP address, localhost, * or +, or a DNS host name (was '{Host}').";
        }

        if (Port is < 0 or > 65535)
        {
            yield return $"{SectionName}:{nameof(Port)} (PORT) must be between 0 and 65535 (was {Port}).";
        }

        if (MaxClientMessageBytes is < 256 or > 1024 * 1024)
        {
            yield return $"{SectionName}:{nameof(MaxClientMessageBytes)} must be between 256 and 1048576 (was {MaxClientMessageBytes}).";
        }

        if (TestInterruptAttemptsPerMinute is < 1 or > 10_000)
        {
            yield return $"{SectionName}:{nameof(TestInterruptAttemptsPerMinute)} must be between 1 and 10000 (was {TestInterruptAttemptsPerMinute}).";
        }

        if (LegacySocketBufferFrames is < 1 or > 100_000)
        {
            yield return $"{SectionName}:{nameof(LegacySocketBufferFrames)} must be between 1 and 100000 (was {LegacySocketBufferFrames}).";
        }

        if (HubClientBufferMessages is < 16 or > 100_000)
        {
            yield return $"{SectionName}:{nameof(HubClientBufferMessages)} must be between 16 and 100000 (was {HubClientBufferMessages}).";
        }

        if (SlowClientTimeoutSeconds is < 0.1 or > 3600 || double.IsNaN(SlowClientTimeoutSeconds))
        {
            yield return $"{SectionName}:{nameof(SlowClientTimeoutSeconds)} must be between 0.1 and 3600 (was {SlowClientTimeoutSeconds}).";
        }

        if (MaxConnections is < 1 or > 1_000_000)
        {
            yield return $"{SectionName}:{nameof(MaxConnections)} must be between 1 and 1000000 (was {MaxConnections}).";
        }

        if (ClientCallsPerSecond is < 1 or > 10_000)
        {
            yield return $"{SectionName}:{nameof(ClientCallsPerSecond)} must be between 1 and 10000 (was {ClientCallsPerSecond}).";
        }

        if (KeepAliveSeconds is < 0.1 or > 3600 || double.IsNaN(KeepAliveSeconds))
        {
            yield return $"{SectionName}:{nameof(KeepAliveSeconds)} must be between 0.1 and 3600 (was {KeepAliveSeconds}).";
        }

        // SignalR's own rule: the client timeout must leave room for at least one keep-alive to arrive.
        if (ClientTimeoutSeconds < 2 * KeepAliveSeconds || ClientTimeoutSeconds > 86_400 || double.IsNaN(ClientTimeoutSeconds))
        {
            yield return $"{SectionName}:{nameof(ClientTimeoutSeconds)} must be at least twice {nameof(KeepAliveSeconds)} ({KeepAliveSeconds}) and at most 86400 (was {ClientTimeoutSeconds}).";
        }

        if (WebSocketPongTimeoutSeconds is < 0.1 or > 3600 || double.IsNaN(WebSocketPongTimeoutSeconds))
        {
            yield return $"{SectionName}:{nameof(WebSocketPongTimeoutSeconds)} must be between 0.1 and 3600 (was {WebSocketPongTimeoutSeconds}).";
        }

        if (StatefulReconnectBufferBytes is < 1024 or > 16 * 1024 * 1024)
        {
            yield return $"{SectionName}:{nameof(StatefulReconnectBufferBytes)} must be between 1024 and 16777216 (was {StatefulReconnectBufferBytes}).";
        }

        // The key's length only: the line goes to logs and consoles that the key must never reach.
        if (!string.IsNullOrEmpty(AdminKey) && AdminKey.Trim().Length < MinimumAdminKeyLength)
        {
            yield return $"{SectionName}:{nameof(AdminKey)} must be at least {MinimumAdminKeyLength} characters, not counting surrounding spaces (was {AdminKey.Trim().Length}); leave it empty for no key.";
        }

        foreach (var proxy in KnownProxies)
        {
            if (!AddressSyntax.TryParseAddress(proxy, out _) && !AddressSyntax.TryParseNetwork(proxy, out _))
            {
                yield return $"{SectionName}:{nameof(KnownProxies)} entries must be IP addresses or CIDR networks such as 10.0.0.0/8 (was '{proxy}').";
            }
        }

        foreach (var origin in AllowedOrigins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/")
            {
                yield return $"{SectionName}:{nameof(AllowedOrigins)} entries must be origins like https://example.com (was '{origin}').";
            }
        }
    }

    /// <summary>What Kestrel can listen on: an address (IPv6 with or without brackets), localhost, * or + for every interface, or a host name.</summary>
    private static bool IsListenHost(string? host) =>
        host is "*" or "+"
        || AddressSyntax.TryParseAddress(host is ['[', .. var inner, ']'] && inner.Contains(':', StringComparison.Ordinal) ? inner : host, out _)
        || AddressSyntax.IsDnsHostName(host);
}
