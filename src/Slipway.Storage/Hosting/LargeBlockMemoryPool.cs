using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;

namespace Slipway.Storage.Hosting;

/// <summary>
/// Pinned blocks larger than Kestrel's 4 KiB, for the storage port's connections: the socket transport receives into one
/// block per call, so a large PUT body arrives in <see cref="BlockSize"/> pieces instead of 4 KiB ones, a sixteenth of
/// the receive calls and wake-ups. Blocks are pinned (the socket reads into them) and kept for reuse up to a bound;
/// beyond it a returned block is left to the collector.
/// </summary>
internal sealed class LargeBlockMemoryPool(int blockSize, int maxRetained) : MemoryPool<byte>
{
    private readonly ConcurrentQueue<Block> _free = new();
    private int _retained;

    public const int BlockSize = 64 * 1024;

    public override int MaxBufferSize => blockSize;

    /// <summary>How many blocks wait for reuse (for tests).</summary>
    public int Retained => Volatile.Read(ref _retained);

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, blockSize);
        if (_free.TryDequeue(out var block))
        {
            Interlocked.Decrement(ref _retained);
            block.Rented = true;
            return block;
        }

        return new Block(this, GC.AllocateUninitializedArray<byte>(blockSize, pinned: true));
    }

    protected override void Dispose(bool disposing)
    {
        // Blocks still rented come back through Return and are dropped or kept; nothing to release here.
    }

    private void Return(Block block)
    {
        if (Interlocked.Increment(ref _retained) <= maxRetained)
        {
            _free.Enqueue(block);
        }
        else
        {
            Interlocked.Decrement(ref _retained);
        }
    }

    private sealed class Block(LargeBlockMemoryPool pool, byte[] array) : IMemoryOwner<byte>
    {
        public bool Rented { get; set; } = true;

        public Memory<byte> Memory => array;

        public void Dispose()
        {
            // A pipe disposes each segment's block once; a second dispose must not put the block in the queue twice.
            if (Rented)
            {
                Rented = false;
                pool.Return(this);
            }
        }
    }
}

/// <summary>Hands Kestrel's socket transport a <see cref="LargeBlockMemoryPool"/> (it asks once per I/O queue).</summary>
internal sealed class LargeBlockMemoryPoolFactory(int blockSize, int maxRetainedPerPool) : IMemoryPoolFactory<byte>
{
    public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => new LargeBlockMemoryPool(blockSize, maxRetainedPerPool);
}
