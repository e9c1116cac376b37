using System.Security.Cryptography;
using System.Text;

namespace RiskConsole.Server.Security;

/// <summary>The one comparison of a presented admin key (Server:AdminKey) with the configured one, for every door that accepts it.</summary>
public static class AdminKey
{
    /// <summary>False when no key is configured or none was presented, whatever the other side holds.</summary>
    public static bool Matches(string? expected, string? presented)
    {
        if (string.IsNullOrEmpty(expected) || string.IsNullOrEmpty(presented))
        {
            return false;
        }

        // Constant-time comparison of hashes: neither the content nor the length of the key leaks through timing.
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
    }
}
