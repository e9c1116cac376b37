namespace RiskConsole.Server.Legacy;

/// <summary>The seed called the feed "source" and the compound "sentiment".</summary>
public sealed record LegacyRedditData(string Source, double Sentiment, string Text, DateTimeOffset Timestamp);
