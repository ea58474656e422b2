using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Slipway.Storage.Engine;

/// <summary>The additional checksums S3 accepts (<c>x-amz-checksum-*</c>), named as in the header.</summary>
public enum ChecksumAlgorithm
{
    Crc32,
    Crc32C,
    Crc64Nvme,
    Sha1,
    Sha256,
}

public static class Checksums
{
    public static readonly IReadOnlyList<ChecksumAlgorithm> All =
        [ChecksumAlgorithm.Crc32, ChecksumAlgorithm.Crc32C, ChecksumAlgorithm.Crc64Nvme, ChecksumAlgorithm.Sha1, ChecksumAlgorithm.Sha256];

    /// <summary>The header suffix and XML name: <c>crc32</c> → <c>x-amz-checksum-crc32</c>, <c>ChecksumCRC32</c>.</summary>
    public static string HeaderName(this ChecksumAlgorithm algorithm) => "x-amz-checksum-" + Name(algorithm);

    public static string Name(this ChecksumAlgorithm algorithm) => algorithm switch
    {
        ChecksumAlgorithm.Crc32 => "crc32",
        ChecksumAlgorithm.Crc32C => "crc32c",
        ChecksumAlgorithm.Crc64Nvme => "crc64nvme",
        ChecksumAlgorithm.Sha1 => "sha1",
        _ => "sha256",
    };

    public static string XmlName(this ChecksumAlgorithm algorithm) => "Checksum" + Name(algorithm).ToUpperInvariant();

    public static ChecksumAlgorithm? Parse(string? name) =>
        All.Cast<ChecksumAlgorithm?>().FirstOrDefault(a => string.Equals(Name(a!.Value), name?.Trim(), StringComparison.OrdinalIgnoreCase));

    internal static IChecksum Create(ChecksumAlgorithm algorithm) => algorithm switch
    {
        ChecksumAlgorithm.Crc32 => new Crc32Checksum(Crc32Table.Ieee),
        ChecksumAlgorithm.Crc32C => new Crc32Checksum(Crc32Table.Castagnoli),
        ChecksumAlgorithm.Crc64Nvme => new Crc64NvmeChecksum(),
        ChecksumAlgorithm.Sha1 => new HashChecksum(HashAlgorithmName.SHA1),
        _ => new HashChecksum(HashAlgorithmName.SHA256),
    };
}

internal interface IChecksum
{
    void Append(ReadOnlySpan<byte> data);

    /// <summary>The digest as S3 sends it: big-endian bytes, base64.</summary>
    string FinishBase64();
}

internal sealed class HashChecksum(HashAlgorithmName name) : IChecksum
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(name);

    public void Append(ReadOnlySpan<byte> data) => _hash.AppendData(data);

    public string FinishBase64()
    {
        var result = Convert.ToBase64String(_hash.GetHashAndReset());
        _hash.Dispose();
        return result;
    }
}

internal static class Crc32Table
{
    public static readonly uint[] Ieee = Build(0xEDB88320u);
    public static readonly uint[] Castagnoli = Build(0x82F63B78u);

    private static uint[] Build(uint reflectedPolynomial)
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var crc = i;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ reflectedPolynomial : crc >> 1;
            }

            table[i] = crc;
        }

        return table;
    }
}

internal sealed class Crc32Checksum(uint[] table) : IChecksum
{
    private uint _crc = 0xFFFFFFFFu;

    public void Append(ReadOnlySpan<byte> data)
    {
        var crc = _crc;
        foreach (var b in data)
        {
            crc = table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        _crc = crc;
    }

    public string FinishBase64()
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, ~_crc);
        return Convert.ToBase64String(bytes);
    }
}

/// <summary>CRC-64/NVME (the SDKs' default full-object checksum): reflected polynomial 0x9A6C9329AC4BC9B5.</summary>
internal sealed class Crc64NvmeChecksum : IChecksum
{
    private static readonly ulong[] Table = Build();
    private ulong _crc = ulong.MaxValue;

    public void Append(ReadOnlySpan<byte> data)
    {
        var crc = _crc;
        foreach (var b in data)
        {
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        _crc = crc;
    }

    public string FinishBase64()
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, ~_crc);
        return Convert.ToBase64String(bytes);
    }

    private static ulong[] Build()
    {
        var table = new ulong[256];
        for (ulong i = 0; i < 256; i++)
        {
            var crc = i;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x9A6C9329AC4BC9B5UL : crc >> 1;
            }

            table[i] = crc;
        }

        return table;
    }
}
