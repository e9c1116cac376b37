using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using RiskConsole.Engine.Replay;
using RiskConsole.Tests.Core.History;

namespace RiskConsole.Tests.Engine.Replay;

/// <summary>The chart's own PNG writer: a file any decoder accepts (chunks with valid CRCs, zlib pixel rows) holding the pixels drawn.</summary>
public sealed class PngImageTests
{
    [Test]
    public void APngHasValidChunksAndDecodesToThePixelsDrawn()
    {
        var image = new PngImage(7, 5, new Rgb(255, 255, 255));
        image.DrawLine(0, 0, 6, 4, new Rgb(200, 10, 20));
        var png = image.ToPng();
        var chunks = Chunks(png);
        var pixels = Inflate(chunks.Where(c => c.Type == "IDAT").SelectMany(c => c.Data).ToArray());
        Assert.Multiple(() =>
        {
            Assert.That(png.Take(8), Is.EqualTo(new byte[] { 137, 80, 78, 71, 13, 10, 26, 10 }));
            Assert.That(chunks.Select(c => c.Type), Is.EqualTo(new[] { "IHDR", "IDAT", "IEND" }));
            Assert.That(chunks.All(c => c.CrcValid), Is.True, "every chunk's CRC-32 checks");
            Assert.That(BinaryPrimitives.ReadInt32BigEndian(chunks[0].Data), Is.EqualTo(7));
            Assert.That(BinaryPrimitives.ReadInt32BigEndian(chunks[0].Data.AsSpan(4)), Is.EqualTo(5));
            Assert.That(pixels, Has.Length.EqualTo(5 * (1 + (7 * 3))), "a filter byte and 7 RGB pixels per row");
            Assert.That(pixels.AsSpan(1, 3).ToArray(), Is.EqualTo(new byte[] { 200, 10, 20 }), "the line starts at (0, 0)");
            Assert.That(pixels.AsSpan(1 + 3, 3).ToArray(), Is.EqualTo(new byte[] { 255, 255, 255 }), "background beside it");
            Assert.That(PngImage.Crc32(Encoding.ASCII.GetBytes("123456789")), Is.EqualTo(0xCBF43926u), "the standard CRC-32 check value");
        });
    }

    [Test]
    public void TheChartOfTheCrashShowsPriceScoreThresholdAndInterrupts()
    {
        var result = CandleReplay.RunProduction(CandleReplay.Crash);
        var chart = ScoreChart.Draw(result, "BTCUSDT 2021-05-19");
        var colours = new HashSet<Rgb>();
        for (var y = 0; y < chart.Height; y++)
        {
            for (var x = 0; x < chart.Width; x++)
            {
                colours.Add(chart[x, y]);
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That((chart.Width, chart.Height), Is.EqualTo((ScoreChart.Width, ScoreChart.Height)));
            Assert.That(colours, Does.Contain(ScoreChart.PriceLine).And.Contain(ScoreChart.ScoreLine).And.Contain(ScoreChart.ThresholdLine).And.Contain(ScoreChart.InterruptLine));
        });
    }

    private static List<(string Type, byte[] Data, bool CrcValid)> Chunks(byte[] png)
    {
        var chunks = new List<(string, byte[], bool)>();
        for (var at = 8; at < png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            var typed = png.AsSpan(at + 4, 4 + length);
            var crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at + 8 + length));
            chunks.Add((Encoding.ASCII.GetString(typed[..4]), typed[4..].ToArray(), PngImage.Crc32(typed) == crc));
            at += 12 + length;
        }

        return chunks;
    }

    private static byte[] Inflate(byte[] zlib)
    {
        using var input = new ZLibStream(new MemoryStream(zlib), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }
}
