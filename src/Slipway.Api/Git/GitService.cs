using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Slipway.Api.Git;

/// <summary>
/// Git's smart HTTP protocol served by the real <c>git upload-pack</c>/<c>receive-pack</c> in <c>--stateless-rpc</c> mode:
/// the request body goes to the process, its output streams back as it is produced (so hook output arrives live).
/// </summary>
internal static class GitService
{
    public const string UploadPack = "git-upload-pack";
    public const string ReceivePack = "git-receive-pack";

    public static bool IsService(string? name) => name is UploadPack or ReceivePack;

    /// <summary><c>GET …/info/refs?service=…</c>: the service announcement, then the refs as the service advertises them.</summary>
    public static async Task AdvertiseAsync(HttpContext context, string repository, string service)
    {
        using var process = Process.Start(GitCommand.StartInfo(repository, [service["git-".Length..], "--stateless-rpc", "--advertise-refs", repository]))
            ?? throw new InvalidOperationException("git did not start");
        process.StandardInput.Close();
        using var refs = new MemoryStream();
        var error = process.StandardError.ReadToEndAsync(context.RequestAborted);
        await process.StandardOutput.BaseStream.CopyToAsync(refs, context.RequestAborted);
        await process.WaitForExitAsync(context.RequestAborted);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{service} --advertise-refs failed: {await error}");
        }

        context.Response.ContentType = $"application/x-{service}-advertisement";
        context.Response.Headers.CacheControl = "no-cache, max-age=0, must-revalidate";
        var announcement = $"# service={service}\n";
        await context.Response.WriteAsync($"{announcement.Length + 4:x4}{announcement}0000", context.RequestAborted);
        refs.Position = 0;
        await refs.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    /// <summary><c>POST …/git-upload-pack</c> or <c>…/git-receive-pack</c>.</summary>
    public static async Task RunAsync(HttpContext context, string repository, string service, IReadOnlyDictionary<string, string>? environment = null)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null; // packs are as large as the repository
        }

        context.Response.ContentType = $"application/x-{service}-result";
        context.Response.Headers.CacheControl = "no-cache, max-age=0, must-revalidate";
        using var process = Process.Start(GitCommand.StartInfo(repository, [service["git-".Length..], "--stateless-rpc", repository], environment))
            ?? throw new InvalidOperationException("git did not start");
        var errors = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (errors)
                {
                    errors.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();

        var input = Task.Run(async () =>
        {
            try
            {
                await using var body = context.Request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase)
                    ? new GZipStream(context.Request.Body, CompressionMode.Decompress, leaveOpen: true)
                    : context.Request.Body;
                await body.CopyToAsync(process.StandardInput.BaseStream, context.RequestAborted);
            }
            catch (IOException)
            {
                // git stopped reading (it rejected the request); its own output says why.
            }
            finally
            {
                try
                {
                    process.StandardInput.Close();
                }
                catch (IOException)
                {
                }
            }
        });

        try
        {
            var output = process.StandardOutput.BaseStream;
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = await output.ReadAsync(buffer, context.RequestAborted)) > 0)
            {
                await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }

            await input;
            await process.WaitForExitAsync(context.RequestAborted);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // The client hung up: stop git (and its hook) so no ref moves for a push nobody is waiting for.
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            throw;
        }
    }
}
