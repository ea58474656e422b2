using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace Slipway.Storage.Engine;

/// <summary>
/// Object bytes as immutable files under <c>objects/data/xx/&lt;id&gt;</c>: written, fsynced and the directory fsynced
/// before any index row may name them.
/// </summary>
internal sealed class DataFiles
{
    private const int BufferSize = 1 << 20;
    private readonly string _root;
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

    /// <summary>
    /// Writes <paramref name="head"/> (bytes already read from the body) and the rest of <paramref name="source"/> into a
    /// new durable data file, hashing on the way. Two buffers take turns: while one chunk is hashed (on a pool thread)
    /// and written, the next one is received, so a large PUT costs about the longest of the three instead of their sum.
    /// </summary>
    public async Task<(string Id, WrittenContent Content)> WriteAsync(
        ReadOnlyMemory<byte> head, Stream source, IReadOnlyCollection<ChecksumAlgorithm> algorithms, Action<WrittenContent>? verify, CancellationToken cancellationToken)
    {
        byte[][] buffers = [ArrayPool<byte>.Shared.Rent(BufferSize), ArrayPool<byte>.Shared.Rent(BufferSize)];
        try
        {
            using var hasher = new ContentHasher(algorithms);
            WrittenContent? content = null;
            var id = await WriteDurablyAsync(async (file, ct) =>
            {
                var stored = StoreAsync(file, hasher, head, 0, ct);
                try
                {
                    long size = head.Length;
                    for (var turn = 0; ; turn ^= 1)
                    {
                        var read = await source.ReadAtLeastAsync(buffers[turn], BufferSize, throwOnEndOfStream: false, ct);
                        await stored; // the previous chunk is hashed and written: its buffer may be refilled on the next turn
                        if (read == 0)
                        {
                            break;
                        }

                        stored = StoreAsync(file, hasher, buffers[turn].AsMemory(0, read), size, ct);
                        size += read;
                    }
                }
                finally
                {
                    // A failed receive must not close the file or pool the buffers while a chunk is still being written.
                    await stored.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }

                content = hasher.Finish();
                verify?.Invoke(content);
            }, cancellationToken);
            return (id, content!);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffers[0]);
            ArrayPool<byte>.Shared.Return(buffers[1]);
        }
    }

    /// <summary>
    /// Hashes and writes one chunk at once, each on a pool thread; once written, the chunk's writeback to disk is started
    /// so that the fsync at the end waits for little more than the last chunk.
    /// </summary>
    private static Task StoreAsync(SafeFileHandle file, ContentHasher hasher, ReadOnlyMemory<byte> chunk, long offset, CancellationToken cancellationToken) =>
        Task.WhenAll(
            Task.Run(() => hasher.Append(chunk.Span), cancellationToken),
            Task.Run(() =>
            {
                RandomAccess.Write(file, chunk.Span, offset);
                FsyncNative.StartWriteback(file, offset, chunk.Length);
            }, cancellationToken));

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
            // Creating a file and fsyncing wait for the journal: on a pool thread, never on the storage port's socket threads.
            using (var file = await BlockingWork.Run(() => File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.None)))
            {
                await fill(file, cancellationToken);
                await BlockingWork.Run(() => FsyncNative.Fsync(file));
            }

            await BlockingWork.Run(() => FsyncNative.FsyncDirectory(Path.GetDirectoryName(path)!));
            return id;
        }
        catch
        {
            // A body that failed part-way may end here on a socket thread: the unlink waits for the journal too.
            await BlockingWork.Run(() => TryDelete(path));
            throw;
        }
    }

    /// <summary>A stream of a large file's bytes (small ones are read whole, <see cref="ReadAll"/>).</summary>
    public Stream Open(string id) =>
        new FileStream(PathOf(id), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);

    /// <summary>A small file's bytes, read synchronously: from the page cache that takes microseconds, less than a thread-pool hop.</summary>
    public byte[] ReadAll(string id) => File.ReadAllBytes(PathOf(id));

    /// <summary>Removes a file no committed row names, soon (<see cref="FileReclaimer"/>); a crash before that leaves garbage that the next sweep removes.</summary>
    public void Delete(string id) => _reclaimer.Release(PathOf(id));

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
