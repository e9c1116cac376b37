namespace RiskConsole.Ingest.Live;

/// <summary>
/// One live upstream (Binance, Polymarket, Reddit) as its listener sees it: a way to run ONE connection (or one
/// polling session) at a time. Everything around it — retrying with backoff through the source's Polly pipeline,
/// treating a silent connection as dead, falling back to mock data in auto mode and returning to live, the source's
/// status — is done once for all listeners by <see cref="LiveSource"/>, so a listener holds only its protocol.
/// </summary>
public interface ILiveFeed
{
    /// <summary>The source this listener feeds (one of <c>DataSources</c>).</summary>
    string Source { get; }

    /// <summary>Where it connects, for status and log lines (no secrets), e.g. "wss://stream.binance.com:9443".</summary>
    string Endpoint { get; }

    /// <summary>
    /// How long a connection may go without any message (<see cref="ILiveFeedSink.MessageReceived"/>) before it is
    /// treated as dead and replaced. For a polling source, longer than its poll interval.
    /// </summary>
    TimeSpan SilenceTimeout { get; }

    /// <summary>
    /// Opens a NEW connection (a new socket per call) and delivers what it receives through <paramref name="sink"/>
    /// until the connection ends or <paramref name="cancellationToken"/> is cancelled (the host stopping, or the
    /// connection going silent). Returning and throwing both end the connection; the exception's message is shown to
    /// the user as the source's last error, so it says in plain words what failed ("stream refused: HTTP 451", "DNS:
    /// no such host stream.binance.com", "connection closed by the server (1001 going away)"). A bad frame is never a
    /// reason to end the connection: report it with <see cref="ILiveFeedSink.FrameRejected"/> and go on.
    /// </summary>
    Task RunConnectionAsync(ILiveFeedSink sink, CancellationToken cancellationToken);
}
