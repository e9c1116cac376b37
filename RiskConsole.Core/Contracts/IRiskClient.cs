namespace RiskConsole.Core.Contracts;

/// <summary>
/// The client methods of the strongly typed hub (server → client). .NET client apps reference this
/// assembly and bind their handlers to these names, so renaming a method is a breaking wire change.
/// </summary>
public interface IRiskClient
{
    Task RiskScore(RiskScoreUpdate update);

    Task Interrupt(InterruptNotice notice);

    Task Alert(AlertNotice alert);

    Task DataUpdate(DataUpdate update);
}
