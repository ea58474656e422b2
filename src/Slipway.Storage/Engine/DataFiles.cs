using System.Buffers;
using System.Security.Cryptography;

namespace Slipway.Storage.Engine;

/// <summary>
/// Object bytes as immutable files under <c>objects/data/xx/&lt;id&gt;</c>: written to <c>&lt;id&gt;.tmp</c>, fsynced,
/// renamed, and the directory fsynced, before any index row may name them.
/// </summary>
internal sealed class DataFiles
{
    private const int BufferSize = 1 << 20;
    private readonly string _root;

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

    /// <summary>Copies <paramref name="sources"/> in order into a new durable data file, hashing on the way.</summary>
    public async Task<(string Id, WrittenContent Content)> WriteAsync(
        Func<int, CancellationToken, Task<Stream?>> sources, IReadOnlyCollection<ChecksumAlgorithm> algorithms, Action<WrittenContent>? verify, CancellationToken cancellationToken)
    {
        var id = NewId();
        var final = PathOf(id);
        var temp = final + ".tmp";
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
            var checksums = algorithms.Distinct().ToDictionary(a => a, Checksums.Create);
            long size = 0;
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0, FileOptions.Asynchronous))
            {
                // The caller owns the streams (a request body, part files it opens lazily and closes).
                for (var index = 0; await sources(index, cancellationToken) is { } source; index++)
                {
                    int read;
                    while ((read = await ReadFullAsync(source, buffer, cancellationToken)) > 0)
                    {
                        var chunk = buffer.AsMemory(0, read);
                        md5.AppendData(chunk.Span);
                        foreach (var checksum in checksums.Values)
                        {
                            checksum.Append(chunk.Span);
                        }

                        await file.WriteAsync(chunk, cancellationToken);
                        size += read;
                    }
                }

                var content = new WrittenContent(size, md5.GetHashAndReset(), checksums.ToDictionary(c => c.Key, c => c.Value.FinishBase64()));
                verify?.Invoke(content);
                file.Flush(flushToDisk: true);
                File.Move(temp, final);
                FsyncNative.FsyncDirectory(Path.GetDirectoryName(final)!);
                return (id, content);
            }
        }
        catch
        {
            TryDelete(temp);
            TryDelete(final);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public FileStream Open(string id) =>
        new(PathOf(id), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);

    /// <summary>Removing a file no committed row names; a crash before this leaves garbage that the next sweep removes.</summary>
    public void Delete(string id) => TryDelete(PathOf(id));

    /// <summary>Deletes temp files and data files not in <paramref name="referenced"/>; returns how many went.</summary>
    public int Sweep(IReadOnlySet<string> referenced)
    {
        var removed = 0;
        foreach (var file in Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories))
        {
            var name = Path.GetFileName(file);
            if (name.EndsWith(".tmp", StringComparison.Ordinal) || !referenced.Contains(name))
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
