using RiskConsole.Core.Signals;

namespace RiskConsole.Ingest.Live;

/// <summary>What a listener reports to its <see cref="LiveSource"/> while a connection runs. Thread-safe.</summary>
public interface ILiveFeedSink
{
    /// <summary>
    /// Any message arrived from the upstream (a frame, a PONG, a polled page): counted in the source's status as a
    /// message with its time, and proof that the connection is not silent.
    /// </summary>
    void MessageReceived();

    /// <summary>
    /// The connection is open (or the first poll answered). <paramref name="detail"/> says how the data comes,
    /// e.g. "stream wss://.../stream?streams=btcusdt@trade" or "REST polling (stream refused: HTTP 451)"; it is
    /// shown in the status while the source is live.
    /// </summary>
    void Connected(string detail);

    /// <summary>
    /// A message was dropped: not JSON, the wrong shape, a number that does not parse or is out of range, too large,
    /// binary. Counted with its reason and logged at debug; a burst is summed up in one warning. Never a reason to
    /// reconnect. <paramref name="reason"/> is short and names what was wrong, not the payload.
    /// </summary>
    void FrameRejected(string reason);

    /// <summary>
    /// Writes a parsed, valid signal (IsMock = false, stamped with the upstream's event time) into the channel,
    /// waiting while it is full. In auto mode, the first live signal after a fallback switches the source back from
    /// mock to live before it is written, so mock and live signals never interleave.
    /// </summary>
    ValueTask PublishAsync(MarketSignal signal, CancellationToken cancellationToken);
}
