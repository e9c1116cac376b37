namespace RiskConsole.Core.Contracts;

/// <summary>The answer to Subscribe/Unsubscribe: the caller's topics afterwards.</summary>
public sealed record SubscriptionState(string[] Topics);
