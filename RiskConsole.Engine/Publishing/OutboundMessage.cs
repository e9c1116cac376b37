using RiskConsole.Core.Contracts;

namespace RiskConsole.Engine.Publishing;

/// <summary>What the sender sends, in order.</summary>
internal abstract record OutboundMessage
{
    private OutboundMessage()
    {
    }

    /// <param name="WithData">A publish tick also sends the data that came in since the last one; a score sent between ticks does not.</param>
    public sealed record State(RiskScoreUpdate? Score, bool WithData = true) : OutboundMessage;

    public sealed record Alert(AlertNotice Notice) : OutboundMessage;

    public sealed record Interrupt(InterruptNotice Notice) : OutboundMessage;

    public sealed record Join(Func<RiskScoreUpdate, Task> Run, TaskCompletionSource Done) : OutboundMessage;
}
