using RiskConsole.Core.Contracts;

namespace RiskConsole.Engine.Publishing;

/// <summary>What the sender sends, in order.</summary>
internal abstract record OutboundMessage
{
    private OutboundMessage()
    {
    }

    public sealed record State(RiskScoreUpdate? Score) : OutboundMessage;

    public sealed record Alert(AlertNotice Notice) : OutboundMessage;

    public sealed record Interrupt(InterruptNotice Notice) : OutboundMessage;

    public sealed record Join(Func<RiskScoreUpdate, Task> Run, TaskCompletionSource Done) : OutboundMessage;
}
