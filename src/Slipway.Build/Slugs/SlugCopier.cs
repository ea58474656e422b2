using Slipway.Core.Apps;
using Slipway.Data.Builds;
using Slipway.Storage.Engine;

namespace Slipway.Build.Slugs;

/// <summary>
/// Gives another app a slug of its own with the same bytes (Heroku's "copying slugs" between an account's apps, as
/// pipelines promote). A copy, not a shared row: each app's slug is unpacked for its own uid and goes with its app.
/// </summary>
public sealed class SlugCopier(IObjectStore objects, BuildRepository builds, TimeProvider time)
{
    public async Task<Slug> CopyAsync(Slug source, string targetAppId, CancellationToken cancellationToken = default)
    {
        var copy = source with { Id = Guid.NewGuid().ToString(), AppId = targetAppId, CreatedAt = time.GetUtcNow() };
        await using (var bytes = await objects.OpenReadAsync(PlatformBuckets.Slugs, source.Id + ".tgz", cancellationToken)
            ?? throw new FileNotFoundException($"Slug {source.Id} is not in the object store (bucket {PlatformBuckets.Slugs})."))
        {
            await objects.PutAsync(PlatformBuckets.Slugs, copy.Id + ".tgz", bytes, "application/gzip", cancellationToken);
        }

        return await builds.AddSlugAsync(copy, cancellationToken);
    }
}
