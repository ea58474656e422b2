using Slipway.Runtime.Sandbox;
using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Slipway.Build.Native;
using Slipway.Build.Sources;
using Slipway.Core.Platform;
using Slipway.Runtime.Dynos;
using Slipway.Storage.Engine;

namespace Slipway.Build.Slugs;

/// <summary>
/// Unpacked slugs for dynos: the directory a build left behind, or else the stored <c>&lt;slugId&gt;.tgz</c> unpacked
/// (safely, like any archive) into a temp directory, given to the app's uid and renamed into place. Concurrent callers
/// for one slug share one extraction.
/// </summary>
public sealed partial class SlugStore : ISlugStore
{
    private readonly IObjectStore _objects;
    private readonly DataDirectory _data;
    private readonly SourceArchiveOptions _limits;
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _inFlight = new(StringComparer.Ordinal);

    /// <summary>Unpack limits for stored slugs default to 8 GiB and 1,000,000 entries.</summary>
    public SlugStore(IObjectStore objects, DataDirectory data, SourceArchiveOptions? limits = null)
    {
        _objects = objects;
        _data = data;
        _limits = (limits ?? new SourceArchiveOptions { MaxUnpackedBytes = 8L << 30, MaxEntries = 1_000_000 }) with
        {
            StripSingleTopLevelDirectory = true,
            AllowSymlinksOutOfTree = true,
        };
    }

    public async Task<string> GetSlugDirectoryAsync(string slugId, int hostUid, CancellationToken cancellationToken = default)
    {
        if (!SlugIdRegex().IsMatch(slugId))
        {
            throw new ArgumentException($"'{slugId}' is not a slug id.", nameof(slugId));
        }

        var directory = _data.Slug(slugId);
        if (FileTree.Kind(directory) == EntryKind.Directory)
        {
            return directory;
        }

        // The extraction belongs to no single caller: one caller giving up must not cancel it for the others.
        var lazy = _inFlight.GetOrAdd(slugId, id => new Lazy<Task<string>>(() => UnpackAsync(id, hostUid)));
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken);
        }
        finally
        {
            if (lazy.Value.IsCompleted)
            {
                _inFlight.TryRemove(new KeyValuePair<string, Lazy<Task<string>>>(slugId, lazy));
            }
        }
    }

    private async Task<string> UnpackAsync(string slugId, int hostUid)
    {
        await Task.Yield();
        var target = _data.Slug(slugId);
        if (FileTree.Kind(target) == EntryKind.Directory)
        {
            return target;
        }

        if (FileTree.Kind(_data.Slugs) == EntryKind.Missing)
        {
            Directory.CreateDirectory(_data.Slugs);
            File.SetUnixFileMode(_data.Slugs, (UnixFileMode)0b111_001_001);
        }

        var staging = Path.Combine(_data.Slugs, $".{slugId}.{Guid.NewGuid():N}");
        var archive = staging + ".tgz";
        try
        {
            await using (var stored = await _objects.OpenReadAsync(PlatformBuckets.Slugs, slugId + ".tgz")
                ?? throw new FileNotFoundException($"Slug {slugId} is not in the object store (bucket {PlatformBuckets.Slugs})."))
            await using (var file = new FileStream(archive, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                await stored.CopyToAsync(file);
            }

            await SourceArchive.ExtractAsync(archive, staging, _limits);
            File.SetUnixFileMode(staging, (UnixFileMode)0b111_101_101);
            FileOwnership.ChownTree(staging, hostUid);
            FileRename.Rename(staging, target);
            return target;
        }
        finally
        {
            File.Delete(archive);
            FileTree.DeleteTree(staging);
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex SlugIdRegex();
}
