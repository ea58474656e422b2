using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace Slipway.Build.Tests.TestSupport;

/// <summary>Builds (possibly malicious) archives entry by entry.</summary>
internal sealed class TarBuilder
{
    private readonly List<TarEntry> _entries = [];

    public TarBuilder File(string name, string content = "x", UnixFileMode mode = (UnixFileMode)0b110_100_100)
    {
        _entries.Add(new PaxTarEntry(TarEntryType.RegularFile, name) { Mode = mode, DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) });
        return this;
    }

    public TarBuilder Bytes(string name, long length)
    {
        _entries.Add(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new ZeroStream(length) });
        return this;
    }

    public TarBuilder Directory(string name)
    {
        _entries.Add(new PaxTarEntry(TarEntryType.Directory, name) { Mode = (UnixFileMode)0b111_101_101 });
        return this;
    }

    public TarBuilder Symlink(string name, string target)
    {
        _entries.Add(new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = target });
        return this;
    }

    public TarBuilder HardLink(string name, string target)
    {
        _entries.Add(new PaxTarEntry(TarEntryType.HardLink, name) { LinkName = target });
        return this;
    }

    public TarBuilder Special(string name, TarEntryType type)
    {
        _entries.Add(new PaxTarEntry(type, name));
        return this;
    }

    public string WriteTarGz(string path)
    {
        using var file = System.IO.File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        WriteTo(gzip);
        return path;
    }

    public string WriteTar(string path)
    {
        using var file = System.IO.File.Create(path);
        WriteTo(file);
        return path;
    }

    private void WriteTo(Stream stream)
    {
        using var writer = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true);
        foreach (var entry in _entries)
        {
            writer.WriteEntry(entry);
        }
    }

    /// <summary>A stream of zeros of a given length: a size bomb compresses to almost nothing.</summary>
    private sealed class ZeroStream(long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => _position; set => _position = value; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            Array.Clear(buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => _position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => length + offset,
        };

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

internal static class Archives
{
    /// <summary>A tar.gz of a directory, with the directory itself as the single top-level entry (like a GitHub tarball).</summary>
    public static string TarGzOfDirectory(string directory, string path)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        using var tar = new TarWriter(gzip, TarEntryFormat.Pax);
        var top = Path.GetFileName(directory);
        tar.WriteEntry(directory, top);
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 };
        foreach (var entry in Directory.EnumerateFileSystemEntries(directory, "*", options).Order(StringComparer.Ordinal))
        {
            tar.WriteEntry(entry, top + "/" + Path.GetRelativePath(directory, entry));
        }

        return path;
    }

    public static string Zip(string path, params (string Name, string Content, int UnixMode)[] entries)
    {
        using var file = File.Create(path);
        using var zip = new ZipArchive(file, ZipArchiveMode.Create);
        foreach (var (name, content, unixMode) in entries)
        {
            var entry = zip.CreateEntry(name);
            entry.ExternalAttributes = unixMode << 16;
            using var stream = entry.Open();
            stream.Write(Encoding.UTF8.GetBytes(content));
        }

        return path;
    }
}
