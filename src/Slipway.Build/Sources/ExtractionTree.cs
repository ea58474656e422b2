using Slipway.Runtime.Sandbox;
using Slipway.Build.Native;

namespace Slipway.Build.Sources;

/// <summary>
/// Writes archive entries below one root and nothing else: names are checked before use, every parent directory is
/// checked with lstat (a symlink is never written through), and files are created with O_EXCL so a leaf is never followed.
/// </summary>
internal sealed class ExtractionTree
{
    private const UnixFileMode DirectoryMode = (UnixFileMode)0b111_101_101;
    private const UnixFileMode FileMode = (UnixFileMode)0b110_100_100;
    private const UnixFileMode ExecutableMode = (UnixFileMode)0b111_101_101;

    private readonly string _root;
    private readonly SourceArchiveOptions _options;
    private readonly HashSet<string> _directories = new(StringComparer.Ordinal) { "" };
    private readonly HashSet<string> _topLevelNames = new(StringComparer.Ordinal);
    private bool _topLevelHasNonDirectory;

    public ExtractionTree(string root, SourceArchiveOptions options)
    {
        _root = Path.GetFullPath(root);
        _options = options;
    }

    public int Entries { get; private set; }

    public long Bytes { get; private set; }

    /// <summary>Turns an archive name into a clean relative path ("" for the root itself), refusing anything that could escape.</summary>
    public static string Normalize(string name)
    {
        if (name.Contains('\0'))
        {
            throw Reject(name, "has a NUL byte in its name");
        }

        if (name.StartsWith('/'))
        {
            throw Reject(name, "has an absolute path");
        }

        var parts = new List<string>();
        foreach (var part in name.Split('/'))
        {
            if (part is "" or ".")
            {
                continue;
            }

            if (part == "..")
            {
                throw Reject(name, "has a '..' path segment");
            }

            parts.Add(part);
        }

        return string.Join('/', parts);
    }

    public void CountEntry(string name)
    {
        if (++Entries > _options.MaxEntries)
        {
            throw new SourceArchiveException($"The archive has more than {_options.MaxEntries} entries (limit reached at '{name}').");
        }
    }

    public void AddDirectory(string name)
    {
        var path = Normalize(name);
        if (path.Length == 0)
        {
            return;
        }

        NoteTopLevel(path, isDirectory: true);
        EnsureParent(name, path);
        var full = Full(path);
        switch (FileTree.Kind(full))
        {
            case EntryKind.Missing:
                Directory.CreateDirectory(full, DirectoryMode);
                break;
            case EntryKind.Directory:
                break;
            default:
                throw Reject(name, "turns an earlier file or link into a directory");
        }

        _directories.Add(path);
    }

