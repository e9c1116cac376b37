using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using RiskConsole.Server.Security;

namespace RiskConsole.Server.Logging;

/// <summary>
/// A token bucket of log lines per client address, so that no client, however fast it sends requests or hub calls,
/// can make the server write more than <see cref="ClientLogBudgetOptions.Burst"/> lines at once and
/// <see cref="ClientLogBudgetOptions.LinesPerSecond"/> after that. Whoever is about to log something a client caused
/// asks <see cref="TryLog"/> first and, on false, drops the line; <see cref="ClientLogBudgetReporter"/> then writes one
/// summary line per address and interval from <see cref="TakeSuppressed"/>, so a flood stays visible without being
/// written out. IPv6 clients are budgeted per /64 (one host can hold a whole /64); time comes from the
/// <see cref="TimeProvider"/>. Thread-safe.
/// </summary>
public sealed class ClientLogBudget
{
    /// <summary>The shared budget of every address beyond <see cref="ClientLogBudgetOptions.MaxTrackedClients"/>.</summary>
    public const string OtherClients = "(other clients)";

    private readonly ConcurrentDictionary<string, Bucket> _clients = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly double _linesPerSecond;
    private readonly int _burst;
    private readonly int _maxTrackedClients;
    private int _tracked;
    private long _totalSuppressed;

    public ClientLogBudget(IOptions<ClientLogBudgetOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _linesPerSecond = options.Value.LinesPerSecond;
        _burst = options.Value.Burst;
        _maxTrackedClients = options.Value.MaxTrackedClients;
    }

    /// <summary>Lines refused since start, over every address.</summary>
    public long TotalSuppressed => Interlocked.Read(ref _totalSuppressed);

    /// <summary>
    /// Spends one line of <paramref name="clientAddress"/>'s budget: true means log the line, false means drop it (it is
    /// counted for the next summary). Pass the connection's remote address as a string, e.g. from
    /// HttpContext.Connection.RemoteIpAddress, after the forwarded headers are applied.
    /// </summary>
    public bool TryLog(string clientAddress)
    {
        var now = _time.GetTimestamp();
        while (true)
        {
            var bucket = BucketFor(ClientKey(clientAddress), now);
            lock (bucket)
            {
                if (bucket.Removed)
                {
                    // Swept as idle between the lookup and the lock: take the fresh one, or the client gets a second burst.
                    continue;
                }

                if (bucket.Allowance.TryTake(now, _time))
                {
                    return true;
                }

                if (bucket.Suppressed == 0)
                {
                    bucket.FirstSuppressedAt = now;
                }

                bucket.Suppressed++;
            }

            Interlocked.Increment(ref _totalSuppressed);
            return false;
        }
    }

    /// <summary>
    /// Every address with lines dropped since the last call, with how many and since when, and resets those counts.
    /// Addresses whose budget has refilled and that dropped nothing are forgotten here, which keeps the table small.
    /// </summary>
    public IReadOnlyList<SuppressedLogLines> TakeSuppressed()
    {
        var now = _time.GetTimestamp();
        var suppressed = new List<SuppressedLogLines>();
        foreach (var (address, bucket) in _clients)
        {
            lock (bucket)
            {
                if (bucket.Suppressed > 0)
                {
                    suppressed.Add(new SuppressedLogLines(address, bucket.Suppressed, _time.GetElapsedTime(bucket.FirstSuppressedAt, now)));
                    bucket.Suppressed = 0;
                    continue;
                }

                if (bucket.Allowance.IsFull(now, _time) && _clients.TryRemove(new KeyValuePair<string, Bucket>(address, bucket)))
                {
                    bucket.Removed = true;
                    Interlocked.Decrement(ref _tracked);
                }
            }
        }

        return suppressed;
    }

    /// <summary>The budget an address spends: itself, its /64 for IPv6, the IPv4 address inside an IPv4-mapped one.</summary>
    internal static string ClientKey(string clientAddress)
    {
        if (!IPAddress.TryParse(clientAddress, out var address))
        {
            return clientAddress;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6 || IPAddress.IsLoopback(address))
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return $"{new IPAddress(bytes)}/64";
    }

    private Bucket BucketFor(string key, long now)
    {
        if (_clients.TryGetValue(key, out var existing))
        {
            return existing;
        }

        if (Volatile.Read(ref _tracked) >= _maxTrackedClients)
        {
            key = OtherClients;
            if (_clients.TryGetValue(key, out existing))
            {
                return existing;
            }
        }

        var created = new Bucket(new TokenBucket(_linesPerSecond, _burst, now));
        if (_clients.TryAdd(key, created))
        {
            Interlocked.Increment(ref _tracked);
            return created;
        }

        return _clients.TryGetValue(key, out existing) ? existing : BucketFor(key, now);
    }

    /// <summary>One address's budget; fields, because every access holds the bucket's lock.</summary>
    private sealed class Bucket(TokenBucket allowance)
    {
        public readonly TokenBucket Allowance = allowance;
        public long Suppressed;
        public long FirstSuppressedAt;
        public bool Removed;
    }
}

/// <summary>Lines an address was refused since the last summary, and over how long (from the first refused line).</summary>
public sealed record SuppressedLogLines(string ClientAddress, long Count, TimeSpan Over);
