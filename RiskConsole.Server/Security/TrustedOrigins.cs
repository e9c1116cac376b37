using Microsoft.AspNetCore.HostFiltering;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using RiskConsole.Server.Configuration;

namespace RiskConsole.Server.Security;

/// <summary>
/// Which browser origins may change state here or open a WebSocket. Only configuration decides, never the request's own
/// Host header: a DNS-rebinding page is served from the attacker's name resolved to this server, so its Host and Origin
/// are equal and "same origin" would prove nothing. An origin is trusted when it is listed in Server:AllowedOrigins,
/// when its host is an IP literal or localhost (a page on those names cannot be rebound by someone else's DNS), or when
/// its host is listed in AllowedHosts and that list is not "*" (host filtering then refuses any other Host as well).
/// </summary>
public sealed class TrustedOrigins
{
    private readonly HashSet<string> _allowedOrigins;
    private readonly List<StringSegment> _allowedHosts;

    public TrustedOrigins(IOptions<ServerOptions> server, IOptions<HostFilteringOptions> hostFiltering)
    {
        _allowedOrigins = new HashSet<string>(server.Value.AllowedOrigins.Select(Normalize).OfType<string>(), StringComparer.Ordinal);
        var hosts = hostFiltering.Value.AllowedHosts ?? [];

        // A "*" anywhere lets any Host through host filtering, so no name in the list can be relied on.
        _allowedHosts = hosts.Any(h => h.Trim() == "*") ? [] : [.. hosts.Where(h => !string.IsNullOrWhiteSpace(h)).Select(h => new StringSegment(h.Trim()))];
    }

    /// <summary>True when the AllowedHosts list names hosts (it is not "*"): the refusal then points there first.</summary>
    public bool HostsConfigured => _allowedHosts.Count > 0;

    public bool IsTrusted(string? origin)
    {
        if (Normalize(origin) is not { } normalized)
        {
            return false;
        }

        var uri = new Uri(normalized);
        return _allowedOrigins.Contains(normalized)
            || uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6
            || string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (_allowedHosts.Count > 0 && HostString.MatchesAny(uri.Host, _allowedHosts));
    }

    /// <summary>
    /// scheme://host[:port] in lower case without a default port, or null for anything that is not an http(s) origin
    /// (the opaque "null" of sandboxed frames and file pages, a path, a user name).
    /// </summary>
    private static string? Normalize(string? origin)
    {
        if (!Uri.TryCreate(origin?.TrimEnd('/'), UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https")
            || uri.UserInfo.Length > 0
            || uri.PathAndQuery != "/"
            || uri.Fragment.Length > 0)
        {
            return null;
        }

        return uri.GetLeftPart(UriPartial.Authority).ToLowerInvariant();
    }
}
