namespace RiskConsole.Server.Legacy;

public sealed record LegacyCryptoData(string Symbol, double Price, DateTimeOffset Timestamp);
