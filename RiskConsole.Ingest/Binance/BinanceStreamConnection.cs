using System.Net.WebSockets;

namespace RiskConsole.Ingest.Binance;

/// <summary>
/// One open socket to the combined stream and what the feed tracks about it: when it opened, whether Binance announced
/// its shutdown, whether it is being retired by a planned reconnect, and — while the socket that replaces another is
/// held back — the prices it received, which are published only once the old socket has delivered its last message.
/// </summary>
internal sealed class BinanceStreamConnection : IDisposable
{
    // While the old socket closes (one round trip, bounded by the connect timeout) the new one's prices wait here.
    // Binance sends a few hundred events a second at most for a handful of symbols; this is far beyond that.
    public const int MaxHeld = 100_000;

    private readonly TaskCompletionSource _shutdownAnnounced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _holdLock = new();
    private List<BinanceStreamMessage>? _held;
    private volatile bool _retiring;

    public BinanceStreamConnection(ClientWebSocket socket, int number, long openedAt, int maxMessageBytes)
    {
        Socket = socket;
        Number = number;
        OpenedAt = openedAt;
        Buffer = new byte[maxMessageBytes];
    }

    public ClientWebSocket Socket { get; }

    /// <summary>1 for the first socket of a RunConnectionAsync call, 2 for its first replacement, and so on (for logs).</summary>
    public int Number { get; }

    /// <summary>When the socket opened, as a TimeProvider timestamp.</summary>
    public long OpenedAt { get; }

    /// <summary>One message's worth of bytes: a message that does not fit is rejected and skipped.</summary>
    public byte[] Buffer { get; }

    /// <summary>The receive loop of this socket; set once when it starts.</summary>
    public Task Completion { get; set; } = Task.CompletedTask;

    /// <summary>Completes when Binance sends <c>serverShutdown</c> on this socket.</summary>
    public Task ShutdownAnnounced => _shutdownAnnounced.Task;

    /// <summary>True once the feed closes this socket on purpose: its close or loss is then expected, not an error.</summary>
    public bool Retiring => _retiring;

    public void AnnounceShutdown() => _shutdownAnnounced.TrySetResult();

    public void Retire() => _retiring = true;

    /// <summary>From now until <see cref="ReleaseHeld"/>, prices are kept instead of published.</summary>
    public void Hold()
    {
        lock (_holdLock)
        {
            _held = [];
        }
    }

    /// <summary>
    /// Keeps <paramref name="message"/> if this socket is held. False when it is not held (publish it now); when the
    /// hold is full the message is dropped and <paramref name="overflow"/> is set.
    /// </summary>
    public bool TryHold(in BinanceStreamMessage message, out bool overflow)
    {
        overflow = false;
        lock (_holdLock)
        {
            if (_held is null)
            {
                return false;
            }

            if (_held.Count >= MaxHeld)
            {
                overflow = true;
                return true;
            }

            _held.Add(message);
            return true;
        }
    }

    /// <summary>Ends the hold and hands over what was kept, oldest first.</summary>
    public List<BinanceStreamMessage> ReleaseHeld()
    {
        lock (_holdLock)
        {
            var held = _held ?? [];
            _held = null;
            return held;
        }
    }

    public void Dispose()
    {
        Socket.Abort();
        Socket.Dispose();
    }
}
