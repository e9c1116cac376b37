using RiskConsole.Core.Signals;

namespace RiskConsole.Core.Contracts;

/// <summary>
/// The latest raw datum of one source and key (coalesced: a client gets the newest, not every tick).
/// <see cref="Source"/> is one of <see cref="DataSources"/>; <see cref="Data"/> carries a "$type"
/// discriminator so .NET clients get the concrete signal back.
/// </summary>
public sealed record DataUpdate(string Source, MarketSignal Data, bool Mock, DateTimeOffset At);

/// <summary>Source names as they appear on the wire and in group names ("data:" + source).</summary>
public static class DataSources
{
    public const string Crypto = "crypto";
    public const string Polymarket = "polymarket";
    public const string Reddit = "reddit";

    public static IReadOnlyList<string> All { get; } = [Crypto, Polymarket, Reddit];
}
