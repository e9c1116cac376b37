namespace RiskConsole.Server.Legacy;

/// <summary>DATA_UPDATE payload: the seed's {source, data} with data in the seed's per-source shape, plus additions.</summary>
public sealed record LegacyDataUpdate(string Source, object Data, bool Mock, DateTimeOffset At);
