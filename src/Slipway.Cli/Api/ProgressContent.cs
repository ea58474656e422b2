using System.Net;

namespace Slipway.Cli.Api;

/// <summary>Request body from a seekable stream that reports how many bytes have been sent.</summary>
internal sealed class ProgressContent(Stream source, IProgress<long> progress) : HttpContent
{
    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        await SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        source.Position = 0;
        var buffer = new byte[81920];
        long sent = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            sent += read;
            progress.Report(sent);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = source.Length;
        return true;
    }
}
