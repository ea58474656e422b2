using Slipway.Runtime.Sandbox;
using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using Slipway.Build.Native;

namespace Slipway.Build.Compile;

/// <summary>A packed slug: its compressed size and Heroku-style checksum.</summary>
public sealed record PackedSlug(string Path, long Size, string Checksum);

/// <summary>
/// Packs a build directory into a slug: a tar.gz whose entries live under <c>./app/</c>, as in Heroku's slug format.
/// Modes and links are kept; ownership is not (it is set when a slug is unpacked). Links are never followed, and
/// FIFOs, sockets and devices a build left behind are skipped.
/// </summary>
public static class SlugPacker
{
    private const string Prefix = "./app/";

    public static async Task<PackedSlug> PackAsync(string buildDirectory, string slugPath, CancellationToken cancellationToken = default)
    {
        await using (var file = new FileStream(slugPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
        {
            await using var gzip = new GZipStream(file, CompressionLevel.Optimal);
            await using var tar = new TarWriter(gzip, TarEntryFormat.Gnu, leaveOpen: true);
            await tar.WriteEntryAsync(new GnuTarEntry(TarEntryType.Directory, Prefix) { Mode = File.GetUnixFileMode(buildDirectory) }, cancellationToken);
            foreach (var (info, kind) in FileTree.Walk(buildDirectory))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var name = Prefix + Path.GetRelativePath(buildDirectory, info.FullName);
                switch (kind)
                {
                    case EntryKind.Directory:
                        await tar.WriteEntryAsync(Entry(TarEntryType.Directory, name + "/", info), cancellationToken);
                        break;
                    case EntryKind.Symlink:
                        var link = Entry(TarEntryType.SymbolicLink, name, info);
                        link.LinkName = info.LinkTarget ?? "";
                        await tar.WriteEntryAsync(link, cancellationToken);
                        break;
                    case EntryKind.File:
                        await using (var content = new FileStream(info.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous))
                        {
                            var entry = Entry(TarEntryType.RegularFile, name, info);
                            entry.DataStream = content;
                            await tar.WriteEntryAsync(entry, cancellationToken);
                        }

                        break;
                }
            }
        }

        return new PackedSlug(slugPath, new FileInfo(slugPath).Length, await ChecksumAsync(slugPath, cancellationToken));
    }

    /// <summary><c>SHA256:&lt;hex&gt;</c>, the form Heroku's API uses for slug and source checksums.</summary>
    public static async Task<string> ChecksumAsync(string path, CancellationToken cancellationToken = default)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
        return "SHA256:" + Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }

    private static GnuTarEntry Entry(TarEntryType type, string name, FileSystemInfo info)
    {
        var entry = new GnuTarEntry(type, name) { ModificationTime = ModificationTime(info) };
        // A symlink's own mode is meaningless on Linux; reading it could follow the link.
        entry.Mode = type == TarEntryType.SymbolicLink ? (UnixFileMode)0b111_111_111 : info.UnixFileMode;
        return entry;
    }

    private static DateTimeOffset ModificationTime(FileSystemInfo info)
    {
        try
        {
            return info.LastWriteTimeUtc;
        }
        catch (IOException)
        {
            return DateTimeOffset.UtcNow; // A dangling symlink.
        }
    }
}
