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
    private const int ReadBackSize = 128 << 10;
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
    /// new durable data file, hashing on the way. Receiving and writing run ahead of the hash: two buffers take turns
    /// (while one chunk is written on a pool thread, the next is received) and the hash reads each written chunk back
    /// from the page cache, in order, on its own. So the file's fsync starts as soon as the last byte is written and
    /// runs while MD5, the slowest of these steps and one that cannot be split, catches up.
    /// </summary>
    public async Task<(string Id, WrittenContent Content)> WriteAsync(
        ReadOnlyMemory<byte> head, Stream source, IReadOnlyCollection<ChecksumAlgorithm> algorithms, Action<WrittenContent>? verify, CancellationToken cancellationToken)
    {
        byte[][] buffers = [ArrayPool<byte>.Shared.Rent(BufferSize), ArrayPool<byte>.Shared.Rent(BufferSize)];
        var readBack = ArrayPool<byte>.Shared.Rent(ReadBackSize);
        try
        {
            using var hasher = new ContentHasher(algorithms);
            WrittenContent? content = null;
            var id = await WriteDurablyAsync(async (file, ct) =>
            {
                var written = WriteChunkAsync(file.Handle, head, 0, ct);
                var hashed = HashBackAsync(Task.CompletedTask, written, file.Handle, hasher, readBack, 0, head.Length);
                try
                {
                    long size = head.Length;
                    for (var turn = 0; ; turn ^= 1)
                    {
                        var read = await source.ReadAtLeastAsync(buffers[turn], BufferSize, throwOnEndOfStream: false, ct);
                        await written; // the previous chunk is written: its buffer may be refilled on the next turn
                        if (read == 0)
                        {
                            break;
                        }

                        written = WriteChunkAsync(file.Handle, buffers[turn].AsMemory(0, read), size, ct);
                        hashed = HashBackAsync(hashed, written, file.Handle, hasher, readBack, size, read);
                        size += read;
                    }

                    file.StartFsync();
                    await hashed;
                }
                finally
                {
                    // A failed receive must not close the file or pool the buffers while a chunk is still written or read back.
                    await written.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                    await hashed.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
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
            ArrayPool<byte>.Shared.Return(readBack);
        }
    }

    /// <summary>Writes one chunk on a pool thread and starts its writeback to disk, so that the fsync at the end has little left to wait for.</summary>
    private static Task WriteChunkAsync(SafeFileHandle file, ReadOnlyMemory<byte> chunk, long offset, CancellationToken cancellationToken) =>
        Task.Run(() =>
        {
            RandomAccess.Write(file, chunk.Span, offset);
            FsyncNative.StartWriteback(file, offset, chunk.Length);
        }, cancellationToken);

    /// <summary>
    /// Once the chunks before it are hashed and it is written, reads a chunk back from the page cache and hashes it, in
    /// pieces small enough to stay in the CPU's cache between the copy and the hash.
    /// </summary>
    private static async Task HashBackAsync(Task previous, Task written, SafeFileHandle file, ContentHasher hasher, byte[] buffer, long offset, int count)
    {
        await previous;
        await written;
        await BlockingWork.Run(() =>
        {
            for (var done = 0; done < count;)
            {
                var read = RandomAccess.Read(file, buffer.AsSpan(0, Math.Min(ReadBackSize, count - done)), offset + done);
                if (read == 0)
                {
                    throw new IOException($"A data file ended at {offset + done} bytes while {offset + count} were written to it.");
                }

                hasher.Append(buffer.AsSpan(0, read));
                done += read;
            }
        });
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
                size += FileCopy.Append(source, file.Handle, size, ct);
            }
        }, ct), cancellationToken);
        return (id, size);
    }

    /// <summary>
    /// Runs <paramref name="fill"/> on a new file under its final name, then fsyncs it (unless <paramref name="fill"/>
    /// started that itself) and its directory. No temporary name and rename: until an index row names the file nobody
    /// reads it, and the sweep removes it after a crash. On ext4 the fsync of a new file also commits its directory
    /// entry, so the directory fsync (kept, since POSIX does not promise that) finds nothing left to write, where a
    /// rename would have cost a second journal commit.
    /// </summary>
    private async Task<string> WriteDurablyAsync(Func<NewFile, CancellationToken, Task> fill, CancellationToken cancellationToken)
    {
        var id = NewId();
        var path = PathOf(id);
        try
        {
            // Creating a file and fsyncing wait for the journal: on a pool thread, never on the storage port's socket threads.
            await using (var file = new NewFile(await BlockingWork.Run(() => File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None))))
            {
                await fill(file, cancellationToken);
                await file.FsyncAsync();
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

    /// <summary>A data file being written, and its fsync, which a writer may start early to run beside other work.</summary>
    private sealed class NewFile(SafeFileHandle handle) : IAsyncDisposable
    {
        private Task? _fsync;

        public SafeFileHandle Handle => handle;

        /// <summary>Starts the fsync on another thread; every byte must be written by then.</summary>
        public void StartFsync() => _fsync ??= Task.Run(() => FsyncNative.Fsync(handle));

        /// <summary>The fsync: the one started, or one run where the caller is (a pool thread, never a socket thread).</summary>
        public Task FsyncAsync() => _fsync ??= BlockingWork.Run(() => FsyncNative.Fsync(handle));

        public async ValueTask DisposeAsync()
        {
            // Not closed under an fsync in flight (after a failed hash or check, say).
            if (_fsync is not null)
            {
                await _fsync.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            handle.Dispose();
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
