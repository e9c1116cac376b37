namespace RiskConsole.Core.Contracts;

/// <summary>
/// The client methods of the strongly typed hub (server → client). .NET client apps reference this
/// assembly and bind their handlers to these names, so renaming a method is a breaking wire change.
/// Every payload type is a [DataContract] whose [DataMember] names are its camelCase JSON names: MessagePack-CSharp
/// honours them, so both hub protocols carry the same field names with no formatter on either side (System.Text.Json
/// ignores these attributes; its names come from the server's camelCase policy).
/// </summary>
public interface IRiskClient
{
    Task RiskScore(RiskScoreUpdate update);

    Task Interrupt(InterruptNotice notice);

    Task Alert(AlertNotice alert);

    Task DataUpdate(DataUpdate update);
}
