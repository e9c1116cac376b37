using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace RiskConsole.Server.Configuration;

/// <summary>
/// Strict reading of the addresses settings hold (listen host, trusted proxies). <see cref="IPAddress.TryParse(string?, out IPAddress?)"/>
/// alone also accepts inet_aton shorthands such as "10.0.0" or "1" and IPv6 text with a prefix length, which nobody writes
/// on purpose: a typo must stop the server, not quietly name another address.
/// </summary>
internal static partial class AddressSyntax
{
    public static bool TryParseAddress(string? text, [NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        if (string.IsNullOrEmpty(text) || text.Contains('/', StringComparison.Ordinal) || !IPAddress.TryParse(text, out var parsed))
        {
            return false;
        }

        var canonical = parsed.AddressFamily == AddressFamily.InterNetworkV6
            ? text.Contains(':', StringComparison.Ordinal)
            : parsed.AddressFamily == AddressFamily.InterNetwork && string.Equals(parsed.ToString(), text, StringComparison.Ordinal);
        address = canonical ? parsed : null;
        return canonical;
    }

    /// <summary>CIDR notation (10.0.0.0/8, fd00::/8) with no bits set beyond the prefix.</summary>
    public static bool TryParseNetwork(string? text, out IPNetwork network)
    {
        network = default;
        var slash = text?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        // 10.0.0.1/8 is refused rather than read as 10.0.0.0/8: it is more likely a typo than a network.
        return slash > 0 && TryParseAddress(text![..slash], out var address) && IPNetwork.TryParse(text, out network) && network.BaseAddress.Equals(address);
    }

    /// <summary>RFC 1123 host name: labels of letters, digits and inner hyphens, at most 63 each and 253 in all, and a top label that is not all digits.</summary>
    public static bool IsDnsHostName(string? text) =>
        !string.IsNullOrEmpty(text) && text.Length <= 253 && DnsHostName().IsMatch(text) && !text[(text.LastIndexOf('.') + 1)..].All(char.IsAsciiDigit);

    [GeneratedRegex(@"\A(?!-)[A-Za-z0-9-]{1,63}(?<!-)(\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))*\z", RegexOptions.CultureInvariant)]
    private static partial Regex DnsHostName();
}
