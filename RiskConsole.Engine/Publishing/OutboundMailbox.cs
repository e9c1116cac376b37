using System.Threading.Channels;
using RiskConsole.Core.Contracts;

namespace RiskConsole.Engine.Publishing;

/// <summary>
/// The engine's one ordered mailbox to the clients: scores, alerts, interrupts and the joins of new connections go
/// out in the order they happened, through one sender. A threshold alert therefore never overtakes the score it
/// describes, and a new connection gets the last score sent before it joined and every one after, with no gap or
/// repeat in Seq. Scores coalesce: a score followed directly by a newer one is skipped when the sender is behind,
/// so a slow send costs staleness, not memory. Alerts, interrupts and joins are never dropped.
/// </summary>
public sealed class OutboundMailbox
{
    /// <summary>Scores waiting beyond this are dropped (the newest state is sent anyway); far above a tick's worth.</summary>
    public const int MaxWaitingScores = 10_000;

    // Not SingleReader: that variant can neither count nor peek, and the sender peeks to skip superseded scores.
    private readonly Channel<OutboundMessage> _channel = Channel.CreateUnbounded<OutboundMessage>();
    private long _droppedScores;

    /// <summary>Score messages dropped because the sender was far behind.</summary>
    public long DroppedScores => Interlocked.Read(ref _droppedScores);

    internal ChannelReader<OutboundMessage> Reader => _channel.Reader;

    /// <summary>A publish tick: send this score (null = none new) and whatever data has come in since the last send.</summary>
    public void Publish(RiskScoreUpdate? score) => Publish(score, withData: true);

    /// <summary>A score evaluated between ticks (a bar closed): sent at once, ahead of the next tick's data.</summary>
    public void PublishScore(RiskScoreUpdate score) => Publish(score, withData: false);

    private void Publish(RiskScoreUpdate? score, bool withData)
    {
        if (_channel.Reader.Count >= MaxWaitingScores)
        {
            Interlocked.Increment(ref _droppedScores);
            return;
        }

        _channel.Writer.TryWrite(new OutboundMessage.State(score, withData));
    }

    public void Alert(AlertNotice alert) => _channel.Writer.TryWrite(new OutboundMessage.Alert(alert));

    public void Interrupt(InterruptNotice notice) => _channel.Writer.TryWrite(new OutboundMessage.Interrupt(notice));

    /// <summary>
    /// Runs <paramref name="join"/> in order with the broadcasts, handing it the last score sent to everyone: a join
    /// that adds a connection to the audience and sends it that score can neither miss the next broadcast nor see one
    /// twice. The returned task completes when the join has run.
    /// </summary>
    public Task JoinAsync(Func<RiskScoreUpdate, Task> join)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _channel.Writer.TryWrite(new OutboundMessage.Join(join, done));
        return done.Task;
    }
}
