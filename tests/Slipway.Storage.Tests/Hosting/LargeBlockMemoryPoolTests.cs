using System.Reflection;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Slipway.Storage.Hosting;

namespace Slipway.Storage.Tests.Hosting;

public sealed class LargeBlockMemoryPoolTests
{
    [Fact]
    public void Rent_GivesAWholeBlock_WhateverSizeIsAskedFor()
    {
        using var pool = new LargeBlockMemoryPool(65536, 4);
        using var small = pool.Rent(4096);
        using var any = pool.Rent();
        Assert.Equal(65536, small.Memory.Length);
        Assert.Equal(65536, any.Memory.Length);
        Assert.Equal(65536, pool.MaxBufferSize);
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Rent(65537));
    }

    [Fact]
    public void ReturnedBlocks_AreReused_UpToTheBound()
    {
        using var pool = new LargeBlockMemoryPool(1024, 2);
        var blocks = Enumerable.Range(0, 3).Select(_ => pool.Rent()).ToList();
        var first = blocks[0].Memory;
        blocks.ForEach(b => b.Dispose());
        Assert.Equal(2, pool.Retained);

        using var again = pool.Rent();
        Assert.True(again.Memory.Span == first.Span, "the first block returned is the first handed out again");
        Assert.Equal(1, pool.Retained);
    }

    [Fact]
    public void DisposingABlockTwice_ReturnsItOnce()
    {
        using var pool = new LargeBlockMemoryPool(1024, 8);
        var block = pool.Rent();
        block.Dispose();
        block.Dispose();
        Assert.Equal(1, pool.Retained);
    }

    [Fact]
    public void StorageTransport_GivesKestrelTheLargeBlockPool_AndWaitsForDataOnIdleConnections()
    {
        var options = StorageTransport.TransportOptions(NullLoggerFactory.Instance).Value;
        Assert.True(options.UnsafePreferInlineScheduling);
        Assert.True(options.WaitForDataBeforeAllocatingBuffer);

        // The option is internal to Kestrel: if a later version stops taking the factory from dependency injection, the
        // storage port silently goes back to 4 KiB receives. This says so.
        var factory = typeof(SocketTransportOptions).GetProperty("MemoryPoolFactory", BindingFlags.Instance | BindingFlags.NonPublic)?.GetValue(options);
        Assert.IsType<LargeBlockMemoryPoolFactory>(factory);
        Assert.Equal(LargeBlockMemoryPool.BlockSize, ((IMemoryPoolFactory<byte>)factory!).Create().MaxBufferSize);
    }
}
