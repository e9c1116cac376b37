using System.Threading.Channels;
using RiskConsole.Core.Signals;

namespace RiskConsole.Ingest;

/// <summary>
/// The one bounded queue between every listener and the event router. Writers wait when it is full
/// (backpressure reaches the listener, nothing is dropped); the router is its single reader.
/// </summary>
public sealed class SignalChannel
{
    public const int DefaultCapacity = 10_000;

    private readonly Channel<MarketSignal> _channel;

    public SignalChannel(int capacity = DefaultCapacity)
    {
        _channel = Channel.CreateBounded<MarketSignal>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public ChannelWriter<MarketSignal> Writer => _channel.Writer;

    public ChannelReader<MarketSignal> Reader => _channel.Reader;

    /// <summary>Signals waiting for the router; a number that keeps growing means the router cannot keep up.</summary>
    public int Backlog => _channel.Reader.Count;
}
