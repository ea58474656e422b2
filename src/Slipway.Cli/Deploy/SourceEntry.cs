namespace Slipway.Cli.Deploy;

public enum SourceEntryKind
{
    Directory,
    File,
    SymbolicLink,
}

/// <summary>One thing to put in the source archive. <see cref="Path"/> is slash-separated and relative to the root.</summary>
public sealed record SourceEntry(string Path, string FullPath, SourceEntryKind Kind, string? LinkTarget = null);
