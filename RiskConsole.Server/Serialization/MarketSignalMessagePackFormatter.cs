using MessagePack;
using MessagePack.Formatters;
using MessagePack.Resolvers;
using RiskConsole.Core.Signals;

namespace RiskConsole.Server.Serialization;

/// <summary>
/// MessagePack form of <see cref="MarketSignal"/> (the abstract Data of DataUpdate): a map with the same
/// "$type" tag and camelCase keys as the JSON protocol, so JavaScript MessagePack clients see the same object
/// and .NET MessagePack clients that register <see cref="WithSignals"/> get the concrete record back.
/// Without it SignalR's default resolver cannot serialize the abstract type and aborts the connection.
/// </summary>
public sealed class MarketSignalMessagePackFormatter : IMessagePackFormatter<MarketSignal?>
{
    /// <summary>The given options with this formatter in front of their resolver.</summary>
    public static MessagePackSerializerOptions WithSignals(MessagePackSerializerOptions options) =>
        options.WithResolver(CompositeResolver.Create([new MarketSignalMessagePackFormatter()], [options.Resolver]));

    public void Serialize(ref MessagePackWriter writer, MarketSignal? value, MessagePackSerializerOptions options)
    {
        var time = options.Resolver.GetFormatterWithVerify<DateTimeOffset>();
        switch (value)
        {
            case null:
                writer.WriteNil();
                return;
            case PriceTick tick:
                writer.WriteMapHeader(5);
                writer.Write("$type");
                writer.Write("price");
                writer.Write("symbol");
                writer.Write(tick.Symbol);
                writer.Write("price");
                writer.Write(tick.Price);
                break;
            case MarketProbability market:
                writer.WriteMapHeader(6);
                writer.Write("$type");
                writer.Write("probability");
                writer.Write("marketId");
                writer.Write(market.MarketId);
                writer.Write("question");
                writer.Write(market.Question);
                writer.Write("probability");
                writer.Write(market.Probability);
                break;
            case SentimentSample post:
                writer.WriteMapHeader(6);
                writer.Write("$type");
                writer.Write("sentiment");
                writer.Write("sourceId");
                writer.Write(post.SourceId);
                writer.Write("compound");
                writer.Write(post.Compound);
                writer.Write("text");
                writer.Write(post.Text);
                break;
            default:
                throw new MessagePackSerializationException($"No MessagePack form for signal type {value.GetType().Name}.");
        }

        writer.Write("timestamp");
        time.Serialize(ref writer, value.Timestamp, options);
        writer.Write("isMock");
        writer.Write(value.IsMock);
    }

    public MarketSignal? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        if (reader.TryReadNil())
        {
            return null;
        }

        var time = options.Resolver.GetFormatterWithVerify<DateTimeOffset>();
        string? type = null, key = null, question = null, text = null;
        double value = 0;
        var timestamp = default(DateTimeOffset);
        var isMock = false;
        var count = reader.ReadMapHeader();
        for (var i = 0; i < count; i++)
        {
            switch (reader.ReadString())
            {
                case "$type": type = reader.ReadString(); break;
                case "symbol" or "marketId" or "sourceId": key = reader.ReadString(); break;
                case "question": question = reader.ReadString(); break;
                case "text": text = reader.ReadString(); break;
                case "price" or "probability" or "compound": value = reader.ReadDouble(); break;
                case "timestamp": timestamp = time.Deserialize(ref reader, options); break;
                case "isMock": isMock = reader.ReadBoolean(); break;
                default: reader.Skip(); break;
            }
        }

        return type switch
        {
            "price" => new PriceTick(key ?? string.Empty, value, timestamp, isMock),
            "probability" => new MarketProbability(key ?? string.Empty, question ?? string.Empty, value, timestamp, isMock),
            "sentiment" => new SentimentSample(key ?? string.Empty, value, timestamp, text ?? string.Empty, isMock),
            _ => throw new MessagePackSerializationException($"Unknown signal type '{type}'."),
        };
    }
}
