using System.Threading.Channels;

namespace Slipway.Storage.Engine;

/// <summary>
/// Unlinks released data files (overwritten or deleted versions) in batches, off the request path. Freeing blocks is
/// costly where the file system discards them at its next journal commit (ext4 mounted with <c>discard</c>): one
/// commit with a batch of them costs far less than one per PUT. A crash before the unlink leaves files no row names,
/// which the sweep at start removes.
/// </summary>
internal sealed class FileReclaimer
{
    /// <summary>How long released files gather before a batch goes.</summary>
    private static readonly TimeSpan Gather = TimeSpan.FromMilliseconds(100);

    private readonly Channel<string> _released = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    public FileReclaimer() => _ = Task.Run(RunAsync);

    public void Release(string path) => _released.Writer.TryWrite(path); // unbounded and never completed: always accepted

    private async Task RunAsync()
    {
        while (await _released.Reader.WaitToReadAsync())
        {
            await Task.Delay(Gather);
            while (_released.Reader.TryRead(out var path))
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
    }
}
