using System.Formats.Tar;
using System.IO.Compression;

namespace Slipway.Cli.Deploy;

/// <summary>What <see cref="SourcePacker.PackAsync"/> put in the archive.</summary>
public sealed record PackResult(int Files, int Directories, int Links, long UncompressedBytes);

/// <summary>Packs a source directory into a .tar.gz: relative paths, file modes (executable bits) and relative links kept.</summary>
public static class SourcePacker
{
    public static async Task<PackResult> PackAsync(string root, Stream destination, Action<string>? warn = null, CancellationToken ct = default)
    {
        int files = 0, directories = 0, links = 0;
        long bytes = 0;
        await using (var gzip = new GZipStream(destination, CompressionLevel.Optimal, leaveOpen: true))
        await using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var entry in SourceTree.Enumerate(root, warn))
            {
                ct.ThrowIfCancellationRequested();
                switch (entry.Kind)
                {
                    case SourceEntryKind.Directory:
                        await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, entry.Path + "/")
                        {
                            Mode = ModeOf(entry.FullPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute),
                            ModificationTime = Directory.GetLastWriteTimeUtc(entry.FullPath),
                        }, ct);
                        directories++;
                        break;
                    case SourceEntryKind.SymbolicLink:
                        await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.SymbolicLink, entry.Path)
                        {
                            LinkName = entry.LinkTarget!,
                            Mode = (UnixFileMode)0b111_111_111,
                        }, ct);
                        links++;
                        break;
                    default:
                        await using (var data = new FileStream(entry.FullPath, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true))
                        {
                            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, entry.Path)
                            {
                                Mode = ModeOf(entry.FullPath, UnixFileMode.UserRead | UnixFileMode.UserWrite),
                                ModificationTime = File.GetLastWriteTimeUtc(entry.FullPath),
                                DataStream = data,
                            }, ct);
                            bytes += data.Length;
                        }
                        files++;
                        break;
                }
            }
        }
        return new PackResult(files, directories, links, bytes);
    }

    /// <summary>Permission bits only: setuid, setgid and sticky mean nothing in a slug.</summary>
    private static UnixFileMode ModeOf(string path, UnixFileMode fallback) =>
        OperatingSystem.IsWindows()
            ? fallback
            : File.GetUnixFileMode(path) & (UnixFileMode)0b111_111_111;
}
