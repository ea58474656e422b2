using System.Formats.Tar;
using System.IO.Compression;
using Slipway.Build.Native;

namespace Slipway.Build.Sources;

/// <summary>
/// Unpacks an untrusted archive (tar.gz, tar or zip, told apart by magic bytes) into a directory, refusing absolute
/// paths, <c>..</c>, links that leave the tree, writes through links, devices and FIFOs, and oversized content.
/// </summary>
public static class SourceArchive
{
    /// <summary>
    /// Extracts <paramref name="archivePath"/> into <paramref name="destination"/> (created if missing; must be empty).
    /// On failure the destination holds a partial tree: the caller deletes it.
    /// </summary>
    /// <exception cref="SourceArchiveException">The archive is unreadable, unsafe or too large; the message names the entry.</exception>
    public static async Task<SourceArchiveSummary> ExtractAsync(
        string archivePath, string destination, SourceArchiveOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new SourceArchiveOptions();
        Directory.CreateDirectory(destination);
        if (FileTree.Children(destination).Any())
        {
            throw new ArgumentException($"{destination} is not empty.", nameof(destination));
        }

        var tree = new ExtractionTree(destination, options);
        await using (var file = new FileStream(archivePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous))
        {
            try
            {
                switch (ArchiveFormatSniffer.Sniff(file))
                {
                    case ArchiveFormat.TarGzip:
                        await using (var gzip = new GZipStream(file, CompressionMode.Decompress, leaveOpen: true))
                        {
                            await ExtractTarAsync(gzip, tree, cancellationToken);
                        }

                        break;
                    case ArchiveFormat.Tar:
                        await ExtractTarAsync(file, tree, cancellationToken);
                        break;
                    case ArchiveFormat.Zip:
                        await ExtractZipAsync(file, tree, cancellationToken);
                        break;
                    default:
                        throw new SourceArchiveException("The source is not a tar.gz, tar or zip archive.");
                }
            }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException or (IOException and not SourceArchiveException))
            {
                throw new SourceArchiveException($"The source archive could not be read: {e.Message}", e);
            }
        }

        var stripped = options.StripSingleTopLevelDirectory && tree.StripSingleTopLevelDirectory();
        if (!options.AllowSymlinksOutOfTree)
        {
            SymlinkVerifier.Verify(destination);
        }

        return new SourceArchiveSummary(tree.Entries, tree.Bytes, stripped);
    }

    private static async Task ExtractTarAsync(Stream stream, ExtractionTree tree, CancellationToken cancellationToken)
    {
        await using var reader = new TarReader(stream, leaveOpen: true);
        while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
        {
            var name = entry.Name;
            if (entry.EntryType == TarEntryType.GlobalExtendedAttributes)
            {
                continue; // pax_global_header, as in GitHub's tarballs: metadata, not a file.
            }

            tree.CountEntry(name);
            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    tree.AddDirectory(name);
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    await tree.AddFileAsync(name, entry.Mode, entry.Length, entry.DataStream, cancellationToken);
                    break;
                case TarEntryType.SymbolicLink:
                    tree.AddSymlink(name, entry.LinkName);
                    break;
                case TarEntryType.HardLink:
                    await tree.AddHardLinkAsync(name, entry.LinkName, cancellationToken);
                    break;
                case TarEntryType.CharacterDevice or TarEntryType.BlockDevice or TarEntryType.Fifo:
                    throw new SourceArchiveException($"Refused archive entry '{name}': it is a {Describe(entry.EntryType)}; archives may hold only files, directories and links.");
                default:
                    throw new SourceArchiveException($"Refused archive entry '{name}': its tar entry type {entry.EntryType} is not supported.");
            }
        }
    }

    private static async Task ExtractZipAsync(Stream stream, ExtractionTree tree, CancellationToken cancellationToken)
    {
        using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        foreach (var entry in zip.Entries)
        {
            // Zips from Windows tools separate with backslashes; read them as separators so "..\x" is caught as "../x".
            var name = entry.FullName.Replace('\\', '/');
            tree.CountEntry(name);
            var unixMode = (entry.ExternalAttributes >> 16) & 0xFFFF;
            var type = unixMode & 0xF000;
            if (name.EndsWith('/') || type == 0x4000)
            {
                tree.AddDirectory(name);
                continue;
            }

            switch (type)
            {
                case 0 or 0x8000:
                    await using (var content = entry.Open())
                    {
                        var mode = unixMode == 0 ? (UnixFileMode)0b110_100_100 : (UnixFileMode)(unixMode & 0x1FF);
                        await tree.AddFileAsync(name, mode, entry.Length, content, cancellationToken);
                    }

                    break;
                case 0xA000:
                    if (entry.Length > 4096)
                    {
                        throw new SourceArchiveException($"Refused archive entry '{name}': its symbolic link target is too long.");
                    }

                    using (var reader = new StreamReader(entry.Open()))
                    {
                        tree.AddSymlink(name, await reader.ReadToEndAsync(cancellationToken));
                    }

                    break;
                default:
                    throw new SourceArchiveException($"Refused archive entry '{name}': it is a device, FIFO or socket; archives may hold only files, directories and links.");
            }
        }
    }

    private static string Describe(TarEntryType type) => type switch
    {
        TarEntryType.CharacterDevice => "character device",
        TarEntryType.BlockDevice => "block device",
        _ => "FIFO",
    };
}
