using Slipway.Core.Platform;
using Slipway.Data;
using Slipway.Runtime.Sandbox;

namespace Slipway.Runtime.Dynos.Filesystem;

/// <summary>Creates and removes dynos' ephemeral filesystems: a fresh copy of the slug at every boot.</summary>
internal sealed class DynoFilesystems
{
    private const UnixFileMode Traversable = (UnixFileMode)0b111_001_001; // 0711
    private const UnixFileMode Private = (UnixFileMode)0b111_000_000; // 0700
    private const UnixFileMode Open = (UnixFileMode)0b111_101_101; // 0755

    private readonly DataDirectory _data;
    private readonly bool _root = Libc.IsRoot;

    public DynoFilesystems(DataDirectory data)
    {
        _data = data;

        // A dyno's uid may pass through the data root and dynos/ to reach its own directory, never list them.
        foreach (var directory in new[] { data.Root, data.Dynos })
        {
            System.IO.Directory.CreateDirectory(directory);
            File.SetUnixFileMode(directory, Traversable);
        }
    }

    public DynoFilesystem For(string dynoId)
    {
        if (dynoId.Length == 0 || dynoId.StartsWith('.') || dynoId.Contains('/'))
        {
            throw new ArgumentException($"Dyno id '{dynoId}' is not file-name-safe.", nameof(dynoId));
        }

        return new DynoFilesystem(Path.Combine(_data.Dynos, dynoId));
    }

    /// <summary>
    /// Prepares <c>app/</c> as a fresh view of the slug: the directories of an overlay the sandbox mounts when
    /// <paramref name="overlay"/> and root, a copy otherwise.
    /// </summary>
    public DynoFilesystem Create(string dynoId, string slugDirectory, int hostUid, bool overlay)
    {
        var filesystem = For(dynoId);
        Remove(dynoId);
        System.IO.Directory.CreateDirectory(filesystem.Directory);
        File.SetUnixFileMode(filesystem.Directory, Private);
        OwnIfRoot(filesystem.Directory, hostUid);
        try
        {
            if (overlay && _root)
            {
                foreach (var directory in new[] { filesystem.Upper, filesystem.Work, filesystem.App })
                {
                    System.IO.Directory.CreateDirectory(directory);
                }

                // The merged root takes the upper dir's owner and mode: /app belongs to the app.
                File.SetUnixFileMode(filesystem.Upper, Open);
                Libc.Chown(filesystem.Upper, hostUid, hostUid);
                return filesystem with { Overlay = new SandboxOverlay(slugDirectory, filesystem.Upper, filesystem.Work, filesystem.App) };
            }
            else
            {
                SlugCopy.Copy(slugDirectory, filesystem.App, _root ? hostUid : null);
                File.SetUnixFileMode(filesystem.App, Open);
            }
        }
        catch
        {
            Remove(dynoId);
            throw;
        }

        return filesystem;
    }

    /// <summary>Deletes the dyno's directory; refuses to delete through a mount that is still there.</summary>
    public void Remove(string dynoId)
    {
        var filesystem = For(dynoId);
        if (!System.IO.Directory.Exists(filesystem.Directory))
        {
            return;
        }

        if (_root)
        {
            // Overlays now live in the dynos' own mount namespaces; a data directory left by an older slipwayd may still hold one here.
            OverlayMount.Unmount(filesystem.App);
        }

        if (MountTable.IsMountPoint(filesystem.App))
        {
            throw new IOException($"The filesystem of dyno {dynoId} is still mounted at {filesystem.App}; not deleting it.");
        }

        System.IO.Directory.Delete(filesystem.Directory, recursive: true);
    }

    /// <summary>Ids of every dyno that has a directory, kept or not.</summary>
    public IReadOnlyList<string> DynoIds() =>
        System.IO.Directory.Exists(_data.Dynos)
            ? [.. System.IO.Directory.EnumerateDirectories(_data.Dynos).Select(Path.GetFileName).OfType<string>()]
            : [];

    private void OwnIfRoot(string path, int uid)
    {
        if (_root)
        {
            Libc.Chown(path, uid, uid);
        }
    }
}
