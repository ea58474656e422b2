namespace Slipway.Build.Sources;

/// <summary>The archive formats an upload may use, told apart by their magic bytes rather than a file name.</summary>
public enum ArchiveFormat
{
    Unknown,
    TarGzip,
    Tar,
    Zip,
}

internal static class ArchiveFormatSniffer
{
    public static ArchiveFormat Sniff(Stream stream)
    {
        var header = new byte[512];
        var read = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        stream.Position = 0;
        if (read >= 2 && header[0] == 0x1f && header[1] == 0x8b)
        {
            return ArchiveFormat.TarGzip;
        }

        if (read >= 4 && header[0] == (byte)'P' && header[1] == (byte)'K' && header[2] is 3 or 5 && header[3] is 4 or 6)
        {
            return ArchiveFormat.Zip;
        }

        // POSIX/GNU tar: "ustar" at offset 257. Pre-POSIX v7 tar has no magic and is not accepted.
        if (read >= 262 && header.AsSpan(257, 5).SequenceEqual("ustar"u8))
        {
            return ArchiveFormat.Tar;
        }

        return ArchiveFormat.Unknown;
    }
}
