namespace RiskConsole.Tests.Browser;

/// <summary>
/// A real, playable MP3 of silence (MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, mono, about two seconds), so the browser
/// decodes and plays what the stand-in voice service returned. Each frame is a header and zeros: no scale factors and
/// no Huffman data, which decodes to silence.
/// </summary>
public static class SilentMp3
{
    private const int FrameBytes = 144 * 128_000 / 44_100; // 417: the frame length at this bitrate without padding
    private const int Frames = 77; // 1152 samples each: 2.0 s

    public static byte[] Create()
    {
        var bytes = new byte[FrameBytes * Frames];
        for (var frame = 0; frame < Frames; frame++)
        {
            var at = frame * FrameBytes;
            bytes[at] = 0xFF; // frame sync
            bytes[at + 1] = 0xFB; // sync, MPEG-1, Layer III, no CRC
            bytes[at + 2] = 0x90; // 128 kbit/s, 44.1 kHz, no padding
            bytes[at + 3] = 0xC0; // mono
        }

        return bytes;
    }
}
