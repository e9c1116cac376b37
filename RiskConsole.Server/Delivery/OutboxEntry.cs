using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using RiskConsole.Core.Contracts;

namespace RiskConsole.Server.Delivery;

/// <summary>
/// One broadcast waiting in connections' outboxes: serialized once for all of them (per protocol, on first use) by
/// <see cref="SerializedHubMessage"/>. <see cref="Source"/> and <see cref="Key"/> say which datum a data entry is.
/// </summary>
public readonly record struct OutboxEntry(OutboxEntryKind Kind, SerializedHubMessage Message, string? Source = null, string? Key = null)
{
    /// <summary>The entry for a call of client method <paramref name="method"/>; what may give way when a client is behind follows from the method.</summary>
    public static OutboxEntry For(string method, object?[] args)
    {
        var message = new SerializedHubMessage(new InvocationMessage(method, args));
        return method switch
        {
            nameof(IRiskClient.RiskScore) => new OutboxEntry(OutboxEntryKind.Score, message),
            nameof(IRiskClient.DataUpdate) when args is [DataUpdate update] => new OutboxEntry(OutboxEntryKind.Data, message, update.Source, update.Data.Key),
            nameof(IRiskClient.DataBatch) => new OutboxEntry(OutboxEntryKind.Batch, message),
            nameof(IRiskClient.Interrupt) => new OutboxEntry(OutboxEntryKind.Interrupt, message),
            // Alerts, and any method this enum does not know, are never dropped.
            _ => new OutboxEntry(OutboxEntryKind.Alert, message),
        };
    }
}

/// <summary>What may give way when a connection is behind: a newer score replaces a score, a newer batch a batch, a newer datum of the same key a datum; alerts and interrupts never.</summary>
public enum OutboxEntryKind
{
    Score,
    Data,
    Batch,
    Alert,
    Interrupt,
}
