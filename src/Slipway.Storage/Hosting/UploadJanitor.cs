using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Slipway.Storage.Engine;

namespace Slipway.Storage.Hosting;

/// <summary>Hourly, aborts multipart uploads older than <see cref="StorageOptions.AbandonedUploadAge"/> and frees their parts.</summary>
internal sealed class UploadJanitor(FileObjectStore store, StorageOptions options, TimeProvider time, ILogger<UploadJanitor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), time);
        do
        {
            try
            {
                var aborted = await store.AbortAbandonedUploadsAsync(options.AbandonedUploadAge, stoppingToken);
                if (aborted > 0)
                {
                    logger.LogInformation("Aborted {Count} abandoned multipart uploads", aborted);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Cleaning up abandoned multipart uploads failed; retrying in an hour");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
