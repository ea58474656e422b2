using System.Buffers;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace Slipway.Storage.Engine;

/// <summary>
/// Object bytes as immutable files under <c>objects/data/xx/&lt;id&gt;</c>: written, fsynced and the directory fsynced
/// before any index row may name them.
/// </summary>
internal sealed class DataFiles
{
    private const int BufferSize = 1 << 20;
    private const long SmallFileBudget = 64L * 1024 * 1024;
    private readonly string _root;
    private readonly SmallFileCache _small = new(SmallFileBudget);
    private readonly FileReclaimer _reclaimer = new();

    public DataFiles(string root)
    {
        _root = root;
        Directory.CreateDirectory(_root);
        for (var i = 0; i < 256; i++)
        {
            Directory.CreateDirectory(Path.Combine(_root, i.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    public string PathOf(string id) => Path.Combine(_root, id[..2], id);

    public static string NewId() => Guid.NewGuid().ToString("N");

    /// <summary>Copies <paramref name="source"/> into a new durable data file, hashing on the way.</summary>
    public async Task<(string Id, WrittenContent Content)> WriteAsync(
        Stream source, IReadOnlyCollection<ChecksumAlgorithm> algorithms, Action<WrittenContent>? verify, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
            var checksums = algorithms.Distinct().ToDictionary(a => a, Checksums.Create);
            WrittenContent? content = null;
            var id = await WriteDurablyAsync(async (file, ct) =>
            {
                long size = 0;
                int read;
                while ((read = await ReadFullAsync(source, buffer, ct)) > 0)
                {
                    var chunk = buffer.AsMemory(0, read);
                    md5.AppendData(chunk.Span);
                    foreach (var checksum in checksums.Values)
                    {
                        checksum.Append(chunk.Span);
                    }

                    await RandomAccess.WriteAsync(file, chunk, size, ct);
                    size += read;
                }

                content = new WrittenContent(size, md5.GetHashAndReset(), checksums.ToDictionary(c => c.Key, c => c.Value.FinishBase64()));
                verify?.Invoke(content);
            }, cancellationToken);
            return (id, content!);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Concatenates existing data files (multipart parts) into a new durable one with copy_file_range(2): the kernel
    /// moves the bytes (or shares extents on filesystems that can), so completing a multipart upload copies each byte at
    /// most once and never through this process. Returns the new id and its size.
    /// </summary>
    public async Task<(string Id, long Size)> ConcatenateAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        long size = 0;
        var id = await WriteDurablyAsync((file, ct) => Task.Run(() =>
        {
            foreach (var part in ids)
            {
                using var source = File.OpenHandle(PathOf(part), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
                size += FileCopy.Append(source, file, size, ct);
            }
        }, ct), cancellationToken);
        return (id, size);
    }

    /// <summary>
    /// Runs <paramref name="fill"/> on a new file under its final name, then fsyncs it and its directory. No temporary
    /// name and rename: until an index row names the file nobody reads it, and the sweep removes it after a crash. On
    /// ext4 the fsync of a new file also commits its directory entry, so the directory fsync (kept, since POSIX does
    /// not promise that) finds nothing left to write, where a rename would have cost a second journal commit.
    /// </summary>
    private async Task<string> WriteDurablyAsync(Func<SafeFileHandle, CancellationToken, Task> fill, CancellationToken cancellationToken)
    {
        var id = NewId();
        var path = PathOf(id);
        try
        {
            using (var file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, FileOptions.Asynchronous))
            {
                await fill(file, cancellationToken);
                FsyncNative.Fsync(file);
            }

            FsyncNative.FsyncDirectory(Path.GetDirectoryName(path)!);
            return id;
        }
        catch
        {
            TryDelete(path);
            throw;
        }
    }

    /// <summary>A stream of the file's bytes: from memory for small files (<see cref="SmallFileCache"/>), else the open file.</summary>
    public Stream Open(string id, long size) =>
        size <= SmallFileCache.MaxFileSize
            ? ReadOnlyMemoryStream(_small.GetOrRead(id, ReadAll))
            : new FileStream(PathOf(id), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);

    /// <summary>Removes a file no committed row names, soon (<see cref="FileReclaimer"/>); a crash before that leaves garbage that the next sweep removes.</summary>
    public void Delete(string id)
    {
        _small.Remove(id);
        _reclaimer.Release(PathOf(id));
    }

    /// <summary>Deletes every file not in <paramref name="referenced"/> (interrupted writes, and .tmp files of older versions); returns how many went.</summary>
    public int Sweep(IReadOnlySet<string> referenced)
    {
        var removed = 0;
        foreach (var file in Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories))
        {
            var name = Path.GetFileName(file);
            if (!referenced.Contains(name))
            {
                TryDelete(file);
                removed++;
            }
        }

        return removed;
    }

    private static async Task<int> ReadFullAsync(Stream source, byte[] buffer, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = await source.ReadAsync(buffer.AsMemory(total), cancellationToken);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    /// <summary>A small file's bytes, read synchronously: from the page cache that takes microseconds, less than a thread-pool hop.</summary>
    private byte[] ReadAll(string id) => File.ReadAllBytes(PathOf(id));

    private static MemoryStream ReadOnlyMemoryStream(byte[] bytes) => new(bytes, 0, bytes.Length, writable: false, publiclyVisible: true);

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Left for the next sweep.
        }
    }
}
