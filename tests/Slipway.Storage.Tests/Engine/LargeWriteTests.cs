using System.Security.Cryptography;
using Slipway.Storage.Engine;
using Slipway.Storage.Tests.Infrastructure;

namespace Slipway.Storage.Tests.Engine;

/// <summary>Large objects are received and written in overlapping chunks and hashed as they are read back: the bytes and the ETag must still be exact.</summary>
public sealed class LargeWriteTests
{
    [Fact]
    public async Task WriteObject_ManyChunksArrivingInOddSizes_StoresTheBytesAndTheirMd5()
    {
        using var directory = new TempDirectory();
        var store = new FileObjectStore(directory.Path);
        await store.CreateBucketAsync("b", "account-1");
        var body = RandomNumberGenerator.GetBytes((5 << 20) + 12345);

        var record = await store.WriteObjectAsync(new ObjectWrite { Bucket = "b", Key = "big" }, new TrickleStream(body, failAfter: null));

        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(body)), record.ETag);
        await using var stored = await store.OpenReadAsync("b", "big");
        using var copy = new MemoryStream();
        await stored!.CopyToAsync(copy);
        Assert.Equal(body, copy.ToArray());
    }

    [Fact]
    public async Task WriteObject_BodyFailsAfterSeveralChunks_CommitsNothingAndLeavesNoFile()
    {
        using var directory = new TempDirectory();
        var store = new FileObjectStore(directory.Path);
        await store.CreateBucketAsync("b", "account-1");
        var body = RandomNumberGenerator.GetBytes(4 << 20);

        await Assert.ThrowsAsync<IOException>(() => store.WriteObjectAsync(new ObjectWrite { Bucket = "b", Key = "big" }, new TrickleStream(body, failAfter: 3 << 20)));

        Assert.Null(await store.GetObjectAsync("b", "big"));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(directory.Path, "data"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task WriteObject_CheckFailsAfterEveryByteIsWrittenAndFsyncing_CommitsNothingAndLeavesNoFile()
    {
        using var directory = new TempDirectory();
        var store = new FileObjectStore(directory.Path);
        await store.CreateBucketAsync("b", "account-1");
        var body = RandomNumberGenerator.GetBytes((3 << 20) + 7);
        WrittenContent? checkedContent = null;
        var write = new ObjectWrite
        {
            Bucket = "b",
            Key = "big",
            Verify = content =>
            {
                checkedContent = content;
                throw new InvalidDataException("Content-MD5 does not match.");
            },
        };

        await Assert.ThrowsAsync<InvalidDataException>(() => store.WriteObjectAsync(write, new TrickleStream(body, failAfter: null)));

        Assert.Equal(MD5.HashData(body), checkedContent!.Md5);
        Assert.Equal(body.Length, checkedContent.Size);
        Assert.Null(await store.GetObjectAsync("b", "big"));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(directory.Path, "data"), "*", SearchOption.AllDirectories));
    }

    /// <summary>A request body arriving in uneven pieces, as a socket delivers it; optionally the connection drops part-way.</summary>
    private sealed class TrickleStream(byte[] body, int? failAfter) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => body.Length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_position >= failAfter)
            {
                throw new IOException("The client went away.");
            }

            var length = Math.Min(Math.Min(buffer.Length, body.Length - _position), 1000 + (_position % 70_001));
            body.AsSpan(_position, length).CopyTo(buffer);
            _position += length;
            return length;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => new(Read(buffer.Span));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
