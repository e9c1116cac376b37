using RiskConsole.Core.Contracts;

namespace RiskConsole.Server.Legacy;

public sealed record LegacyConnected(string Message, RiskStatistics Statistics);
