namespace RiskConsole.Server.Legacy;

public sealed record LegacyMarketData(string MarketId, string Question, double Probability, DateTimeOffset Timestamp);
