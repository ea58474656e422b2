namespace Slipway.Build.Sources;

/// <summary>Limits on what an uploaded archive may unpack to.</summary>
public sealed record SourceArchiveOptions
{
    /// <summary>Total bytes of file content the archive may unpack to.</summary>
    public long MaxUnpackedBytes { get; init; } = 1L << 30;

    /// <summary>How many entries (files, directories, links) the archive may hold.</summary>
    public int MaxEntries { get; init; } = 200_000;

    /// <summary>Drop a single top-level directory when it is the archive's only top-level entry (GitHub tarballs, Heroku slugs' <c>./app</c>).</summary>
    public bool StripSingleTopLevelDirectory { get; init; } = true;

    /// <summary>
    /// Keep symlinks whose targets leave the tree (absolute or through <c>..</c>). Only for slugs the platform built, whose
    /// links point into the stack (a virtualenv's <c>bin/python3 -&gt; /usr/bin/python3</c>). Nothing is ever written through a link either way.
    /// </summary>
    public bool AllowSymlinksOutOfTree { get; init; }
}

/// <summary>What an extraction produced.</summary>
public sealed record SourceArchiveSummary(int Entries, long UnpackedBytes, bool StrippedTopLevelDirectory);

/// <summary>An archive was refused: it is unreadable or tries to write outside its tree. The message names the entry.</summary>
public sealed class SourceArchiveException(string message, Exception? inner = null) : IOException(message, inner);
