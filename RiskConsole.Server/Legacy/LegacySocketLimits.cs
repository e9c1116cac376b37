namespace RiskConsole.Server.Legacy;

/// <summary>What every /ws socket shares: its queue size, when it counts as stalled, the clock, and the registry's drop counter.</summary>
internal sealed record LegacySocketLimits(int Capacity, TimeSpan SlowClientTimeout, TimeProvider Time, Action FrameDropped);
