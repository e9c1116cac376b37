namespace RiskConsole.Server.Delivery;

/// <param name="Capacity">Messages a hub connection may have waiting (scores and data coalesce, so this bounds alerts and distinct data keys).</param>
/// <param name="SlowClientTimeout">A connection that has not taken a message for this long while some wait is disconnected.</param>
public sealed record OutboxLimits(int Capacity, TimeSpan SlowClientTimeout);
