namespace RiskConsole.Core.Contracts;

/// <summary>
/// The hub methods a client may call (client → server) at /hubs/risk, each answering the caller alone. The server's
/// hub implements it, and a .NET client can use the names and types from here instead of retyping them
/// (for example <c>connection.InvokeAsync&lt;RiskStatus&gt;(nameof(IRiskHub.GetStatus))</c>).
/// </summary>
public interface IRiskHub
{
    /// <summary>Hub path, relative to the server's base address.</summary>
    const string Path = "/hubs/risk";

    RiskStatus GetStatus();

    RiskStatistics GetStatistics();

    /// <summary>Starts an interrupt now; a refusal (not allowed, rate-limited, busy) is a HubException with the reason.</summary>
    ForceInterruptResult ForceInterrupt();

    /// <summary>Joins <paramref name="topics"/> (see <see cref="RiskTopics"/>); an unknown topic is refused naming the valid ones.</summary>
    Task<SubscriptionState> Subscribe(string[] topics);

    Task<SubscriptionState> Unsubscribe(string[] topics);

    /// <summary>
    /// From now on this connection receives its data as one <see cref="IRiskClient.DataBatch"/> per publish tick (the
    /// data of its subscribed sources only) instead of one <see cref="IRiskClient.DataUpdate"/> per datum. For the life
    /// of the connection; a new connection (also after an automatic reconnect that is not stateful) starts with
    /// DataUpdate and must call it again. Returns the caller's topics.
    /// </summary>
    Task<SubscriptionState> UseDataBatches();

    /// <summary>
    /// The published scores from <paramref name="from"/> until <paramref name="until"/> (at most 366 days), downsampled to at
    /// most <paramref name="maxPoints"/> buckets (1–5000) that keep each bucket's min, max and last score, plus the
    /// interrupts in that range; read from the signal journal, so it survives a restart. A bad range is a HubException.
    /// </summary>
    Task<ScoreHistory> GetHistory(DateTimeOffset from, DateTimeOffset until, int maxPoints);
}
