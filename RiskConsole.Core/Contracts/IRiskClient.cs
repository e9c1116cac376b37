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

    /// <summary>One datum, to connections that have not called <see cref="IRiskHub.UseDataBatches"/> (and /ws as DATA_UPDATE).</summary>
    Task DataUpdate(DataUpdate update);

    /// <summary>
    /// A publish tick's data in one message. The engine hands its port one batch per tick; the server sends it as one
    /// frame to connections that called <see cref="IRiskHub.UseDataBatches"/> (only the data of their topics) and as
    /// separate <see cref="DataUpdate"/>s to the others.
    /// </summary>
    Task DataBatch(DataBatch batch);
}