    public async Task AddFileAsync(string name, UnixFileMode mode, long declaredLength, Stream? content, CancellationToken cancellationToken)
    {
        var path = PrepareLeaf(name);
        if (declaredLength < 0 || Bytes + declaredLength > _options.MaxUnpackedBytes)
        {
            throw TooLarge(name);
        }

        var executable = (mode & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
        var stream = new FileStreamOptions
        {
            Mode = System.IO.FileMode.CreateNew, // O_CREAT|O_EXCL: fails on any existing entry, a dangling symlink included.
            Access = FileAccess.Write,
            Share = FileShare.None,
            UnixCreateMode = FileMode,
        };
        await using var file = new FileStream(Full(path), stream);
        File.SetUnixFileMode(file.SafeFileHandle, executable ? ExecutableMode : FileMode);
        if (content is null)
        {
            return;
        }

        var buffer = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
        {
            Bytes += read;
            if (Bytes > _options.MaxUnpackedBytes)
            {
                throw TooLarge(name);
            }

            await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }
    }

    public void AddSymlink(string name, string target)
    {
        if (target.Length == 0 || target.Contains('\0'))
        {
            throw Reject(name, "is a symbolic link with an empty or invalid target");
        }

        var path = PrepareLeaf(name);
        if (_options.AllowSymlinksOutOfTree)
        {
            File.CreateSymbolicLink(Full(path), target);
            return;
        }

        if (target.StartsWith('/'))
        {
            throw Reject(name, $"is a symbolic link to the absolute path '{target}'");
        }

        var depth = path.Split('/').Length - 1;
        foreach (var part in target.Split('/'))
        {
            depth += part switch
            {
                "" or "." => 0,
                ".." => -1,
                _ => 1,
            };
            if (depth < 0)
            {
                throw Reject(name, $"is a symbolic link to '{target}', outside the archive");
            }
        }

        File.CreateSymbolicLink(Full(path), target);
    }

    /// <summary>A hard link becomes a copy of its target, which must be a regular file already extracted from this archive.</summary>
    public async Task AddHardLinkAsync(string name, string target, CancellationToken cancellationToken)
    {
        string targetPath;
        try
        {
            targetPath = Normalize(target);
        }
        catch (SourceArchiveException)
        {
            throw Reject(name, $"is a hard link to '{target}', outside the archive");
        }

        var targetFull = Full(targetPath);
        if (targetPath.Length == 0 || !IsInsideRealDirectories(targetPath) || FileTree.Kind(targetFull) != EntryKind.File)
        {
            throw Reject(name, $"is a hard link to '{target}', which is not a file extracted earlier from the archive");
        }

        var mode = File.GetUnixFileMode(targetFull);
        var length = new FileInfo(targetFull).Length;
        await using var source = new FileStream(targetFull, System.IO.FileMode.Open, FileAccess.Read);
        await AddFileAsync(name, mode, length, source, cancellationToken);
    }

    /// <summary>Moves the contents of a lone top-level directory up to the root, when that is all the archive held.</summary>
    public bool StripSingleTopLevelDirectory()
    {
        if (_topLevelNames.Count != 1 || _topLevelHasNonDirectory)
        {
            return false;
        }

        var top = Full(_topLevelNames.Single());
        if (FileTree.Kind(top) != EntryKind.Directory)
        {
            return false;
        }

        // Rename first so a child with the same name as the directory (app/app) cannot collide.
        var staging = Path.Combine(_root, ".slipway-strip-" + Guid.NewGuid().ToString("N"));
        FileRename.Rename(top, staging);
        foreach (var child in FileTree.Children(staging).ToList())
        {
            FileRename.Rename(child, Path.Combine(_root, Path.GetFileName(child)));
        }

        Directory.Delete(staging);
        return true;
    }

    private string PrepareLeaf(string name)
    {
        var path = Normalize(name);
        if (path.Length == 0)
        {
            throw Reject(name, "names the archive root but is not a directory");
        }

        NoteTopLevel(path, isDirectory: false);
        EnsureParent(name, path);
        var full = Full(path);
        switch (FileTree.Kind(full))
        {
            case EntryKind.Missing:
                break;
            case EntryKind.File or EntryKind.Symlink:
                File.Delete(full); // A repeated name: the last entry wins, as with tar. Deleting a symlink removes the link itself.
                break;
            default:
                throw Reject(name, "replaces a directory");
        }

        return path;
    }

    private void EnsureParent(string name, string path)
    {
        var slash = path.LastIndexOf('/');
        if (slash < 0)
        {
            return;
        }

        var parts = path[..slash].Split('/');
        var current = "";
        foreach (var part in parts)
        {
            current = current.Length == 0 ? part : current + "/" + part;
            if (_directories.Contains(current))
            {
                continue;
            }

            var full = Full(current);
            switch (FileTree.Kind(full))
            {
                case EntryKind.Missing:
                    Directory.CreateDirectory(full, DirectoryMode);
                    break;
                case EntryKind.Directory:
                    break;
                case EntryKind.Symlink:
                    throw Reject(name, $"would be written through the symbolic link '{current}'");
                default:
                    throw Reject(name, $"needs '{current}' to be a directory, but it is a file");
            }

            _directories.Add(current);
        }
    }

    private bool IsInsideRealDirectories(string path)
    {
        var slash = path.LastIndexOf('/');
        var current = "";
        foreach (var part in slash < 0 ? [] : path[..slash].Split('/'))
        {
            current = current.Length == 0 ? part : current + "/" + part;
            if (!_directories.Contains(current) && FileTree.Kind(Full(current)) != EntryKind.Directory)
            {
                return false;
            }
        }

        return true;
    }

    private void NoteTopLevel(string path, bool isDirectory)
    {
        var slash = path.IndexOf('/');
        _topLevelNames.Add(slash < 0 ? path : path[..slash]);
        if (slash < 0 && !isDirectory)
        {
            _topLevelHasNonDirectory = true;
        }
    }

    private string Full(string relative) => Path.Combine(_root, relative);

    private SourceArchiveException TooLarge(string name) =>
        new($"The archive unpacks to more than {ByteSize.Readable(_options.MaxUnpackedBytes)} (limit reached at '{name}'). Leave dependencies and build output out of the upload.");

    private static SourceArchiveException Reject(string name, string why) => new($"Refused archive entry '{name}': it {why}.");
}
