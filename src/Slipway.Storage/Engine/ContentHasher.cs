using System.Security.Cryptography;

namespace Slipway.Storage.Engine;

/// <summary>The MD5 (the ETag) and the requested checksums of an object's bytes, fed as they arrive.</summary>
internal sealed class ContentHasher : IDisposable
{
    private readonly IncrementalHash _md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
    private readonly Dictionary<ChecksumAlgorithm, IChecksum> _checksums;
    private long _size;

    public ContentHasher(IEnumerable<ChecksumAlgorithm> algorithms) =>
        _checksums = algorithms.Distinct().ToDictionary(a => a, Checksums.Create);

    public void Append(ReadOnlySpan<byte> bytes)
    {
        _md5.AppendData(bytes);
        foreach (var checksum in _checksums.Values)
        {
            checksum.Append(bytes);
        }

        _size += bytes.Length;
    }

    public WrittenContent Finish() =>
        new(_size, _md5.GetHashAndReset(), _checksums.ToDictionary(c => c.Key, c => c.Value.FinishBase64()));

    public void Dispose() => _md5.Dispose();
}
