namespace Slipway.Core.Platform;

/// <summary>
/// The layout of slipwayd's data directory. The root is mode 0711: dyno and build uids may traverse it
/// to reach their own mount points, but cannot list it; everything private below it is 0700 root.
/// </summary>
public sealed record DataDirectory(string Root)
{
    /// <summary>The SQLite state database.</summary>
    public string Database => Path.Combine(Root, "slipway.db");

    /// <summary>The object store's data files and index (buckets of sources, slugs, user objects).</summary>
    public string Objects => Path.Combine(Root, "objects");

    /// <summary>Unpacked slugs, one read-only directory per slug id: the lower layer of every dyno's <c>/app</c>.</summary>
    public string Slugs => Path.Combine(Root, "slugs");

    public string Slug(string slugId) => Path.Combine(Slugs, slugId);

    /// <summary>Per-app build caches (<c>CACHE_DIR</c>), private to each app.</summary>
    public string BuildCache(string appId) => Path.Combine(Root, "cache", appId);

    /// <summary>Scratch directories of builds in progress.</summary>
    public string Builds => Path.Combine(Root, "builds");

    /// <summary>Per-dyno ephemeral filesystems (overlay upper/work dirs and the merged <c>/app</c>).</summary>
    public string Dynos => Path.Combine(Root, "dynos");

    /// <summary>The curated <c>/etc</c> shown inside sandboxes (passwd, group, hosts, resolv.conf).</summary>
    public string SandboxEtc => Path.Combine(Root, "sandbox-etc");
}
