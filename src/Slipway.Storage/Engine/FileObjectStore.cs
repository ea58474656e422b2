using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Slipway.Storage.Engine;

/// <summary>
/// Objects as files. Each version's bytes go to a uniquely named data file (temp, fsync, rename, directory fsync);
/// a small metadata file naming that version is then replaced the same way, which is the commit point. A crash
/// before the commit leaves only an unreferenced data file, which <see cref="SweepAsync"/> removes.
/// </summary>
public sealed class FileObjectStore : IObjectStore
{
    private readonly string _root;

    public FileObjectStore(string rootDirectory)
    {
        _root = Path.GetFullPath(rootDirectory);
        Directory.CreateDirectory(_root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public async Task<StoredObject> PutAsync(string bucket, string key, Stream content, string? contentType = null, CancellationToken cancellationToken = default)
    {
        var (directory, stem) = Locate(bucket, key);
        Directory.CreateDirectory(directory);
        var version = Guid.NewGuid().ToString("N");
        var dataPath = Path.Combine(directory, $"{stem}.{version}.data");
        var temp = dataPath + ".tmp";

        long size;
        string etag;
        using (var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5))
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                var buffer = new byte[1 << 16];
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    md5.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }

                await file.FlushAsync(cancellationToken);
                file.Flush(flushToDisk: true);
                size = file.Length;
            }

            etag = Convert.ToHexStringLower(md5.GetHashAndReset());
        }

        File.Move(temp, dataPath);
        var stored = new StoredObject(bucket, key, size, etag, contentType, DateTimeOffset.UtcNow);
        var previous = await ReadMetadataAsync(directory, stem, cancellationToken);
        await WriteDurablyAsync(MetadataPath(directory, stem), JsonSerializer.SerializeToUtf8Bytes(new Metadata(version, stored)), cancellationToken);
        FsyncDirectory(directory);

        if (previous is not null)
        {
            File.Delete(Path.Combine(directory, $"{stem}.{previous.Version}.data"));
        }

        return stored;
    }

    public async Task<Stream?> OpenReadAsync(string bucket, string key, CancellationToken cancellationToken = default)
    {
        var (directory, stem) = Locate(bucket, key);
        var metadata = await ReadMetadataAsync(directory, stem, cancellationToken);
        if (metadata is null)
        {
            return null;
        }

        try
        {
            return new FileStream(Path.Combine(directory, $"{stem}.{metadata.Version}.data"), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, FileOptions.Asynchronous);
        }
        catch (FileNotFoundException)
        {
            return null; // Replaced between reading the metadata and opening: the caller sees the object as just deleted.
        }
    }

    public async Task<StoredObject?> HeadAsync(string bucket, string key, CancellationToken cancellationToken = default)
    {
        var (directory, stem) = Locate(bucket, key);
        return (await ReadMetadataAsync(directory, stem, cancellationToken))?.Object;
    }

    public async Task<bool> DeleteAsync(string bucket, string key, CancellationToken cancellationToken = default)
    {
        var (directory, stem) = Locate(bucket, key);
        var metadata = await ReadMetadataAsync(directory, stem, cancellationToken);
        if (metadata is null)
        {
            return false;
        }

        File.Delete(MetadataPath(directory, stem));
        FsyncDirectory(directory);
        File.Delete(Path.Combine(directory, $"{stem}.{metadata.Version}.data"));
        return true;
    }

    /// <summary>Removes data files no metadata refers to and temp files: the leftovers of writes a crash interrupted.</summary>
    public async Task SweepAsync(CancellationToken cancellationToken = default)
    {
        foreach (var directory in Directory.EnumerateDirectories(_root, "*", SearchOption.AllDirectories))
        {
            foreach (var file in Directory.EnumerateFiles(directory))
            {
                var name = Path.GetFileName(file);
                if (name.EndsWith(".tmp", StringComparison.Ordinal))
                {
                    File.Delete(file);
                    continue;
                }

                if (!name.EndsWith(".data", StringComparison.Ordinal))
                {
                    continue;
                }

                var parts = name.Split('.');
                var metadata = await ReadMetadataAsync(directory, parts[0], cancellationToken);
                if (metadata?.Version != parts[1])
                {
                    File.Delete(file);
                }
            }
        }
    }

    private (string Directory, string Stem) Locate(string bucket, string key)
    {
        if (string.IsNullOrEmpty(bucket) || bucket.Contains('/') || bucket.Contains('\\') || bucket.StartsWith('.'))
        {
            throw new ArgumentException($"Invalid bucket name '{bucket}'.", nameof(bucket));
        }

        // Keys are opaque bytes: they are hashed, so no key can name a path outside the bucket.
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        return (Path.Combine(_root, bucket, hash[..2]), hash);
    }

    private static string MetadataPath(string directory, string stem) => Path.Combine(directory, stem + ".meta");

    private static async Task<Metadata?> ReadMetadataAsync(string directory, string stem, CancellationToken cancellationToken)
    {
        try
        {
            var bytes = await File.ReadAllBytesAsync(MetadataPath(directory, stem), cancellationToken);
            return JsonSerializer.Deserialize<Metadata>(bytes);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    private static async Task WriteDurablyAsync(string path, byte[] bytes, CancellationToken cancellationToken)
    {
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
        {
            await file.WriteAsync(bytes, cancellationToken);
            file.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }

    private static void FsyncDirectory(string directory) => FsyncNative.FsyncDirectory(directory);

    private sealed record Metadata(string Version, StoredObject Object);
}
