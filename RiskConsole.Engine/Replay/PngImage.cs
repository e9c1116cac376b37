using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace RiskConsole.Engine.Replay;

/// <summary>
/// A small RGB canvas that draws what a chart needs (lines, rectangles, 5×7 bitmap text) and writes itself as a PNG:
/// no image library, because a chart of a replay needs none of their features and the server should not carry a
/// native graphics stack for it. PNG here is the IHDR, one zlib IDAT (filter 0 per row) and IEND, each with its CRC.
/// </summary>
public sealed class PngImage
{
    private static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];
    private static readonly uint[] CrcTable = BuildCrcTable();
    private readonly byte[] _pixels;

    public PngImage(int width, int height, Rgb background)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        Width = width;
        Height = height;
        _pixels = new byte[width * height * 3];
        FillRectangle(0, 0, width, height, background);
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>The width of one character of <see cref="DrawText"/> at <paramref name="scale"/>, spacing included.</summary>
    public static int CharacterWidth(int scale) => 6 * scale;

    public Rgb this[int x, int y]
    {
        get
        {
            var i = ((y * Width) + x) * 3;
            return new Rgb(_pixels[i], _pixels[i + 1], _pixels[i + 2]);
        }
    }

    public void SetPixel(int x, int y, Rgb color)
    {
        if (x < 0 || y < 0 || x >= Width || y >= Height)
        {
            return;
        }

        var i = ((y * Width) + x) * 3;
        _pixels[i] = color.R;
        _pixels[i + 1] = color.G;
        _pixels[i + 2] = color.B;
    }

    public void FillRectangle(int x, int y, int width, int height, Rgb color)
    {
        for (var row = Math.Max(0, y); row < Math.Min(Height, y + height); row++)
        {
            for (var column = Math.Max(0, x); column < Math.Min(Width, x + width); column++)
            {
                SetPixel(column, row, color);
            }
        }
    }

    /// <summary>A line <paramref name="thickness"/> pixels wide (Bresenham with a square pen); every <paramref name="dash"/>-th run skipped when set.</summary>
    public void DrawLine(int x0, int y0, int x1, int y1, Rgb color, int thickness = 1, int dash = 0)
    {
        int dx = Math.Abs(x1 - x0), dy = -Math.Abs(y1 - y0);
        int sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;
        var error = dx + dy;
        var step = 0;
        while (true)
        {
            if (dash <= 0 || (step / dash) % 2 == 0)
            {
                FillRectangle(x0 - ((thickness - 1) / 2), y0 - ((thickness - 1) / 2), thickness, thickness, color);
            }

            step++;
            if (x0 == x1 && y0 == y1)
            {
                break;
            }

            var doubled = 2 * error;
            if (doubled >= dy)
            {
                error += dy;
                x0 += sx;
            }

            if (doubled <= dx)
            {
                error += dx;
                y0 += sy;
            }
        }
    }

    /// <summary>Text in a 5×7 bitmap font (ASCII letters, digits and common signs; lower case drawn as upper case), top-left at (x, y).</summary>
    public void DrawText(int x, int y, string text, Rgb color, int scale = 1)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var ch in text)
        {
            var glyph = Font.Glyph(ch);
            for (var row = 0; row < 7; row++)
            {
                for (var column = 0; column < 5; column++)
                {
                    if (glyph[(row * 5) + column] == '1')
                    {
                        FillRectangle(x + (column * scale), y + (row * scale), scale, scale, color);
                    }
                }
            }

            x += CharacterWidth(scale);
        }
    }

    public byte[] ToPng()
    {
        using var output = new MemoryStream();
        output.Write(Signature);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, Width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), Height);
        header[8] = 8; // bits per channel
        header[9] = 2; // colour type: RGB
        WriteChunk(output, "IHDR", header);

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            var stride = Width * 3;
            for (var y = 0; y < Height; y++)
            {
                zlib.WriteByte(0); // filter: none
                zlib.Write(_pixels, y * stride, stride);
            }
        }

        WriteChunk(output, "IDAT", compressed.ToArray());
        WriteChunk(output, "IEND", []);
        return output.ToArray();
    }

    /// <summary>CRC-32 as PNG (and zlib's gzip cousin) define it: polynomial 0xEDB88320, over chunk type and data.</summary>
    public static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc ^ 0xFFFFFFFFu;
    }

    private static void WriteChunk(Stream output, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        output.Write(length);
        var typed = new byte[4 + data.Length];
        Encoding.ASCII.GetBytes(type, typed);
        data.CopyTo(typed, 4);
        output.Write(typed);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typed));
        output.Write(crc);
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (var n = 0u; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }

    /// <summary>A classic 5×7 font: each glyph is 7 rows of 5 pixels, written as 35 digits.</summary>
    private static class Font
    {
        private static readonly Dictionary<char, string> Glyphs = new()
        {
            ['A'] = "01110100011000111111100011000110001",
            ['B'] = "11110100011000111110100011000111110",
            ['C'] = "01110100011000010000100001000101110",
            ['D'] = "11110100011000110001100011000111110",
            ['E'] = "11111100001000011110100001000011111",
            ['F'] = "11111100001000011110100001000010000",
            ['G'] = "01110100011000010111100011000101111",
            ['H'] = "10001100011000111111100011000110001",
            ['I'] = "01110001000010000100001000010001110",
            ['J'] = "00111000100001000010000101001001100",
            ['K'] = "10001100101010011000101001001010001",
            ['L'] = "10000100001000010000100001000011111",
            ['M'] = "10001110111010110101100011000110001",
            ['N'] = "10001100011100110101100111000110001",
            ['O'] = "01110100011000110001100011000101110",
            ['P'] = "11110100011000111110100001000010000",
            ['Q'] = "01110100011000110001101011001001101",
            ['R'] = "11110100011000111110101001001010001",
            ['S'] = "01111100001000001110000010000111110",
            ['T'] = "11111001000010000100001000010000100",
            ['U'] = "10001100011000110001100011000101110",
            ['V'] = "10001100011000110001100010101000100",
            ['W'] = "10001100011000110101101011010101010",
            ['X'] = "10001100010101000100010101000110001",
            ['Y'] = "10001100011000101010001000010000100",
            ['Z'] = "11111000010001000100010001000011111",
            ['0'] = "01110100011001110101110011000101110",
            ['1'] = "00100011000010000100001000010001110",
            ['2'] = "01110100010000100010001000100011111",
            ['3'] = "11111000100010000010000011000101110",
            ['4'] = "00010001100101010010111110001000010",
            ['5'] = "11111100001111000001000011000101110",
            ['6'] = "00110010001000011110100011000101110",
            ['7'] = "11111000010001000100010000100001000",
            ['8'] = "01110100011000101110100011000101110",
            ['9'] = "01110100011000101111000010001001100",
            [' '] = "00000000000000000000000000000000000",
            ['.'] = "00000000000000000000000000110001100",
            [','] = "00000000000000000000011000010001000",
            [':'] = "00000011000110000000011000110000000",
            ['-'] = "00000000000000011111000000000000000",
            ['/'] = "00000000010001000100010001000000000",
            ['('] = "00010001000100001000010000010000010",
            [')'] = "01000001000001000010000100010001000",
            ['%'] = "11000110010001000100010001001100011",
            ['='] = "00000000001111100000111110000000000",
            ['+'] = "00000001000010011111001000010000000",
            ['>'] = "01000001000001000001000100010001000",
            ['<'] = "00010001000100010000010000010000010",
            [';'] = "00000011000110000000011000010001000",
            ['_'] = "00000000000000000000000000000011111",
            ['?'] = "01110100010000100010001000000000100",
        };

        public static string Glyph(char ch) => Glyphs.TryGetValue(char.ToUpperInvariant(ch), out var glyph) ? glyph : Glyphs['?'];
    }
}

/// <summary>A colour.</summary>
public readonly record struct Rgb(byte R, byte G, byte B);
